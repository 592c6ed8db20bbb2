/**
 * A streaming frame decoder: a pure state machine fed arbitrary chunks of bytes that emits
 * whole frame payloads, however the frames were split or packed into chunks.
 *
 * @module
 */

import {
  checkFrameLength,
  DEFAULT_MAX_FRAME_BYTES,
  FRAME_HEADER_BYTES,
  type FrameOptions,
  readFrameHeader,
} from "./frame.ts";

/**
 * Splits a byte stream into frame payloads. It keeps at most one partial frame, and never
 * allocates for a frame whose header is over the limit.
 *
 * Payloads of frames that arrive whole inside one chunk are views of that chunk (no copy);
 * the caller must not reuse the chunk's memory while it holds them.
 *
 * @example Frames split across chunks
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrame, FrameDecoder } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const bytes = encodeFrame(new Uint8Array([7, 8, 9]));
 * const decoder = new FrameDecoder();
 * assert.deepEqual(decoder.push(bytes.subarray(0, 2)), []);
 * assert.deepEqual(decoder.push(bytes.subarray(2)), [new Uint8Array([7, 8, 9])]);
 * ```
 */
export class FrameDecoder {
  #maxFrameBytes: number;
  readonly #header = new Uint8Array(FRAME_HEADER_BYTES);
  #headerFilled = 0;
  #body: Uint8Array | null = null;
  #bodyFilled = 0;

