/**
 * The hook's fallback when the daemon's socket cannot be reached: drop the raw event (or,
 * for `claude-ntfy test`, a resolved task) as a file in the spool folder, for the daemon
 * to pick up. Kept free of dependencies so the hook loads it fast.
 *
 * @module
 */

import type { NotificationTask } from "../../protocol/task.ts";
import type { HookContext } from "../../protocol/messages.ts";
import { encodeRequest } from "../../protocol/codec.ts";
import { writeFileAtomic } from "../fs/atomic_write.ts";

/** The extension of a spooled task (JSON, see {@linkcode SpoolFileContent}). */
export const SPOOL_TASK_EXTENSION = ".task";

/**
 * The extension of a spooled raw event: one protocol frame holding an `event` request, so
 * the daemon reads it with the same decoder as the socket. Daemons older than protocol 2
 * ignore these files and leave them for a newer one.
 */
export const SPOOL_EVENT_EXTENSION = ".event";

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
 * (`.<name>.<random>.tmp`) is written, fsynced and renamed to `<ms>-<pid>-<random>.task`, so a
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
export function writeSpoolFile(
  spoolDir: string,
  task: NotificationTask,
  options: WriteSpoolFileOptions = {},
): Promise<string> {
  const content: SpoolFileContent = { format: SPOOL_FORMAT, version: SPOOL_VERSION, task };
  const bytes = new TextEncoder().encode(JSON.stringify(content));
  return writeSpoolBytes(spoolDir, bytes, SPOOL_TASK_EXTENSION, options);
}

/**
 * Writes a raw hook event into `spoolDir` atomically, like {@linkcode writeSpoolFile}, as
 * `<ms>-<pid>-<random>.event`; the daemon resolves it when it takes it in.
 *
 * @param spoolDir The spool folder (created 0700 if missing).
 * @param payload The hook's stdin.
 * @param context What the hook knew (see `HookContext`).
 * @param options Clock and fsync.
 * @returns The file's path.
 * @throws {Deno.errors.PermissionDenied} and other I/O errors when the file cannot be written.
 *
 * @example
 * ```ts
 * import { writeSpoolEvent } from "./write_spool_file.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const path = await writeSpoolEvent(`${dir}/spool`, new TextEncoder().encode("{}"), {
 *   cwd: "/src/app",
 *   env: {},
 *   receivedAt: Date.now(),
 * });
 * console.log(path.endsWith(".event")); // true
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function writeSpoolEvent(
  spoolDir: string,
  payload: Uint8Array,
  context: HookContext,
  options: WriteSpoolFileOptions = {},
): Promise<string> {
  const frame = encodeRequest({ type: "event", id: 1, payload, context });
  return writeSpoolBytes(spoolDir, frame, SPOOL_EVENT_EXTENSION, options);
}

async function writeSpoolBytes(
  spoolDir: string,
  bytes: Uint8Array,
  extension: string,
  options: WriteSpoolFileOptions,
): Promise<string> {
  const fsync = options.fsync ?? true;
  const ms = String(Math.floor((options.now ?? Date.now)())).padStart(15, "0");
  const name = `${ms}-${Deno.pid}-${randomHex()}${extension}`;
  const path = `${spoolDir}/${name}`;
  try {
    await writeFileAtomic(path, bytes, { mode: 0o600, fsync });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    await Deno.mkdir(spoolDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, bytes, { mode: 0o600, fsync });
  }
  return path;
}
