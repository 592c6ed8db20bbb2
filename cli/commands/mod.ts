/**
 * The table of subcommands. Each lives in its own file under `cli/commands/`.
 *
 * Only `hook` is imported eagerly: it runs on every Claude Code event, so everything else
 * is loaded when its command runs, keeping module evaluation off the hook's hot path.
 *
 * @module
 */

import type { CliIo, Command } from "../io.ts";
import { hookCommand } from "./hook.ts";

/** A command whose module is imported only when it runs. */
function lazy(
  name: string,
  summary: string,
  load: () => Promise<Command>,
): Command {
  return {
    name,
    summary,
    async run(args: string[], io: CliIo): Promise<number> {
      return await (await load()).run(args, io);
    },
  };
}

/** Every subcommand, in the order `--help` lists them. */
export const commands: readonly Command[] = [
  hookCommand,
  lazy(
    "daemon",
    "start, stop, inspect or reload the delivery daemon",
    async () => (await import("./daemon.ts")).daemonCommand,
  ),
  lazy(
    "queue",
    "list queued and dead tasks; retry or purge dead letters",
    async () => (await import("./queue.ts")).queueCommand,
  ),
  lazy(
    "init",
    "write a config file with a new private topic (--install-hooks: register the hook)",
    async () => (await import("./init.ts")).initCommand,
  ),
  lazy(
    "uninstall-hooks",
    "remove claude-ntfy's hooks from Claude Code's settings.json",
    async () => (await import("./uninstall_hooks.ts")).uninstallHooksCommand,
  ),
  lazy(
    "test",
    "send a test notification with the current configuration",
    async () => (await import("./test.ts")).testCommand,
  ),
  lazy(
    "doctor",
    "check the setup and say how to fix what is wrong (--send: test ntfy)",
    async () => (await import("./doctor.ts")).doctorCommand,
  ),
  lazy(
    "config",
    "show, get or set configuration values",
    async () => (await import("./config.ts")).configCommand,
  ),
  lazy(
    "templates",
    "list the notification templates, or show one",
    async () => (await import("./templates.ts")).templatesCommand,
  ),
];
