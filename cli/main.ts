/**
 * The `claude-ntfy` command line: `main(args, io)` picks a subcommand from the table and
 * returns its exit code. Only `cli/` prints or exits.
 *
 * @module
 */

import { type CliIo, type Command, ExitCode, processIo } from "./io.ts";
import { commands } from "./commands/mod.ts";
import { VERSION } from "../core/version.ts";

/** The software version (from deno.json). */
export { VERSION };

function usage(table: readonly Command[]): string {
  const width = Math.max(...table.map((command) => command.name.length));
  const lines = table.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `claude-ntfy ${VERSION}: Claude Code hook events as ntfy push notifications\n\n` +
    `Usage: claude-ntfy <command> [options]\n\nCommands:\n${lines.join("\n")}\n\n` +
    `Run "claude-ntfy <command> --help" for a command's options.\n`;
}

/**
 * Runs the CLI with `args` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * const code = await main(["daemon", "status", "--json"], processIo());
 * ```
 */
export async function main(args: string[], io: CliIo, table = commands): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    (name === undefined ? io.stderr : io.stdout)(usage(table));
    return name === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  if (name === "--version" || name === "-V") {
    io.stdout(`claude-ntfy ${VERSION}\n`);
    return ExitCode.Ok;
  }
  const command = table.find((entry) => entry.name === name);
  if (command === undefined) {
    io.stderr(`claude-ntfy: unknown command "${name}"\n\n${usage(table)}`);
    return ExitCode.Usage;
  }
  return await command.run(rest, io);
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args, processIo()));
}
