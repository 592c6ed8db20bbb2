/**
 * A small msgpack decoder for the values the protocol and the journal carry, with no
 * dependencies, limits on every length and on nesting, and one typed error for anything
 * it refuses. Kept out of `mod.ts`: it is shared by `protocol/` and `daemon/`, not offered
 * to users of the package.
 *
 * @module
 */

import { readKey, readUtf8 } from "./_utf8.ts";

/**
 * Why {@linkcode MsgpackDecoder} refused its input:
 *
 * - `TRUNCATED`: the input ends inside a value;
 * - `TRAILING_BYTES`: bytes follow the value;
 * - `RESERVED_BYTE`: the never-used format byte 0xc1;
 * - `EXT_UNSUPPORTED`: an ext or fixext value (including timestamps);
 * - `KEY_NOT_STRING`: a map key that is not a str;
 * - `KEY_FORBIDDEN`: a `__proto__` map key;
 * - `LIMIT_EXCEEDED`: a str, bin, array or map longer than its limit;
 * - `TOO_DEEP`: arrays and maps nested deeper than `maxDepth`.
 */
export type MsgpackDecodeErrorCode =
  | "TRUNCATED"
  | "TRAILING_BYTES"
  | "RESERVED_BYTE"
  | "EXT_UNSUPPORTED"
  | "KEY_NOT_STRING"
  | "KEY_FORBIDDEN"
  | "LIMIT_EXCEEDED"
  | "TOO_DEEP";

/**
 * Input that {@linkcode MsgpackDecoder} refuses: malformed msgpack, or msgpack outside what
 * it supports or its limits.
 */
export class MsgpackDecodeError extends Error {
  /** Why the input was refused; stable. */
  readonly code: MsgpackDecodeErrorCode;
  /** Offset of the byte where decoding stopped. */
  readonly offset: number;

  /** Creates an error for `code` at `offset`; `detail` ends the message. */
  constructor(code: MsgpackDecodeErrorCode, offset: number, detail: string) {
    super(`Cannot decode msgpack: ${detail} at offset ${offset}`);
    this.name = "MsgpackDecodeError";
    this.code = code;
    this.offset = offset;
  }
}

/** Options for {@linkcode MsgpackDecoder}. All lengths are checked before anything is read. */
export interface MsgpackDecoderOptions {
  /** Longest str, in bytes of UTF-8. @default {0xffff_ffff} */
  maxStrLength?: number;
  /** Longest bin, in bytes. @default {0xffff_ffff} */
  maxBinLength?: number;
  /** Most elements in one array. @default {0xffff_ffff} */
  maxArrayLength?: number;
  /** Most entries (key-value pairs) in one map. @default {0xffff_ffff} */
  maxMapLength?: number;
  /**
   * Deepest nesting of arrays and maps: 1 allows an array of scalars. At most
   * {@linkcode MAX_DECODE_DEPTH}, as the decoder recurses.
   * @default {100}
   */
  maxDepth?: number;
}

/** The largest `maxDepth` a {@linkcode MsgpackDecoder} accepts. */
export const MAX_DECODE_DEPTH = 1000;

const EMPTY = new Uint8Array(0);
const scratch = new DataView(new ArrayBuffer(8));
const UINT32 = 0x1_0000_0000;

/**
 * Decodes one msgpack value that fills its input exactly:
 *
 * - nil as `null`, booleans;
 * - every int format as a number (64-bit ones outside the safe-integer range are rounded
 *   to the nearest number, as `@msgpack/msgpack` does without `useBigInt64`);
 * - float 32 and float 64 as numbers;
 * - str as a string, decoded like `TextDecoder`: invalid UTF-8 becomes U+FFFD;
 * - bin as a `Uint8Array` that is a view of the input, not a copy: it changes if the input
 *   does (the protocol and the journal never keep bin values);
 * - arrays;
 * - maps as plain objects: keys must be str and not `__proto__`, and a later duplicate key
 *   replaces an earlier one.
 *
 * Anything else, and anything malformed, throws a {@linkcode MsgpackDecodeError}.
 *
 * @example Decoding with limits
 * ```ts
 * import assert from "node:assert/strict";
 * import { MsgpackDecodeError, MsgpackDecoder } from "./msgpack_decoder.ts";
 *
 * const decoder = new MsgpackDecoder({ maxStrLength: 3 });
 * assert.deepEqual(decoder.decode(new Uint8Array([0x81, 0xa1, 0x61, 0x01])), { a: 1 });
 * assert.throws(
 *   () => decoder.decode(new Uint8Array([0xa4, 0x61, 0x62, 0x63, 0x64])),
 *   (error) => error instanceof MsgpackDecodeError && error.code === "LIMIT_EXCEEDED",
 * );
 * ```
 */