  /**
   * Creates a decoder with the given frame limit.
   *
   * @param options The largest payload accepted. @default {1048576}
   *
   * @example A small limit for a peer that has not authenticated yet
   * ```ts
   * import assert from "node:assert/strict";
   * import { FrameDecoder } from "@claude-ntfy/claude-ntfy/protocol";
   *
   * const decoder = new FrameDecoder({ maxFrameBytes: 4_096 });
   * assert.throws(() => decoder.push(new Uint8Array([0, 1, 0, 0])), /exceeds limit 4096/);
   * ```
   */
  constructor(options: FrameOptions = {}) {
    this.#maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /**
   * The largest payload accepted from the next header on. A server can start low for
   * unauthenticated peers and raise it after the handshake (see {@linkcode FrameDecoder.each}).
   *
   * @example Raise the limit after the handshake
   * ```ts
   * import assert from "node:assert/strict";
   * import { FrameDecoder } from "@claude-ntfy/claude-ntfy/protocol";
   *
   * const decoder = new FrameDecoder({ maxFrameBytes: 4_096 });
   * decoder.maxFrameBytes = 1_048_576;
   * assert.equal(decoder.maxFrameBytes, 1_048_576);
   * ```
   */
  get maxFrameBytes(): number {
    return this.#maxFrameBytes;
  }

  /**
   * Sets the largest payload accepted from the next header on; a frame already being read
   * keeps the limit it was checked against.
   *
   * @param value The new limit, in bytes.
   *
   * @example Raise the limit after the handshake
   * ```ts
   * import assert from "node:assert/strict";
   * import { encodeFrame, FrameDecoder } from "@claude-ntfy/claude-ntfy/protocol";
   *
   * const decoder = new FrameDecoder({ maxFrameBytes: 16 });
   * decoder.maxFrameBytes = 64;
   * assert.equal(decoder.push(encodeFrame(new Uint8Array(32))).length, 1);
   * ```
   */
  set maxFrameBytes(value: number) {
    this.#maxFrameBytes = value;
  }

  /**
   * Bytes of an unfinished frame held by the decoder (0 between frames): what is lost if
   * the stream ends now.
   *
   * @example Half a frame
   * ```ts
   * import assert from "node:assert/strict";
   * import { encodeFrame, FrameDecoder } from "@claude-ntfy/claude-ntfy/protocol";
   *
   * const decoder = new FrameDecoder();
   * decoder.push(encodeFrame(new Uint8Array(10)).subarray(0, 7));
   * assert.equal(decoder.bufferedBytes, 7);
   * ```
   */
  get bufferedBytes(): number {
    return this.#body === null ? this.#headerFilled : FRAME_HEADER_BYTES + this.#bodyFilled;
  }

  /**
   * Feeds a chunk and returns the payloads of every frame it completes, in order.
   *
   * @param chunk The next bytes of the stream, however they were split.
   * @returns The payloads of the frames this chunk completed; often none or one.
   * @throws {ProtocolError} `FRAME_TOO_LARGE` (not recoverable) when a header is over the
   * limit; the decoder must not be used after that.
   *
   * @example Two frames in one chunk
   * ```ts
   * import assert from "node:assert/strict";
   * import { encodeFrame, FrameDecoder } from "@claude-ntfy/claude-ntfy/protocol";
   *
   * const chunk = new Uint8Array([...encodeFrame(new Uint8Array([1])), ...encodeFrame(new Uint8Array([2]))]);
   * assert.deepEqual(new FrameDecoder().push(chunk), [new Uint8Array([1]), new Uint8Array([2])]);
   * ```
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    this.each(chunk, (frame) => frames.push(frame));
    return frames;
  }

  /**
   * Feeds a chunk and calls `onFrame` for each frame as soon as it is complete, before the
   * next header is read: what `onFrame` does (e.g. raising {@linkcode FrameDecoder.maxFrameBytes}
   * after a handshake) applies to the frames that follow in the same chunk.
   *
   * @param chunk The next bytes of the stream.
   * @param onFrame Called with each payload, in order.
   * @throws {ProtocolError} `FRAME_TOO_LARGE` (not recoverable), as {@linkcode FrameDecoder.push}.
   *
   * @example A server raises its limit after the handshake, within one chunk
   * ```ts
   * import assert from "node:assert/strict";
   * import { decodeRequest, encodeRequest, FrameDecoder } from "@claude-ntfy/claude-ntfy/protocol";
   *
   * const decoder = new FrameDecoder({ maxFrameBytes: 64 });
   * const task = {
   *   target: { serverUrl: "https://ntfy.sh", topic: "claude-alerts-x7q2" },
   *   message: { body: "x".repeat(100) },
   *   origin: { event: "Stop", createdAt: 0 },
   * };
   * const chunk = new Uint8Array([
   *   ...encodeRequest({ type: "hello", id: 1, version: 2, token: "t" }),
   *   ...encodeRequest({ type: "submit", id: 2, task }),
   * ]);
   * const seen: string[] = [];
   * decoder.each(chunk, (payload) => {
   *   seen.push(decodeRequest(payload).type);
   *   decoder.maxFrameBytes = 1_048_576; // authenticated: the usual limit from now on
   * });
   * assert.deepEqual(seen, ["hello", "submit"]);
   * ```
   */
  each(chunk: Uint8Array, onFrame: (payload: Uint8Array) => void): void {
    let offset = 0;
    const end = chunk.byteLength;
    while (offset < end) {
      if (this.#body !== null) {
        const take = Math.min(this.#body.byteLength - this.#bodyFilled, end - offset);
        this.#body.set(chunk.subarray(offset, offset + take), this.#bodyFilled);
        this.#bodyFilled += take;
        offset += take;
        if (this.#bodyFilled === this.#body.byteLength) {
          const body = this.#body;
          this.#body = null;
          this.#bodyFilled = 0;
          onFrame(body);
        }
        continue;
      }
      let length: number;
      if (this.#headerFilled === 0 && end - offset >= FRAME_HEADER_BYTES) {
        length = readFrameHeader(chunk, offset);
        offset += FRAME_HEADER_BYTES;
      } else {
        const take = Math.min(FRAME_HEADER_BYTES - this.#headerFilled, end - offset);
        this.#header.set(chunk.subarray(offset, offset + take), this.#headerFilled);
        this.#headerFilled += take;
        offset += take;
        if (this.#headerFilled < FRAME_HEADER_BYTES) break;
        this.#headerFilled = 0;
        length = readFrameHeader(this.#header);
      }
      checkFrameLength(length, this.#maxFrameBytes);
      if (end - offset >= length) {
        const payload = chunk.subarray(offset, offset + length);
        offset += length;
        onFrame(payload);
      } else {
        this.#body = new Uint8Array(length);
        this.#bodyFilled = 0;
      }
    }
  }
}
