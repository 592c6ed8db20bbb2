/**
 * The claude-ntfy wire protocol: typed request and response messages, length-prefixed
 * msgpack frames, a streaming frame decoder and the notification task that travels in
 * `submit`. Pure: no I/O, no timers, usable in any JavaScript runtime.
 *
 * @example A request round trip
 * ```ts
 * import { decodeRequest, encodeRequest, FrameDecoder } from "./mod.ts";
 *
 * const decoder = new FrameDecoder();
 * const bytes = encodeRequest({ type: "ping", id: 1 });
 * for (const payload of decoder.push(bytes)) {
 *   console.log(decodeRequest(payload)); // { type: "ping", id: 1 }
 * }
 * ```
 *
 * @module
 */

export * from "./errors.ts";
export * from "./messages.ts";
export * from "./task.ts";
export * from "./event_request.ts";
export * from "./permission_decision.ts";
export * from "./frame.ts";
export * from "./frame_decoder.ts";
export * from "./codec.ts";
