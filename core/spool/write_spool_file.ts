/**
 * The hook's fallback when the daemon's socket cannot be reached: drop the task as a file
 * in the spool folder, for the daemon to pick up. Kept free of dependencies so the hook
 * loads it fast.
 *
 * @module
 */

import type { NotificationTask } from "../../protocol/task.ts";

/** The `format` field of a spool file. */
export const SPOOL_FORMAT = "claude-ntfy-spool";

/** The spool file version this code writes and reads. */
export const SPOOL_VERSION = 1;

/** What a spool file holds, as JSON. */
export interface SpoolFileContent {
  /** Always {@linkcode SPOOL_FORMAT}. */
  readonly format: string;
  /** {@linkcode SPOOL_VERSION}. */
  readonly version: number;
  /** The task. */
  readonly task: NotificationTask;
}

/** Options for {@linkcode writeSpoolFile}. */
export interface WriteSpoolFileOptions {
  /** Wall clock in ms since the Unix epoch, which orders spool files. @default {Date.now} */
  now?: () => number;
  /** Whether to fsync the file and the folder, so a power cut cannot undo it. @default {true} */
  fsync?: boolean;
}

function randomHex(): string {
  return crypto.getRandomValues(new Uint32Array(1))[0]!.toString(16).padStart(8, "0");
}

/**
 * Writes `task` into `spoolDir` atomically and returns the file's path: a hidden temp file
 * (`.<name>.tmp`) is written, fsynced and renamed to `<ms>-<pid>-<random>.task`, so a
 * reader sees either nothing or the whole file. Creates the folder (0700) if needed; the
 * file is 0600 because the task may hold credentials.
 *
 * @example
 * ```ts
 * import { writeSpoolFile } from "./write_spool_file.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const path = await writeSpoolFile(`${dir}/spool`, {
 *   target: { serverUrl: "https://ntfy.sh", topic: "alerts" },
 *   message: { body: "Claude is waiting" },
 *   origin: { event: "Notification", createdAt: Date.now() },
 * });
 * console.log(path.endsWith(".task")); // true
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeSpoolFile(
  spoolDir: string,
  task: NotificationTask,
  options: WriteSpoolFileOptions = {},
): Promise<string> {
  const fsync = options.fsync ?? true;
  const ms = String(Math.floor((options.now ?? Date.now)())).padStart(15, "0");
  const name = `${ms}-${Deno.pid}-${randomHex()}.task`;
  const tmp = `${spoolDir}/.${name}.tmp`;
  const content: SpoolFileContent = { format: SPOOL_FORMAT, version: SPOOL_VERSION, task };
  const bytes = new TextEncoder().encode(JSON.stringify(content));
  let file: Deno.FsFile;
  try {
    file = await Deno.open(tmp, { write: true, createNew: true, mode: 0o600 });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    await Deno.mkdir(spoolDir, { recursive: true, mode: 0o700 });
    file = await Deno.open(tmp, { write: true, createNew: true, mode: 0o600 });
  }
  try {
    try {
      let offset = 0;
      while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
      if (fsync) await file.syncData();
    } finally {
      file.close();
    }
    await Deno.rename(tmp, `${spoolDir}/${name}`);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
  if (fsync) {
    const dir = await Deno.open(spoolDir, { read: true });
    try {
      await dir.sync();
    } finally {
      dir.close();
    }
  }
  return `${spoolDir}/${name}`;
}
