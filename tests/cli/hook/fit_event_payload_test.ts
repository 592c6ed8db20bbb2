// fitEventPayload(): an event request always fits in one frame, cutting as little of the
// payload as the context allows, and says when it cut.
import { deepStrictEqual, equal, ok, strictEqual } from "node:assert/strict";
import { fitEventPayload } from "../../../cli/hook/fit_event_payload.ts";
import {
  decodeFrame,
  decodeRequest,
  DEFAULT_MAX_FRAME_BYTES,
  encodeRequest,
  EVENT_LIMITS,
  type HookContext,
  MAX_REQUEST_ID,
} from "../../../protocol/mod.ts";

const CONTEXT: HookContext = { cwd: "/src/app", env: { NTFY_TOKEN: "tk_1" }, receivedAt: 1 };

function filled(size: number): Uint8Array {
  return new Uint8Array(size).fill(0x61);
}

/** Encodes the fitted request at the real limit, as the hook would send it. */
function send(fitted: { payload: Uint8Array; context: HookContext }): Uint8Array {
  return encodeRequest({ type: "event", id: MAX_REQUEST_ID, ...fitted });
}

Deno.test("fitEventPayload() leaves an event that fits untouched", () => {
  const payload = filled(1_000);
  const fitted = fitEventPayload(payload, CONTEXT);
  strictEqual(fitted.payload, payload);
  strictEqual(fitted.context, CONTEXT);
});

Deno.test("fitEventPayload() does not cut a payload just under the limit that still fits", () => {
  const payload = filled(DEFAULT_MAX_FRAME_BYTES - 200);
  const fitted = fitEventPayload(payload, CONTEXT);
  strictEqual(fitted.payload, payload);
  strictEqual(fitted.context, CONTEXT);
  send(fitted);
});

Deno.test("fitEventPayload() cuts a payload to the room the context leaves and marks it truncated", () => {
  const context: HookContext = {
    ...CONTEXT,
    hookName: "PostToolUse",
    projectDir: "/src/app",
    projectConfig: filled(200 * 1024),
    env: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`NTFY_V${i}`, "é".repeat(500)])),
  };
  const payload = filled(DEFAULT_MAX_FRAME_BYTES);
  const fitted = fitEventPayload(payload, context);
  equal(fitted.context.truncated, true);
  deepStrictEqual({ ...fitted.context, truncated: undefined }, {
    ...context,
    truncated: undefined,
  });
  deepStrictEqual(fitted.payload, payload.subarray(0, fitted.payload.byteLength), "a prefix");
  const frame = send(fitted);
  ok(frame.byteLength - 4 <= DEFAULT_MAX_FRAME_BYTES);
  // Room is kept for the longest decisionWaitMs a permission request adds (about 21 bytes).
  ok(
    DEFAULT_MAX_FRAME_BYTES - (frame.byteLength - 4) <= 32,
    `at most a few bytes left unused: ${DEFAULT_MAX_FRAME_BYTES - (frame.byteLength - 4)}`,
  );
  const decoded = decodeRequest(decodeFrame(frame));
  equal(decoded.type, "event");
});

Deno.test("fitEventPayload() honours a smaller frame limit", () => {
  const fitted = fitEventPayload(filled(5_000), CONTEXT, 1_000);
  equal(fitted.context.truncated, true);
  ok(
    encodeRequest({ type: "event", id: MAX_REQUEST_ID, ...fitted }, { maxFrameBytes: 1_000 })
      .byteLength <= 1_004,
  );
});

Deno.test("fitEventPayload() leaves a context too big for any frame as it is", () => {
  const context = { ...CONTEXT, projectConfig: filled(2_000) };
  const payload = filled(100);
  const fitted = fitEventPayload(payload, context, 1_000);
  strictEqual(fitted.payload, payload);
  strictEqual(fitted.context, context);
});

Deno.test("fitEventPayload() leaves room for the wait a permission request adds, so it is never too large to send", () => {
  const fitted = fitEventPayload(filled(DEFAULT_MAX_FRAME_BYTES), CONTEXT);
  equal(fitted.context.truncated, true);
  const asked = { ...fitted.context, decisionWaitMs: EVENT_LIMITS.maxDecisionWaitMs };
  const frame = send({ payload: fitted.payload, context: asked });
  ok(frame.byteLength - 4 <= DEFAULT_MAX_FRAME_BYTES);
});
