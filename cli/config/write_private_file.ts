/**
 * Writing files only the user can read: config files hold a private topic and maybe a
 * token.
 *
 * @module
 */

function dirname(path: string): string {
  const index = path.lastIndexOf("/");
  return index <= 0 ? "/" : path.slice(0, index);
}

/** Options for {@linkcode writePrivateFile}. */
export interface WritePrivateFileOptions {
  /** Replace an existing file; without it an existing file is an error. @default {true} */
  overwrite?: boolean;
}

/**
 * Writes `text` to `path` with mode 0600, creating its folder with mode 0700 when it is
 * missing. The file is replaced atomically (written beside it, then renamed).
 *
 * @throws {Deno.errors.AlreadyExists} when the file exists and `overwrite` is false.
 *
 * @example
 * ```ts
 * import { writePrivateFile } from "./write_private_file.ts";
 *
 * const dir = await Deno.makeTempDir();
 * writePrivateFile(`${dir}/ntfy-service/config.toml`, "[ntfy]\n");
 * console.log((Deno.statSync(`${dir}/ntfy-service/config.toml`).mode ?? 0) & 0o777); // 384 (0o600)
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function writePrivateFile(
  path: string,
  text: string,
  options: WritePrivateFileOptions = {},
): void {
  const dir = dirname(path);
  Deno.mkdirSync(dirname(dir), { recursive: true });
  try {
    Deno.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  if (options.overwrite === false) {
    Deno.writeTextFileSync(path, text, { createNew: true, mode: 0o600 });
    Deno.chmodSync(path, 0o600);
    return;
  }
  const suffix = Array.from(
    crypto.getRandomValues(new Uint8Array(6)),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
  const temp = `${path}.${suffix}.tmp`;
  try {
    Deno.writeTextFileSync(temp, text, { createNew: true, mode: 0o600 });
    Deno.chmodSync(temp, 0o600);
    Deno.renameSync(temp, path);
  } catch (error) {
    try {
      Deno.removeSync(temp);
    } catch {
      // The temp file was never created or is already gone.
    }
    throw error;
  }
}
