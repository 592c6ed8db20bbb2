/**
 * Writing every byte: a write to a socket or a file may take only part of what it is
 * given, and returns how much it took.
 *
 * @module
 */

/** Anything with Deno's `write`: a file, a socket. */
export interface ByteWriter {
  /** Writes some of `bytes`; resolves with how many. */
  write(bytes: Uint8Array): Promise<number>;
}

/** Anything with Deno's `writeSync`: a file, standard output. */
export interface ByteWriterSync {
  /** Writes some of `bytes`; returns how many. */
  writeSync(bytes: Uint8Array): number;
}

/**
 * Writes all of `bytes`, looping over short writes.
 *
 * @param writer A file or a connection.
 * @param bytes What to write.
 * @throws whatever `writer.write` throws (a closed socket, a full disk).
 *
 * @example
 * ```ts
 * import { writeAll } from "./write_all.ts";
 *
 * const path = await Deno.makeTempFile();
 * using file = await Deno.open(path, { write: true });
 * await writeAll(file, new TextEncoder().encode("every byte\n"));
 * console.log(await Deno.readTextFile(path)); // "every byte\n"
 * await Deno.remove(path);
 * ```
 */
export async function writeAll(writer: ByteWriter, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.byteLength) written += await writer.write(bytes.subarray(written));
}

/**
 * Writes all of `bytes` synchronously, looping over short writes.
 *
 * @param writer A file or standard output.
 * @param bytes What to write.
 * @throws whatever `writer.writeSync` throws.
 *
 * @example
 * ```ts
 * import { writeAllSync } from "./write_all.ts";
 *
 * writeAllSync(Deno.stdout, new TextEncoder().encode("every byte\n"));
 * ```
 */
export function writeAllSync(writer: ByteWriterSync, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.byteLength) written += writer.writeSync(bytes.subarray(written));
}
