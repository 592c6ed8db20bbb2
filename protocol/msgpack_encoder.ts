/**
 * A small msgpack encoder for the values the protocol and the journal carry, with no
 * dependencies. Kept out of `mod.ts`: it is shared by `protocol/` and `daemon/`, not
 * offered to users of the package.
 *
 * @module
 */

import { writeUtf8 } from "./_utf8.ts";

/** Options for {@linkcode MsgpackEncoder}. */
export interface MsgpackEncoderOptions {
  /**
   * Deepest nesting of arrays and maps encoded; deeper values (such as a cycle) throw a
   * `RangeError` instead of overflowing the stack.
   * @default {100}
   */
  maxDepth?: number;
  /**
   * Bytes the output buffer starts with; it grows as needed and is kept for the next value.
   * @default {2048}
   */
  initialBufferSize?: number;
}

const UINT32 = 0x1_0000_0000;

/**
 * Writes `value`, an integer from 0 to 2^32 − 1, as msgpack's shortest uint at `at` in
 * `bytes` (which must have room for 5 bytes); the encoder's own, and the daemon's for the
 * answers it writes without the encoder.
 *
 * @param bytes Where to write.
 * @param at The position of the first byte.
 * @param value The integer.
 * @returns The position after the last byte written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeUintAt } from "./msgpack_encoder.ts";
 *
 * const bytes = new Uint8Array(5);
 * assert.equal(writeUintAt(bytes, 0, 300), 3);
 * assert.deepEqual([...bytes.subarray(0, 3)], [0xcd, 0x01, 0x2c]);
 * ```
 */
export function writeUintAt(bytes: Uint8Array, at: number, value: number): number {
  if (value < 0x80) {
    bytes[at] = value;
    return at + 1;
  }
  if (value < 0x100) {
    bytes[at] = 0xcc;
    bytes[at + 1] = value;
    return at + 2;
  }
  if (value < 0x10000) {
    bytes[at] = 0xcd;
    bytes[at + 1] = value >>> 8;
    bytes[at + 2] = value;
    return at + 3;
  }
  bytes[at] = 0xce;
  bytes[at + 1] = value >>> 24;
  bytes[at + 2] = value >>> 16;
  bytes[at + 3] = value >>> 8;
  bytes[at + 4] = value;
  return at + 5;
}

/**
 * Bytes already encoded as one msgpack value, written as they are by
 * {@linkcode MsgpackEncoder} (not checked: they must hold exactly one value).
 *
 * @example Embedding a value encoded earlier
 * ```ts
 * import assert from "node:assert/strict";
 * import { EncodedMsgpack, MsgpackEncoder } from "./msgpack_encoder.ts";
 *
 * const encoder = new MsgpackEncoder();
 * const inner = encoder.encode({ a: 1 });
 * assert.deepEqual(encoder.encode([new EncodedMsgpack(inner)]), encoder.encode([{ a: 1 }]));
 * ```
 */
export class EncodedMsgpack {
  /** The encoded value. */
  readonly bytes: Uint8Array;

  /** Wraps `bytes` (not copied). */
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
}

/**
 * Encodes values as msgpack into one output buffer that it keeps and reuses:
 *
 * - `null` and `undefined` as nil; an `undefined` map value is left out with its key;
 * - booleans;
 * - safe integers (including -0) in the smallest int format (what `@msgpack/msgpack`
 *   writes too), any other number as float 64;
 * - strings as UTF-8, in the smallest str format; a lone surrogate becomes U+FFFD, as with
 *   `TextEncoder`;
 * - `Uint8Array` as bin; an {@linkcode EncodedMsgpack} as the bytes it holds;
 * - arrays; plain objects (prototype `Object.prototype` or `null`) as maps of their own
 *   enumerable string keys, in `Object.keys` order.
 *
 * Anything else (bigint, symbol, function, `Date`, `Map`, class instances) throws a
 * `TypeError`. Not reentrant: a getter must not use the same encoder.
 *
 * @example Encoding a message
 * ```ts
 * import assert from "node:assert/strict";
 * import { MsgpackEncoder } from "./msgpack_encoder.ts";
 *
 * const encoder = new MsgpackEncoder();
 * const bytes = encoder.encode({ type: "ping", id: 1, extra: undefined });
 * assert.deepEqual([...bytes], [0x82, 0xa4, 0x74, 0x79, 0x70, 0x65, 0xa4, 0x70, 0x69, 0x6e, 0x67, 0xa2, 0x69, 0x64, 0x01]);
 * ```
 */