export class MsgpackDecoder {
  readonly #maxStrLength: number;
  readonly #maxBinLength: number;
  readonly #maxArrayLength: number;
  readonly #maxMapLength: number;
  readonly #maxDepth: number;
  #bytes: Uint8Array = EMPTY;
  #pos = 0;

  /**
   * Creates a decoder with the given limits.
   *
   * @throws {RangeError} when `maxDepth` is over {@linkcode MAX_DECODE_DEPTH}.
   */
  constructor(options: MsgpackDecoderOptions = {}) {
    this.#maxStrLength = options.maxStrLength ?? 0xffff_ffff;
    this.#maxBinLength = options.maxBinLength ?? 0xffff_ffff;
    this.#maxArrayLength = options.maxArrayLength ?? 0xffff_ffff;
    this.#maxMapLength = options.maxMapLength ?? 0xffff_ffff;
    this.#maxDepth = options.maxDepth ?? 100;
    if (!(this.#maxDepth <= MAX_DECODE_DEPTH)) {
      throw new RangeError(
        `Cannot create decoder: maxDepth ${this.#maxDepth} exceeds limit ${MAX_DECODE_DEPTH}`,
      );
    }
  }

  /**
   * The value `bytes` holds.
   *
   * @throws {MsgpackDecodeError} when `bytes` is not exactly one value this decoder takes.
   */
  decode(bytes: Uint8Array): unknown {
    this.#bytes = bytes;
    this.#pos = 0;
    try {
      const value = this.#value(0);
      if (this.#pos !== bytes.length) {
        throw new MsgpackDecodeError(
          "TRAILING_BYTES",
          this.#pos,
          `${bytes.length - this.#pos} bytes after the value`,
        );
      }
      return value;
    } finally {
      this.#bytes = EMPTY;
    }
  }

  /** Moves past `count` bytes after the head byte at `head` and returns where they start. */
  #take(head: number, count: number): number {
    const start = head + 1;
    if (start + count > this.#bytes.length) {
      throw new MsgpackDecodeError("TRUNCATED", head, "input ends inside a value");
    }
    this.#pos = start + count;
    return start;
  }

