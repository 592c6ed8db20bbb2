// What every writer of frames shares: the check of an encoded message against the frame
// limit, with the error all of them give, and appending a frame to a growing buffer (the
// client's outgoing requests, the daemon's answers).

import { ErrorCode, ProtocolError } from "./errors.ts";
import { FRAME_HEADER_BYTES } from "./frame.ts";

/**
 * Checks the payload length of an encoded message before it is framed.
 *
 * @throws {ProtocolError} `FRAME_TOO_LARGE`, with the message's id, when `length` is over
 * `maxFrameBytes`.
 */
export function checkMessageLength(
  type: string,
  id: number,
  length: number,
  maxFrameBytes: number,
): void {
  if (length > maxFrameBytes) {
    throw new ProtocolError(
      ErrorCode.FrameTooLarge,
      `Cannot encode ${type} message: length ${length} exceeds limit ${maxFrameBytes}`,
      { requestId: id },
    );
  }
}

/** Writes a frame header for `length` payload bytes at `at`: `writeFrameHeader` without a view. */
export function frameHeaderAt(bytes: Uint8Array, at: number, length: number): void {
  bytes[at] = length >>> 24;
  bytes[at + 1] = length >>> 16;
  bytes[at + 2] = length >>> 8;
  bytes[at + 3] = length;
}

/**
 * Writes `payload` as a frame at `at` in `buffer`, into a copy twice as large (or as large
 * as the frame needs) when it does not fit. The frame ends at
 * `at + FRAME_HEADER_BYTES + payload.byteLength`.
 *
 * @returns The buffer that holds the frame: `buffer`, or the larger copy.
 */
export function appendFrame<T extends ArrayBufferLike>(
  buffer: Uint8Array<T>,
  at: number,
  payload: Uint8Array,
): Uint8Array<T | ArrayBuffer> {
  const end = at + FRAME_HEADER_BYTES + payload.byteLength;
  let target: Uint8Array<T | ArrayBuffer> = buffer;
  if (end > buffer.length) {
    target = new Uint8Array(Math.max(end, buffer.length * 2));
    target.set(buffer.subarray(0, at));
  }
  frameHeaderAt(target, at, payload.byteLength);
  target.set(payload, at + FRAME_HEADER_BYTES);
  return target;
}
