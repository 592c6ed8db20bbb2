/**
 * An in-memory `CliIo` for command tests, and temp folders that clean up.
 *
 * @module
 */

import type { CliIo } from "../../../cli/io.ts";

/** A `CliIo` that records what a command printed. */
export interface MemoryIo extends CliIo {
  /** Everything written to stdout. */
  readonly out: () => string;
  /** Everything written to stderr. */
  readonly err: () => string;
}

/** Creates a {@linkcode MemoryIo} with the given environment and working directory. */
export function memoryIo(env: Record<string, string>, cwd: string): MemoryIo {
  let out = "";
  let err = "";
  return {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    stdin: ReadableStream.from<Uint8Array>([]),
    isTerminal: false,
    env: (name) => env[name],
    environment: () => ({ ...env }),
    cwd,
    out: () => out,
    err: () => err,
  };
}

/** A temp home and project folder, removed after `fn`. */
export async function withDirs(
  fn: (dirs: { home: string; project: string }) => Promise<void>,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "claude-ntfy-cmd-" });
  const home = `${root}/home`;
  const project = `${root}/webapp`;
  await Deno.mkdir(home);
  await Deno.mkdir(project);
  try {
    await fn({ home, project });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}
