/**
 * The claude-ntfy wire protocol: typed request and response messages, length-prefixed
 * msgpack frames, a streaming frame decoder and the notification task that travels in
 * `submit`. Pure: no I/O, no timers, usable in any JavaScript runtime.
 *
 * @example A request round trip
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeRequest, encodeRequest, FrameDecoder } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const decoder = new FrameDecoder();
 * const bytes = encodeRequest({ type: "ping", id: 1 });
 * const requests = decoder.push(bytes).map(decodeRequest);
 * assert.deepEqual(requests, [{ type: "ping", id: 1 }]);
 * ```
 *
 * @module
 */

export * from "./errors.ts";
export * from "./messages.ts";
export * from "./task.ts";
export * from "./event_request.ts";
export * from "./event_exchange.ts";
export * from "./permission_decision.ts";
export * from "./frame.ts";
export * from "./frame_decoder.ts";
export * from "./frame_decoder_stream.ts";
export * from "./codec.ts";