  #value(depth: number): unknown {
    const bytes = this.#bytes;
    const head = this.#pos;
    if (head >= bytes.length) {
      throw new MsgpackDecodeError("TRUNCATED", head, "input ends before a value");
    }
    const byte = bytes[head]!;
    this.#pos = head + 1;
    if (byte < 0x80) return byte;
    if (byte >= 0xe0) return byte - 0x100;
    if (byte < 0x90) return this.#map(head, byte & 0x0f, depth);
    if (byte < 0xa0) return this.#array(head, byte & 0x0f, depth);
    if (byte < 0xc0) return this.#string(head, byte & 0x1f);
    switch (byte) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.#binary(head, bytes[this.#take(head, 1)]!);
      case 0xc5:
        return this.#binary(head, uint16(bytes, this.#take(head, 2)));
      case 0xc6:
        return this.#binary(head, uint32(bytes, this.#take(head, 4)));
      case 0xca:
        return float(bytes, this.#take(head, 4), 4);
      case 0xcb:
        return float(bytes, this.#take(head, 8), 8);
      case 0xcc:
        return bytes[this.#take(head, 1)]!;
      case 0xcd:
        return uint16(bytes, this.#take(head, 2));
      case 0xce:
        return uint32(bytes, this.#take(head, 4));
      case 0xcf: {
        const at = this.#take(head, 8);
        return uint32(bytes, at) * UINT32 + uint32(bytes, at + 4);
      }
      case 0xd0:
        return (bytes[this.#take(head, 1)]! << 24) >> 24;
      case 0xd1:
        return (uint16(bytes, this.#take(head, 2)) << 16) >> 16;
      case 0xd2:
        return int32(bytes, this.#take(head, 4));
      case 0xd3: {
        const at = this.#take(head, 8);
        return int32(bytes, at) * UINT32 + uint32(bytes, at + 4);
      }
      case 0xd9:
        return this.#string(head, bytes[this.#take(head, 1)]!);
      case 0xda:
        return this.#string(head, uint16(bytes, this.#take(head, 2)));
      case 0xdb:
        return this.#string(head, uint32(bytes, this.#take(head, 4)));
      case 0xdc:
        return this.#array(head, uint16(bytes, this.#take(head, 2)), depth);
      case 0xdd:
        return this.#array(head, uint32(bytes, this.#take(head, 4)), depth);
      case 0xde:
        return this.#map(head, uint16(bytes, this.#take(head, 2)), depth);
      case 0xdf:
        return this.#map(head, uint32(bytes, this.#take(head, 4)), depth);
      case 0xc1:
        throw new MsgpackDecodeError("RESERVED_BYTE", head, "reserved format byte 0xc1");
      default: // 0xc7-0xc9, 0xd4-0xd8
        throw new MsgpackDecodeError(
          "EXT_UNSUPPORTED",
          head,
          `ext format byte 0x${byte.toString(16)} is not supported`,
        );
    }
  }

  /** A str of `length` bytes starting at `this.#pos`; `head` is its format byte. */
  #string(head: number, length: number): string {
    const start = this.#strStart(head, length);
    return readUtf8(this.#bytes, start, this.#pos);
  }

  /** Checks a str of `length` bytes at `this.#pos`, moves past it and returns its start. */
  #strStart(head: number, length: number): number {
    if (length > this.#maxStrLength) {
      throw this.#tooLong(head, "str", length, this.#maxStrLength);
    }
    const start = this.#pos;
    const end = start + length;
    if (end > this.#bytes.length) {
      throw new MsgpackDecodeError("TRUNCATED", head, `input ends inside a str of ${length} bytes`);
    }
    this.#pos = end;
    return start;
  }

  #binary(head: number, length: number): Uint8Array {
    if (length > this.#maxBinLength) {
      throw this.#tooLong(head, "bin", length, this.#maxBinLength);
    }
    const start = this.#pos;
    const end = start + length;
    if (end > this.#bytes.length) {
      throw new MsgpackDecodeError("TRUNCATED", head, `input ends inside a bin of ${length} bytes`);
    }
    this.#pos = end;
    return this.#bytes.subarray(start, end);
  }

  #array(head: number, length: number, depth: number): unknown[] {
    if (length > this.#maxArrayLength) {
      throw this.#tooLong(head, "array", length, this.#maxArrayLength);
    }
    this.#enter(head, depth);
    // Each element takes at least one byte: a count past the end is refused before any
    // allocation, however large it claims to be.
    if (length > this.#bytes.length - this.#pos) {
      throw new MsgpackDecodeError(
        "TRUNCATED",
        head,
        `input ends inside an array of ${length} elements`,
      );
    }
    const array: unknown[] = [];
    for (let i = 0; i < length; i++) array.push(this.#value(depth + 1));
    return array;
  }

  #map(head: number, length: number, depth: number): Record<string, unknown> {
    if (length > this.#maxMapLength) {
      throw this.#tooLong(head, "map", length, this.#maxMapLength);
    }
    this.#enter(head, depth);
    if (length * 2 > this.#bytes.length - this.#pos) {
      throw new MsgpackDecodeError(
        "TRUNCATED",
        head,
        `input ends inside a map of ${length} entries`,
      );
    }
    const map: Record<string, unknown> = {};
    for (let i = 0; i < length; i++) {
      const key = this.#key();
      map[key] = this.#value(depth + 1);
    }
    return map;
  }

  /** A map key: a str other than `__proto__`. */
  #key(): string {
    const bytes = this.#bytes;
    const head = this.#pos;
    const byte = head < bytes.length ? bytes[head]! : -1;
    let length: number;
    if (byte >= 0xa0 && byte < 0xc0) {
      this.#pos = head + 1;
      length = byte & 0x1f;
    } else if (byte === 0xd9) {
      length = bytes[this.#take(head, 1)]!;
    } else if (byte === 0xda) {
      length = uint16(bytes, this.#take(head, 2));
    } else if (byte === 0xdb) {
      length = uint32(bytes, this.#take(head, 4));
    } else if (byte === -1) {
      throw new MsgpackDecodeError("TRUNCATED", head, "input ends before a map key");
    } else {
      throw new MsgpackDecodeError(
        "KEY_NOT_STRING",
        head,
        `map key with format byte 0x${byte.toString(16)} is not a str`,
      );
    }
    const start = this.#strStart(head, length);
    const key = readKey(bytes, start, this.#pos);
    if (key === "__proto__") {
      throw new MsgpackDecodeError("KEY_FORBIDDEN", head, 'map key "__proto__" is not allowed');
    }
    return key;
  }

  /** Checks that a container at `depth` may open one more level. */
  #enter(head: number, depth: number): void {
    if (depth >= this.#maxDepth) {
      throw new MsgpackDecodeError("TOO_DEEP", head, `nesting deeper than ${this.#maxDepth}`);
    }
  }

  #tooLong(head: number, kind: string, length: number, max: number): MsgpackDecodeError {
    return new MsgpackDecodeError(
      "LIMIT_EXCEEDED",
      head,
      `${kind} length ${length} exceeds limit ${max}`,
    );
  }
}

function uint16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function uint32(bytes: Uint8Array, at: number): number {
  return bytes[at]! * 0x100_0000 +
    ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
}

function int32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

function float(bytes: Uint8Array, at: number, size: 4 | 8): number {
  for (let i = 0; i < size; i++) scratch.setUint8(i, bytes[at + i]!);
  return size === 4 ? scratch.getFloat32(0) : scratch.getFloat64(0);
}
