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

/** Throws unless `length` fits the limit; called on the header, before any allocation. */
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
 * Wraps a payload in a frame.
 *
 * @throws {ProtocolError} `FRAME_TOO_LARGE` when the payload is over the limit.
 *
 * @example
 * ```ts
 * import { encodeFrame } from "./mod.ts";
 *
 * const frame = encodeFrame(new Uint8Array([1, 2, 3]));
 * console.log(frame); // Uint8Array(7) [0, 0, 0, 3, 1, 2, 3]
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

/** Writes a big-endian length header at the start of `target`. */
export function writeFrameHeader(target: Uint8Array, length: number): void {
  target[0] = (length >>> 24) & 0xff;
  target[1] = (length >>> 16) & 0xff;
  target[2] = (length >>> 8) & 0xff;
  target[3] = length & 0xff;
}

/** Reads the big-endian length header at `offset`. The caller ensures 4 bytes are there. */
export function readFrameHeader(source: Uint8Array, offset = 0): number {
  return ((source[offset]! << 24) >>> 0) + (source[offset + 1]! << 16) +
    (source[offset + 2]! << 8) + source[offset + 3]!;
}

/**
 * Unwraps a buffer that holds exactly one frame and returns its payload (a view, not a copy).
 *
 * @throws {ProtocolError} `FRAME_TOO_LARGE` when the header is over the limit (checked
 * before anything else), `TRUNCATED_FRAME` when bytes are missing or left over.
 *
 * @example
 * ```ts
 * import { decodeFrame, encodeFrame } from "./mod.ts";
 *
 * const payload = decodeFrame(encodeFrame(new Uint8Array([42])));
 * console.log(payload[0]); // 42
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
