/**
 * The table of subcommands. Each lives in its own file under `cli/commands/`.
 *
 * @module
 */

import type { Command } from "../io.ts";
import { initCommand } from "./init.ts";
import { configCommand } from "./config.ts";
import { templatesCommand } from "./templates.ts";
import { hookCommand } from "./hook.ts";
import { daemonCommand } from "./daemon.ts";
import { queueCommand } from "./queue.ts";
import { uninstallHooksCommand } from "./uninstall_hooks.ts";
import { doctorCommand } from "./doctor.ts";
import { testCommand } from "./test.ts";

/** Every subcommand, in the order `--help` lists them. */
export const commands: readonly Command[] = [
  hookCommand,
  daemonCommand,
  queueCommand,
  initCommand,
  uninstallHooksCommand,
  testCommand,
  doctorCommand,
  configCommand,
  templatesCommand,
];