export class MsgpackEncoder {
  readonly #maxDepth: number;
  #bytes: Uint8Array;
  #view: DataView;
  #pos = 0;

  /** Creates an encoder with its own output buffer. */
  constructor(options: MsgpackEncoderOptions = {}) {
    this.#maxDepth = options.maxDepth ?? 100;
    this.#bytes = new Uint8Array(options.initialBufferSize ?? 2048);
    this.#view = new DataView(this.#bytes.buffer);
  }

  /**
   * The msgpack bytes of `value` in a new buffer of their own.
   *
   * @throws {TypeError} when `value` holds something msgpack cannot carry here.
   * @throws {RangeError} when `value` nests deeper than `maxDepth`.
   */
  encode(value: unknown): Uint8Array {
    return this.encodeShared(value).slice();
  }

  /**
   * The msgpack bytes of `value` as a view of the encoder's own buffer: no copy, but only
   * valid until the next call on this encoder.
   *
   * @throws {TypeError} when `value` holds something msgpack cannot carry here.
   * @throws {RangeError} when `value` nests deeper than `maxDepth`.
   */
  encodeShared(value: unknown): Uint8Array {
    this.#pos = 0;
    this.#value(value, 0);
    return this.#bytes.subarray(0, this.#pos);
  }

  #reserve(bytes: number): void {
    const needed = this.#pos + bytes;
    if (needed <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.#bytes.length * 2));
    grown.set(this.#bytes.subarray(0, this.#pos));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }

  #value(value: unknown, depth: number): void {
    switch (typeof value) {
      case "string":
        return this.#string(value);
      case "number":
        return this.#number(value);
      case "boolean":
        this.#reserve(1);
        this.#bytes[this.#pos++] = value ? 0xc3 : 0xc2;
        return;
      case "undefined":
        this.#reserve(1);
        this.#bytes[this.#pos++] = 0xc0;
        return;
      case "object":
        if (value === null) {
          this.#reserve(1);
          this.#bytes[this.#pos++] = 0xc0;
          return;
        }
        if (value instanceof Uint8Array) return this.#binary(value);
        if (Array.isArray(value)) return this.#array(value, this.#enter(depth));
        if (isPlainObject(value)) return this.#map(value, this.#enter(depth));
        if (value instanceof EncodedMsgpack) return this.#encoded(value.bytes);
    }
    throw new TypeError(`Cannot encode value: unsupported type "${describe(value)}"`);
  }

  /** The depth inside a container entered at `depth`. */
  #enter(depth: number): number {
    if (depth >= this.#maxDepth) {
      throw new RangeError(`Cannot encode value: nesting deeper than ${this.#maxDepth}`);
    }
    return depth + 1;
  }

