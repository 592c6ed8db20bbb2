/**
 * Replacing a file so that a reader sees the old content or the new, never half of it:
 * write a hidden temp file beside it (`.<name>.<random>.tmp`), then rename it over the
 * file. A temp file a crash leaves behind is hidden, and ends in `.tmp` for sweepers
 * (the spool ingester removes them).
 *
 * @module
 */

import { writeAll } from "../../client/write_all.ts";
import { dirname } from "../../client/paths.ts";

/** Options for {@linkcode writeFileAtomic} and {@linkcode writeTextFileAtomicSync}. */
export interface AtomicWriteOptions {
  /**
   * The new file's mode, exactly (the umask cannot widen or narrow it).
   * @default {0o666 less the umask}
   */
  mode?: number;
}

/** Options for {@linkcode writeFileAtomic}. */
export interface DurableWriteOptions extends AtomicWriteOptions {
  /**
   * Whether to fsync the file before the rename and the folder after it, so that a power
   * cut cannot undo the write.
   * @default {true}
   */
  fsync?: boolean;
}

/** The hidden temp file beside `path`. */
function tempPathFor(path: string): string {
  const slash = path.lastIndexOf("/");
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.${
    crypto.randomUUID().slice(0, 8)
  }.tmp`;
}

function createOptions(options: AtomicWriteOptions): { createNew: true; mode?: number } {
  return { createNew: true, ...(options.mode === undefined ? {} : { mode: options.mode }) };
}

/**
 * Writes `bytes` to `path` atomically and, unless `fsync` is false, durably: temp file,
 * fsync, rename, folder fsync. On failure the temp file is removed and `path` is as it was.
 *
 * @param path The file to replace or create; its folder must exist.
 * @param bytes The new content.
 * @param options The mode and whether to fsync.
 * @throws {Deno.errors.NotFound} when the folder does not exist; other file-system errors.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./atomic_write.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/dead-letters.jsonl`, new TextEncoder().encode("{}\n"), { mode: 0o600 });
 * console.log(await Deno.readTextFile(`${dir}/dead-letters.jsonl`)); // "{}\n"
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  options: DurableWriteOptions = {},
): Promise<void> {
  const fsync = options.fsync ?? true;
  const temp = tempPathFor(path);
  try {
    const file = await Deno.open(temp, { write: true, ...createOptions(options) });
    try {
      if (options.mode !== undefined) await Deno.chmod(temp, options.mode);
      await writeAll(file, bytes);
      if (fsync) await file.syncData();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
  if (fsync) {
    using dir = await Deno.open(dirname(path), { read: true });
    await dir.sync();
  }
}

/**
 * Writes `text` to `path` atomically, synchronously, without fsync: for small files
 * written at a human's pace (config, settings, the token), where a power cut at that
 * moment is not worth a disk flush.
 *
 * @param path The file to replace or create; its folder must exist.
 * @param text The new content.
 * @param options The mode.
 * @throws {Deno.errors.NotFound} when the folder does not exist; other file-system errors.
 *
 * @example
 * ```ts
 * import { writeTextFileAtomicSync } from "./atomic_write.ts";
 *
 * const dir = await Deno.makeTempDir();
 * writeTextFileAtomicSync(`${dir}/token`, "secret\n", { mode: 0o600 });
 * console.log((Deno.statSync(`${dir}/token`).mode ?? 0) & 0o777); // 384 (0o600)
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function writeTextFileAtomicSync(
  path: string,
  text: string,
  options: AtomicWriteOptions = {},
): void {
  const temp = tempPathFor(path);
  try {
    Deno.writeTextFileSync(temp, text, createOptions(options));
    if (options.mode !== undefined) Deno.chmodSync(temp, options.mode);
    Deno.renameSync(temp, path);
  } catch (error) {
    try {
      Deno.removeSync(temp);
    } catch {
      // Never created, or already renamed: nothing to clean up.
    }
    throw error;
  }
}
