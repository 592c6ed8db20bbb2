/**
 * A streaming frame decoder: a pure state machine fed arbitrary chunks of bytes that emits
 * whole frame payloads, however the frames were split or packed into chunks.
 *
 * @module
 */

import { ErrorCode, ProtocolError } from "./errors.ts";
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
 * import { encodeFrame, FrameDecoder } from "./mod.ts";
 *
 * const bytes = encodeFrame(new Uint8Array([7, 8, 9]));
 * const decoder = new FrameDecoder();
 * console.log(decoder.push(bytes.subarray(0, 2)).length); // 0
 * console.log(decoder.push(bytes.subarray(2))[0]); // Uint8Array(3) [7, 8, 9]
 * ```
 */
export class FrameDecoder {
  #maxFrameBytes: number;
  readonly #header = new Uint8Array(FRAME_HEADER_BYTES);
  #headerFilled = 0;
  #body: Uint8Array | null = null;
  #bodyFilled = 0;

  /** Creates a decoder with the given frame limit. */
  constructor(options: FrameOptions = {}) {
    this.#maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /**
   * The largest payload accepted from the next header on. A server can start low for
   * unauthenticated peers and raise it after the handshake (see {@linkcode FrameDecoder.each}).
   */
  get maxFrameBytes(): number {
    return this.#maxFrameBytes;
  }

  set maxFrameBytes(value: number) {
    this.#maxFrameBytes = value;
  }

  /** Bytes of an unfinished frame held by the decoder (0 between frames). */
  get bufferedBytes(): number {
    return this.#body === null ? this.#headerFilled : FRAME_HEADER_BYTES + this.#bodyFilled;
  }

  /**
   * Feeds a chunk and returns the payloads of every frame it completes, in order.
   *
   * @throws {ProtocolError} `FRAME_TOO_LARGE` (not recoverable) when a header is over the
   * limit; the decoder must not be used after that.
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
   * @throws {ProtocolError} `FRAME_TOO_LARGE` (not recoverable), as {@linkcode FrameDecoder.push}.
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

/**
 * A `TransformStream` from bytes to frame payloads, for use with `pipeThrough`.
 * The stream errors with a {@linkcode ProtocolError} on an oversize header, and with
 * `TRUNCATED_FRAME` if the input ends inside a frame.
 *
 * @example
 * ```ts
 * import { encodeFrame, FrameDecoderStream } from "./mod.ts";
 *
 * const input = ReadableStream.from([encodeFrame(new Uint8Array([1])), encodeFrame(new Uint8Array([2]))]);
 * for await (const payload of input.pipeThrough(new FrameDecoderStream())) {
 *   console.log(payload); // Uint8Array(1) [1], then Uint8Array(1) [2]
 * }
 * ```
 */
export class FrameDecoderStream extends TransformStream<Uint8Array, Uint8Array> {
  /** Creates the stream with the given frame limit. */
  constructor(options: FrameOptions = {}) {
    const decoder = new FrameDecoder(options);
    super({
      transform(chunk, controller) {
        for (const frame of decoder.push(chunk)) controller.enqueue(frame);
      },
      flush() {
        if (decoder.bufferedBytes > 0) {
          throw new ProtocolError(
            ErrorCode.TruncatedFrame,
            `Cannot decode frame: stream ended inside a frame (${decoder.bufferedBytes} bytes buffered)`,
            { recoverable: false },
          );
        }
      },
    });
  }
}
