/**
 * A connection's responses waiting to be written, framed back to back in one growable
 * buffer: a burst of pipelined requests is answered with one write, without a buffer per
 * response or a copy to join them.
 *
 * @module
 */

import {
  ErrorCode,
  FRAME_HEADER_BYTES,
  ProtocolError,
  type Response,
  writeFrameHeader,
} from "../protocol/mod.ts";
import { MsgpackEncoder } from "../protocol/msgpack_encoder.ts";

const encoder = new MsgpackEncoder();

/** Small: most connections send one request; a pipelining one grows it once and keeps it. */
const INITIAL_BYTES = 1024;
/** A written buffer up to this size is kept for the next responses; larger ones are let go. */
const MAX_SPARE_BYTES = 1024 * 1024;

/**
 * Responses framed back to back. Two buffers take turns: one fills while the other is
 * being written.
 *
 * @example Two answers, one write
 * ```ts
 * import { ResponseBuffer } from "./response_buffer.ts";
 * import { decodeResponse, FrameDecoder } from "../protocol/mod.ts";
 *
 * const out = new ResponseBuffer();
 * out.append({ type: "ok", id: 1 }, 1024);
 * out.append({ type: "ok", id: 2, taskId: "t-2" }, 1024);
 * const bytes = out.take();
 * const answers = new FrameDecoder().push(bytes).map(decodeResponse);
 * console.log(answers.map((answer) => answer.id)); // [1, 2]
 * out.recycle(bytes); // written: its buffer takes the next responses
 * ```
 */
export class ResponseBuffer {
  #buffer: Uint8Array = new Uint8Array(INITIAL_BYTES);
  #length = 0;
  #spare: Uint8Array | undefined;

  /** Bytes waiting. */
  get byteLength(): number {
    return this.#length;
  }

  /**
   * Frames `response` onto the end.
   *
   * @throws {ProtocolError} `FRAME_TOO_LARGE` (with the response's id) when its payload is
   * over `maxFrameBytes`; nothing is appended.
   * @throws {TypeError} when the response holds a value msgpack cannot carry.
   */
  append(response: Response, maxFrameBytes: number): void {
    const payload = encoder.encodeShared(response);
    if (payload.byteLength > maxFrameBytes) {
      throw new ProtocolError(
        ErrorCode.FrameTooLarge,
        `Cannot encode ${response.type} message: length ${payload.byteLength} exceeds limit ${maxFrameBytes}`,
        { requestId: response.id },
      );
    }
    const start = this.#length;
    const end = start + FRAME_HEADER_BYTES + payload.byteLength;
    if (end > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(end, this.#buffer.length * 2));
      grown.set(this.#buffer.subarray(0, start));
      this.#buffer = grown;
    }
    writeFrameHeader(this.#buffer.subarray(start), payload.byteLength);
    this.#buffer.set(payload, start + FRAME_HEADER_BYTES);
    this.#length = end;
  }

  /**
   * Everything waiting, as a view of the filled buffer; later responses go to the other
   * one. Hand the bytes to {@linkcode ResponseBuffer.recycle} once written.
   */
  take(): Uint8Array {
    const bytes = this.#buffer.subarray(0, this.#length);
    this.#buffer = this.#spare ?? new Uint8Array(INITIAL_BYTES);
    this.#spare = undefined;
    this.#length = 0;
    return bytes;
  }

  /** Takes back bytes from {@linkcode ResponseBuffer.take} once written, to fill again. */
  recycle(bytes: Uint8Array): void {
    if (bytes.buffer.byteLength <= MAX_SPARE_BYTES) this.#spare = new Uint8Array(bytes.buffer);
  }

  /** Drops everything waiting. */
  clear(): void {
    this.#length = 0;
  }
}
