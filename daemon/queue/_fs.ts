/**
 * Small file-system helpers for durable writes.
 *
 * @module
 */

/** Creates `dir` (and parents) if missing and makes it private (0700). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  await Deno.chmod(dir, 0o700);
}

/** Writes every byte of `bytes`, looping over short writes. */
export async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
}

/** Makes renames and file creations in `dir` durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await Deno.open(dir, { read: true });
  try {
    await handle.sync();
  } finally {
    handle.close();
  }
}

/** Removes `path`, ignoring a missing file. */
export async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** Joins byte arrays into one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Writes `bytes` to `path` atomically: a temp file beside it, fsync, rename, directory
 * fsync. A crash leaves either the old file or the new one, never a mix.
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  options: { fsync?: boolean } = {},
): Promise<void> {
  const fsync = options.fsync ?? true;
  const dir = path.slice(0, Math.max(path.lastIndexOf("/"), 1));
  const tmp = `${path}.tmp`;
  await removeIfExists(tmp);
  const file = await Deno.open(tmp, { write: true, createNew: true, mode: 0o600 });
  try {
    await writeAll(file, bytes);
    if (fsync) await file.syncData();
  } finally {
    file.close();
  }
  await Deno.rename(tmp, path);
  if (fsync) await syncDir(dir);
}
