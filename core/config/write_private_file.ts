/**
 * Writing files only the user can read: config files hold a private topic and maybe a
 * token.
 *
 * @module
 */

import { writeTextFileAtomicSync } from "../fs/atomic_write.ts";
import { dirname } from "../../client/paths.ts";

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
  writeTextFileAtomicSync(path, text, { mode: 0o600 });
}
