/**
 * Length-prefixed frames: a 4-byte unsigned big-endian length, then that many bytes of
 * msgpack payload.
 *
 * @module
 */

import { ErrorCode, ProtocolError } from "./errors.ts";

/** Size of the length header that starts every frame. */
export const FRAME_HEADER_BYTES = 4;

/** Default largest payload accepted: 1 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

/** Options shared by the framing functions. */
export interface FrameOptions {
  /**
   * The largest payload, in bytes, that may be sent or accepted.
   * @default {1048576}
   */
  maxFrameBytes?: number;
}

/**
 * Checks a frame's announced length against the limit. Called on the header, before any
 * allocation, so that a hostile header cannot make the reader allocate.
 *
 * @param length The payload length a header announced.
 * @param maxFrameBytes The largest payload accepted.
 * @throws {ProtocolError} `FRAME_TOO_LARGE` (not recoverable) when `length` is over it.
 *
 * @example An oversize header is refused before reading on
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkFrameLength, ProtocolError } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * checkFrameLength(1_000, 1_024);
 * assert.throws(() => checkFrameLength(9_000_000, 1_048_576), (error: unknown) =>
 *   error instanceof ProtocolError && error.code === "FRAME_TOO_LARGE" && !error.recoverable
 * );
 * ```
 */
export function checkFrameLength(length: number, maxFrameBytes: number): void {
  if (length > maxFrameBytes) {
    throw new ProtocolError(
      ErrorCode.FrameTooLarge,
      `Cannot decode frame: length ${length} exceeds limit ${maxFrameBytes}`,
      { recoverable: false },
    );
  }
}

/**
 * Wraps a payload in a frame: its length in 4 bytes, big-endian, then the payload.
 *
 * @param payload The bytes to send (a msgpack message, for this protocol).
 * @param options The largest payload allowed.
 * @returns A new array holding the frame.
 * @throws {ProtocolError} `FRAME_TOO_LARGE` when the payload is over the limit.
 *
 * @example A three-byte payload
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrame } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * assert.deepEqual(encodeFrame(new Uint8Array([1, 2, 3])), new Uint8Array([0, 0, 0, 3, 1, 2, 3]));
 * ```
 */
export function encodeFrame(payload: Uint8Array, options: FrameOptions = {}): Uint8Array {
  const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (payload.byteLength > max) {
    throw new ProtocolError(
      ErrorCode.FrameTooLarge,
      `Cannot encode frame: length ${payload.byteLength} exceeds limit ${max}`,
    );
  }
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.byteLength);
  writeFrameHeader(frame, payload.byteLength);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

/**
 * Writes a frame header: `length` as 4 bytes, big-endian, at the start of `target`.
 *
 * @param target Where the frame is being built; at least 4 bytes long.
 * @param length The payload's length.
 *
 * @example Building a frame in place
 * ```ts
 * import assert from "node:assert/strict";
 * import { FRAME_HEADER_BYTES, writeFrameHeader } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const frame = new Uint8Array(FRAME_HEADER_BYTES + 2);
 * writeFrameHeader(frame, 2);
 * frame.set([0xc0, 0xc0], FRAME_HEADER_BYTES);
 * assert.deepEqual(frame, new Uint8Array([0, 0, 0, 2, 0xc0, 0xc0]));
 * ```
 */
export function writeFrameHeader(target: Uint8Array, length: number): void {
  target[0] = (length >>> 24) & 0xff;
  target[1] = (length >>> 16) & 0xff;
  target[2] = (length >>> 8) & 0xff;
  target[3] = length & 0xff;
}

/**
 * Reads a frame header: the 4-byte big-endian length at `offset`.
 *
 * @param source Bytes holding a header; the caller ensures 4 bytes are there.
 * @param offset Where the header starts.
 * @returns The payload length it announces (0 to 2^32 - 1).
 *
 * @example The length of the frame that follows
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrame, readFrameHeader } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const two = [...encodeFrame(new Uint8Array(5)), ...encodeFrame(new Uint8Array(300))];
 * assert.equal(readFrameHeader(new Uint8Array(two)), 5);
 * assert.equal(readFrameHeader(new Uint8Array(two), 9), 300);
 * ```
 */
export function readFrameHeader(source: Uint8Array, offset = 0): number {
  return ((source[offset]! << 24) >>> 0) + (source[offset + 1]! << 16) +
    (source[offset + 2]! << 8) + source[offset + 3]!;
}

/**
 * Unwraps a buffer that holds exactly one frame and returns its payload (a view, not a copy).
 *
 * @param buffer Exactly one frame.
 * @param options The largest payload accepted.
 * @returns The payload.
 * @throws {ProtocolError} `FRAME_TOO_LARGE` when the header is over the limit (checked
 * before anything else), `TRUNCATED_FRAME` when bytes are missing or left over.
 *
 * @example A round trip
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFrame, encodeFrame } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * assert.deepEqual(decodeFrame(encodeFrame(new Uint8Array([42]))), new Uint8Array([42]));
 * assert.throws(() => decodeFrame(new Uint8Array([0, 0, 0, 2, 42])), /header says 2 bytes but 1 follow/);
 * ```
 */
export function decodeFrame(buffer: Uint8Array, options: FrameOptions = {}): Uint8Array {
  if (buffer.byteLength < FRAME_HEADER_BYTES) {
    throw new ProtocolError(
      ErrorCode.TruncatedFrame,
      `Cannot decode frame: ${buffer.byteLength} bytes is shorter than the 4-byte header`,
      { recoverable: false },
    );
  }
  const length = readFrameHeader(buffer);
  checkFrameLength(length, options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
  const available = buffer.byteLength - FRAME_HEADER_BYTES;
  if (available !== length) {
    throw new ProtocolError(
      ErrorCode.TruncatedFrame,
      `Cannot decode frame: header says ${length} bytes but ${available} follow`,
      { recoverable: false },
    );
  }
  return buffer.subarray(FRAME_HEADER_BYTES);
}
