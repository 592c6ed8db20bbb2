/**
 * Replacing a file so that a reader sees the old content or the new, never half of it:
 * write beside it, then rename over it.
 *
 * @module
 */

/**
 * Writes `text` to `path` atomically. With `mode`, the new file gets exactly that mode
 * (the umask cannot widen or narrow it); without, the default for new files.
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
  options: { mode?: number } = {},
): void {
  const temp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    Deno.writeTextFileSync(temp, text, {
      createNew: true,
      ...(options.mode === undefined ? {} : { mode: options.mode }),
    });
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
