/**
 * The table of subcommands. Each lives in its own file under `cli/commands/`.
 *
 * @module
 */

import type { Command } from "../io.ts";

/** Every subcommand, in the order `--help` lists them. */
export const commands: readonly Command[] = [];
