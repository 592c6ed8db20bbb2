/**
 * A connection's responses waiting to be written, framed back to back in one growable
 * buffer: a burst of pipelined requests is answered with one write, without a buffer per
 * response or a copy to join them.
 *
 * @module
 */

import { FRAME_HEADER_BYTES, type Response } from "../protocol/mod.ts";
import { MsgpackEncoder, writeUintAt } from "../protocol/msgpack_encoder.ts";
import { writeUtf8 } from "../protocol/_utf8.ts";
import { appendFrame, checkMessageLength, frameHeaderAt } from "../protocol/_frame_append.ts";

const encoder = new MsgpackEncoder();

/** `{type: "ok", id:` as msgpack: a map of 3, its first key and value, the second key. */
const TASK_ACK_HEAD = Uint8Array.of(
  0x83,
  0xa4,
  ...bytesOf("type"),
  0xa2,
  ...bytesOf("ok"),
  0xa2,
  ...bytesOf("id"),
);
/** The `taskId` key as msgpack. */
const TASK_ID_KEY = Uint8Array.of(0xa6, ...bytesOf("taskId"));
/** Room a task's acknowledgment takes at most: frame header, the above, a uint32, a fixstr. */
const TASK_ACK_MAX_BYTES = FRAME_HEADER_BYTES + TASK_ACK_HEAD.length + 5 + TASK_ID_KEY.length + 1 +
  31 * 3;

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

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
    // A submit's answer, what a burst is answered with: written here, as the encoder would.
    if (
      response.type === "ok" && response.taskId !== undefined && response.count === undefined &&
      response.skipped === undefined && response.decision === undefined &&
      this.#appendTaskAck(response.id, response.taskId)
    ) {
      return;
    }
    const payload = encoder.encodeShared(response);
    checkMessageLength(response.type, response.id, payload.byteLength, maxFrameBytes);
    const start = this.#length;
    this.#buffer = appendFrame(this.#buffer, start, payload);
    this.#length = start + FRAME_HEADER_BYTES + payload.byteLength;
  }

  /**
   * Frames `{type: "ok", id, taskId}` (in that order, as the encoder writes it); false,
   * with nothing appended, when `taskId` needs more than a fixstr.
   */
  #appendTaskAck(id: number, taskId: string): boolean {
    if (taskId.length > 31) return false;
    const start = this.#length;
    this.#reserve(start + TASK_ACK_MAX_BYTES);
    const bytes = this.#buffer;
    let at = start + FRAME_HEADER_BYTES;
    bytes.set(TASK_ACK_HEAD, at);
    at += TASK_ACK_HEAD.length;
    at = writeUintAt(bytes, at, id);
    bytes.set(TASK_ID_KEY, at);
    at += TASK_ID_KEY.length;
    const end = writeUtf8(taskId, bytes, at + 1);
    const length = end - at - 1;
    if (length > 31) return false;
    bytes[at] = 0xa0 | length;
    frameHeaderAt(bytes, start, end - start - FRAME_HEADER_BYTES);
    this.#length = end;
    return true;
  }

  /** Grows the buffer, keeping what it holds, to at least `bytes`. */
  #reserve(bytes: number): void {
    if (bytes <= this.#buffer.length) return;
    const grown = new Uint8Array(Math.max(bytes, this.#buffer.length * 2));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
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
