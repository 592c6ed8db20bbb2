/**
 * Small file-system helpers for durable writes.
 *
 * @module
 */

// The journal imports these from here; they live where the client can use them too.
export { writeAll } from "../../client/write_all.ts";
export { concatBytes } from "../../protocol/concat_bytes.ts";

/** Creates `dir` (and parents) if missing and makes it private (0700). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  await Deno.chmod(dir, 0o700);
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
