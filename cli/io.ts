/**
 * The input and output a CLI command may use, injected so tests can read what a command
 * printed and feed it input without touching the real terminal.
 *
 * @module
 */

/** Where a command writes and what it may read. */
export interface CliIo {
  /** Writes text to standard output. */
  stdout(text: string): void;
  /** Writes text to standard error. */
  stderr(text: string): void;
  /** Standard input as a byte stream. */
  readonly stdin: ReadableStream<Uint8Array>;
  /** Standard input read directly into buffers: cheaper than the stream (the hook uses it). */
  readonly stdinReader?: { read(buffer: Uint8Array): Promise<number | null> };
  /** Whether standard output is a terminal (colour, live refresh). */
  isTerminal: boolean;
  /** Whether standard input is a terminal (nothing piped in). */
  stdinIsTerminal?: boolean;
  /** Environment variables. */
  env: (name: string) => string | undefined;
  /** Every environment variable (the hook forwards its configuration variables). @default {none} */
  environment?: () => Record<string, string>;
  /** Current working directory. */
  cwd: string;
}

// Made on first output: the hook's fast path prints nothing.
let encoder: TextEncoder | undefined;

/** The real process I/O. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void Deno.stdout.writeSync((encoder ??= new TextEncoder()).encode(text)),
    stderr: (text) => void Deno.stderr.writeSync((encoder ??= new TextEncoder()).encode(text)),
    // A getter: creating the stream costs the hook time it need not spend.
    get stdin() {
      return Deno.stdin.readable;
    },
    stdinReader: Deno.stdin,
    isTerminal: Deno.stdout.isTerminal(),
    stdinIsTerminal: Deno.stdin.isTerminal(),
    env: (name) => Deno.env.get(name),
    environment: () => Deno.env.toObject(),
    cwd: Deno.cwd(),
  };
}

/** Exit codes that scripts can rely on. */
export const ExitCode = {
  /** Success. */
  Ok: 0,
  /** Any error. */
  Error: 1,
  /** Bad usage (unknown flag, missing argument). Never 2: Claude Code reads 2 as "block". */
  Usage: 64,
  /** The daemon is not running (for `daemon status` and `daemon ping`). */
  NotRunning: 3,
} as const;

/** A subcommand: a name, a one-line summary and a function that returns an exit code. */
export interface Command {
  /** The word that selects it, e.g. `hook`. */
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** Runs the command with the arguments after its name. */
  run(args: string[], io: CliIo): Promise<number>;
}
