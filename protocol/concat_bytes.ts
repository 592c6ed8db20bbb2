/**
 * Joining byte arrays, for batching frames into one write.
 *
 * @module
 */

/**
 * Joins byte arrays into one, in order. One part is returned as it is, not copied.
 *
 * @param parts The arrays to join.
 * @returns One array holding every byte of `parts`.
 *
 * @example Two frames in one write
 * ```ts
 * import assert from "node:assert/strict";
 * import { concatBytes } from "./concat_bytes.ts";
 *
 * assert.deepEqual(concatBytes([new Uint8Array([1, 2]), new Uint8Array([3])]), new Uint8Array([1, 2, 3]));
 * ```
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
