/**
 * The start every command shares: read the flags, answer `--help`, and turn a bad flag
 * into a usage error that shows the help. Kept free of `node:util`, so that the hook can
 * use it on its hot path.
 *
 * @module
 */

import { type CliIo, ExitCode } from "./io.ts";
import { type FlagSpecs, type ParsedArgs, parseFlags } from "./parse_flags.ts";

/** `-h, --help`, which every command takes. */
const HELP_FLAG = { help: { type: "boolean", short: "h" } } as const;

/** A command's command line. */
export interface CommandLineSpec<S extends FlagSpecs> {
  /** The command's words after `claude-ntfy`, for messages: `init`, `config set`. */
  readonly command: string;
  /** The help text, for `--help` and after a usage error. */
  readonly help: string;
  /** The flags; `-h, --help` is added. */
  readonly flags: S;
  /** Whether words other than flags are allowed. @default {false} */
  readonly positionals?: boolean;
  /**
   * The exit code of a usage error, and whether the help follows its message. The hook
   * exits 1 with the message alone: Claude Code shows a hook's stderr to the user.
   * @default {{ exitCode: ExitCode.Usage, showHelp: true }}
   */
  readonly onUsageError?: { readonly exitCode: number; readonly showHelp: boolean };
}

/**
 * Reads a command's arguments. `-h`/`--help` prints the help on stdout; a bad flag prints
 * `claude-ntfy <command>: <problem>` and the help on stderr.
 *
 * @param args The arguments after the command's name.
 * @param io Where the help and errors go.
 * @param spec The command's name, help and flags.
 * @returns The flags and positionals; or, when the command should stop at once, its exit
 * code (0 after `--help`, {@linkcode ExitCode.Usage} after a usage error).
 *
 * @example A command's first lines
 * ```ts
 * import assert from "node:assert/strict";
 * import { readCommandLine } from "./command_line.ts";
 * import { processIo } from "./io.ts";
 *
 * const parsed = readCommandLine(["--json"], processIo(), {
 *   command: "doctor",
 *   help: "Usage: claude-ntfy doctor [--json]\n",
 *   flags: { json: { type: "boolean" } },
 * });
 * if (typeof parsed === "number") Deno.exit(parsed);
 * assert.equal(parsed.flags.json, true);
 * ```
 */
export function readCommandLine<const S extends FlagSpecs>(
  args: readonly string[],
  io: CliIo,
  spec: CommandLineSpec<S>,
): ParsedArgs<S & typeof HELP_FLAG> | number {
  let parsed: ParsedArgs<S & typeof HELP_FLAG>;
  try {
    parsed = parseFlags(args, { ...spec.flags, ...HELP_FLAG }, {
      allowPositionals: spec.positionals ?? false,
    });
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const { exitCode, showHelp } = spec.onUsageError ??
      { exitCode: ExitCode.Usage, showHelp: true };
    io.stderr(`claude-ntfy ${spec.command}: ${error.message}\n${showHelp ? `\n${spec.help}` : ""}`);
    return exitCode;
  }
  if (parsed.flags.help) {
    io.stdout(spec.help);
    return ExitCode.Ok;
  }
  return parsed;
}

/**
 * Reports a usage error found after the flags were read (a missing argument, flags that
 * conflict): `claude-ntfy <command>: <problem>` on stderr.
 *
 * @param io Where the message goes.
 * @param command The command's words after `claude-ntfy`.
 * @param problem What is wrong, in sentence case.
 * @returns {@linkcode ExitCode.Usage}, for the command to return.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { usageError } from "./command_line.ts";
 * import { ExitCode, processIo } from "./io.ts";
 *
 * assert.equal(usageError(processIo(), "init", "--events needs --install-hooks"), ExitCode.Usage);
 * ```
 */
export function usageError(io: CliIo, command: string, problem: string): number {
  io.stderr(`claude-ntfy ${command}: ${problem}\n`);
  return ExitCode.Usage;
}