  #number(value: number): void {
    this.#reserve(9);
    const bytes = this.#bytes;
    let pos = this.#pos;
    if (!Number.isSafeInteger(value)) {
      bytes[pos] = 0xcb;
      this.#view.setFloat64(pos + 1, value);
      this.#pos = pos + 9;
      return;
    }
    if (value >= 0) {
      if (value < UINT32) {
        pos = writeUintAt(bytes, pos, value);
      } else {
        bytes[pos++] = 0xcf;
        this.#view.setUint32(pos, Math.floor(value / UINT32));
        this.#view.setUint32(pos + 4, value >>> 0);
        pos += 8;
      }
    } else if (value >= -0x20) {
      bytes[pos++] = value & 0xff;
    } else if (value >= -0x80) {
      bytes[pos++] = 0xd0;
      bytes[pos++] = value & 0xff;
    } else if (value >= -0x8000) {
      bytes[pos++] = 0xd1;
      bytes[pos++] = value >> 8;
      bytes[pos++] = value;
    } else if (value >= -0x8000_0000) {
      bytes[pos++] = 0xd2;
      this.#view.setInt32(pos, value);
      pos += 4;
    } else {
      bytes[pos++] = 0xd3;
      this.#view.setInt32(pos, Math.floor(value / UINT32));
      this.#view.setUint32(pos + 4, value >>> 0);
      pos += 8;
    }
    this.#pos = pos;
  }

  #string(value: string): void {
    const units = value.length;
    this.#reserve(5 + units * 3);
    // The byte length lies between `units` and `3 * units`: guess the header from the
    // lower bound and move the bytes in the rare case that the real length needs more.
    const start = this.#pos;
    const guess = strHeaderBytes(units);
    const end = writeUtf8(value, this.#bytes, start + guess);
    const length = end - start - guess;
    const header = strHeaderBytes(length);
    if (header !== guess) this.#bytes.copyWithin(start + header, start + guess, end);
    this.#header(start, header, length, 0xa0, 0xda);
    this.#pos = start + header + length;
  }

  /**
   * Writes at `at` the `size`-byte header of a str, array or map of `count` bytes or
   * entries: `fix` is its fix format, `wide` its 16-bit format (8-bit is the one before,
   * 32-bit the one after).
   */
  #header(at: number, size: number, count: number, fix: number, wide: number): void {
    const bytes = this.#bytes;
    if (size === 1) {
      bytes[at] = fix | count;
    } else if (size === 2) {
      bytes[at] = wide - 1;
      bytes[at + 1] = count;
    } else if (size === 3) {
      bytes[at] = wide;
      bytes[at + 1] = count >>> 8;
      bytes[at + 2] = count;
    } else {
      bytes[at] = wide + 1;
      this.#view.setUint32(at + 1, count);
    }
  }

  #binary(value: Uint8Array): void {
    const length = value.length;
    this.#reserve(5 + length);
    const bytes = this.#bytes;
    let pos = this.#pos;
    if (length < 0x100) {
      bytes[pos++] = 0xc4;
      bytes[pos++] = length;
    } else if (length < 0x10000) {
      bytes[pos++] = 0xc5;
      bytes[pos++] = length >>> 8;
      bytes[pos++] = length;
    } else {
      bytes[pos++] = 0xc6;
      this.#view.setUint32(pos, length);
      pos += 4;
    }
    bytes.set(value, pos);
    this.#pos = pos + length;
  }

  #encoded(value: Uint8Array): void {
    this.#reserve(value.length);
    this.#bytes.set(value, this.#pos);
    this.#pos += value.length;
  }

  #array(value: readonly unknown[], depth: number): void {
    const length = value.length;
    const header = containerHeaderBytes(length);
    this.#reserve(header);
    this.#header(this.#pos, header, length, 0x90, 0xdc);
    this.#pos += header;
    for (let i = 0; i < length; i++) this.#value(value[i], depth);
  }

  #map(value: Record<string, unknown>, depth: number): void {
    const keys = Object.keys(value);
    // Undefined values are left out, so the count is known only at the end: leave room
    // for the header of all keys and move the entries if the real count needs less.
    const guess = containerHeaderBytes(keys.length);
    const start = this.#pos;
    this.#reserve(guess);
    this.#pos += guess;
    let count = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const item = value[key];
      if (item === undefined) continue;
      this.#string(key);
      this.#value(item, depth);
      count++;
    }
    const header = containerHeaderBytes(count);
    const end = this.#pos;
    if (header !== guess) this.#bytes.copyWithin(start + header, start + guess, end);
    this.#header(start, header, count, 0x80, 0xde);
    this.#pos = end - guess + header;
  }
}

/** Bytes of the str header for `length` bytes of UTF-8. */
function strHeaderBytes(length: number): number {
  return length < 32 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
}

/** Bytes of the array or map header for `count` entries. */
function containerHeaderBytes(count: number): number {
  return count < 16 ? 1 : count < 0x10000 ? 3 : 5;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describe(value: unknown): string {
  if (typeof value !== "object" || value === null) return typeof value;
  return value.constructor?.name ?? "object";
}
