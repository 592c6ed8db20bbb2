/**
 * The frame decoder as a `TransformStream`, for code that reads sockets as web streams.
 * Kept apart from `frame_decoder.ts`: a class that extends `TransformStream` makes Deno load
 * its web streams when the module is evaluated (about 2 ms), which the hook, a process
 * started on every Claude Code event, must not pay.
 *
 * @module
 */

import { ErrorCode, ProtocolError } from "./errors.ts";
import type { FrameOptions } from "./frame.ts";
import { FrameDecoder } from "./frame_decoder.ts";

/**
 * A `TransformStream` from bytes to frame payloads, for use with `pipeThrough`.
 * The stream errors with a {@linkcode ProtocolError} on an oversize header, and with
 * `TRUNCATED_FRAME` if the input ends inside a frame.
 *
 * @example Payloads from a stream of chunks
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrame, FrameDecoderStream } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const input = ReadableStream.from([encodeFrame(new Uint8Array([1])), encodeFrame(new Uint8Array([2]))]);
 * const payloads = await Array.fromAsync(input.pipeThrough(new FrameDecoderStream()));
 * assert.deepEqual(payloads, [new Uint8Array([1]), new Uint8Array([2])]);
 * ```
 */
export class FrameDecoderStream extends TransformStream<Uint8Array, Uint8Array> {
  /**
   * Creates the stream with the given frame limit.
   *
   * @param options The largest payload accepted. @default {1048576}
   *
   * @example A stream that ends inside a frame errors
   * ```ts
   * import assert from "node:assert/strict";
   * import { FrameDecoderStream } from "@claude-ntfy/claude-ntfy/protocol";
   *
   * const cut = ReadableStream.from([new Uint8Array([0, 0, 0, 9, 1])]);
   * await assert.rejects(Array.fromAsync(cut.pipeThrough(new FrameDecoderStream())), /stream ended inside a frame/);
   * ```
   */
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
