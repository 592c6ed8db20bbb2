/**
 * Keeps an `event` request within one frame: the hook reads up to 1 MiB of stdin, and a
 * frame holds 1 MiB including the context, so an event near that size (a large tool
 * output) is cut to fit, as stdin over the limit already is.
 *
 * @module
 */

import { DEFAULT_MAX_FRAME_BYTES } from "../../protocol/frame.ts";
import { encodeEventFrame } from "../../protocol/event_exchange.ts";
import { MAX_REQUEST_ID } from "../../protocol/messages.ts";
import type { HookContext } from "../../protocol/messages.ts";
import { EVENT_LIMITS } from "../../protocol/event_request.ts";

/** The most bytes a msgpack `bin` header takes (bin 32). */
const BIN_HEADER_BYTES = 5;
/** Generous room for the message's keys, ids and numbers besides its strings. */
const FIXED_OVERHEAD_BYTES = 512;

/** An upper bound of the context's encoded size, cheap enough to take on every event. */
function contextBound(context: HookContext): number {
  let chars = context.cwd.length + (context.projectDir?.length ?? 0) +
    (context.hookName?.length ?? 0);
  for (const [name, value] of Object.entries(context.env)) chars += name.length + value.length;
  // A UTF-16 code unit takes at most 3 bytes in UTF-8; each string at most 5 bytes of header.
  const strings = 3 + 2 * Object.keys(context.env).length;
  return 3 * chars + strings * 5 + (context.projectConfig?.byteLength ?? 0) +
    FIXED_OVERHEAD_BYTES;
}

/**
 * The payload and context to send so that the `event` request fits in a frame: unchanged
 * when they fit, else the payload cut to the room the context leaves and the context
 * marked `truncated` (the daemon then recovers what it can, as for stdin cut at its
 * limit). A context too big for any frame is returned as it is; encoding it then fails
 * with `FRAME_TOO_LARGE`.
 *
 * @param payload The hook's stdin.
 * @param context The hook's context.
 * @param maxFrameBytes The frame limit. @default {DEFAULT_MAX_FRAME_BYTES}
 * @returns What to send.
 *
 * @example
 * ```ts
 * import { fitEventPayload } from "./fit_event_payload.ts";
 *
 * const context = { cwd: "/src/app", env: {}, receivedAt: 0 };
 * const { payload, context: sent } = fitEventPayload(new Uint8Array(2_000), context, 1_000);
 * console.log(payload.byteLength < 1_000, sent.truncated); // true true
 * ```
 */
export function fitEventPayload(
  payload: Uint8Array,
  context: HookContext,
  maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES,
): { payload: Uint8Array; context: HookContext } {
  if (payload.byteLength + BIN_HEADER_BYTES + contextBound(context) <= maxFrameBytes) {
    return { payload, context };
  }
  const cutContext: HookContext = { ...context, truncated: true };
  // Measured with the longest wait a permission request may add, so that the frame still
  // fits when it does.
  const measured: HookContext = {
    ...cutContext,
    decisionWaitMs: cutContext.decisionWaitMs ?? EVENT_LIMITS.maxDecisionWaitMs,
  };
  const frame = encodeEventFrame(
    { type: "event", id: MAX_REQUEST_ID, payload: new Uint8Array(), context: measured },
    Number.MAX_SAFE_INTEGER,
  );
  // The frame's 4-byte header is not counted against the limit; an empty bin takes 2 bytes.
  const withoutPayload = frame.byteLength - 4 - 2;
  const room = maxFrameBytes - withoutPayload - BIN_HEADER_BYTES;
  if (payload.byteLength <= room) return { payload, context };
  if (room < 0) return { payload, context };
  return { payload: payload.subarray(0, room), context: cutContext };
}
