import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import {
  decodeFrame,
  decodeRequest,
  decodeResponse,
  encodeFrame,
  encodeRequest,
  encodeResponse,
  ErrorCode,
  ProtocolError,
} from "../../protocol/mod.ts";
import { sampleRequests, sampleResponses, sampleTask } from "./_messages.ts";

function assertProtocolError(fn: () => unknown, code: string, requestId?: number): ProtocolError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  ok(caught instanceof ProtocolError, `expected a ProtocolError, got ${caught}`);
  equal(caught.code, code);
  equal(caught.requestId, requestId);
  return caught;
}

Deno.test("every request type survives an encode/decode round trip", () => {
  for (const request of sampleRequests) {
    deepStrictEqual(decodeRequest(decodeFrame(encodeRequest(request))), request);
  }
});

Deno.test("every response type survives an encode/decode round trip", () => {
  for (const response of sampleResponses) {
    deepStrictEqual(decodeResponse(decodeFrame(encodeResponse(response))), response);
  }
});

Deno.test("decodeRequest() rejects bytes that are not msgpack", () => {
  assertProtocolError(() => decodeRequest(new Uint8Array([0xc1])), ErrorCode.MalformedPayload);
  assertProtocolError(() => decodeRequest(new Uint8Array([])), ErrorCode.MalformedPayload);
  // A map header announcing entries that are not there.
  assertProtocolError(
    () => decodeRequest(new Uint8Array([0x83, 0xa1])),
    ErrorCode.MalformedPayload,
  );
});

Deno.test("decodeRequest() rejects msgpack that is not a message", () => {
  for (const value of [1, "ping", [1, 2], null, true, new Uint8Array([1])]) {
    assertProtocolError(() => decodeRequest(encode(value)), ErrorCode.InvalidMessage);
  }
  assertProtocolError(() => decodeRequest(encode({ type: "ping" })), ErrorCode.InvalidMessage);
  assertProtocolError(
    () => decodeRequest(encode({ type: "ping", id: -1 })),
    ErrorCode.InvalidMessage,
  );
  assertProtocolError(
    () => decodeRequest(encode({ type: "ping", id: 1.5 })),
    ErrorCode.InvalidMessage,
  );
  assertProtocolError(
    () => decodeRequest(encode({ type: "ping", id: 2 ** 32 })),
    ErrorCode.InvalidMessage,
  );
  assertProtocolError(() => decodeRequest(encode({ type: 7, id: 3 })), ErrorCode.InvalidMessage, 3);
});

Deno.test("decodeRequest() names an unknown type and keeps the request id", () => {
  const error = assertProtocolError(
    () => decodeRequest(encode({ type: "launch-missiles", id: 42 })),
    ErrorCode.UnknownType,
    42,
  );
  ok(error.message.includes("launch-missiles"));
  ok(error.recoverable);
});

Deno.test("decodeRequest() validates hello fields", () => {
  assertProtocolError(
    () => decodeRequest(encode({ type: "hello", id: 1, version: "1" })),
    ErrorCode.InvalidMessage,
    1,
  );
  assertProtocolError(
    () => decodeRequest(encode({ type: "hello", id: 1, version: 1, token: 5 })),
    ErrorCode.InvalidMessage,
    1,
  );
});

Deno.test("decodeRequest() rejects a submit with a bad task and names the field", () => {
  const cases: Array<[unknown, string]> = [
    [undefined, "task must be a map"],
    [{ ...sampleTask, target: { ...sampleTask.target, topic: "has space" } }, "topic"],
    [{ ...sampleTask, target: { ...sampleTask.target, serverUrl: "ftp://x" } }, "serverUrl"],
    [{ ...sampleTask, message: { ...sampleTask.message, priority: 9 } }, "priority"],
    [{ ...sampleTask, message: { ...sampleTask.message, body: 5 } }, "body"],
    [{ ...sampleTask, message: { ...sampleTask.message, tags: [1] } }, "tags"],
    [{ ...sampleTask, origin: { event: "Stop" } }, "createdAt"],
    [{ ...sampleTask, target: { ...sampleTask.target, auth: { type: "magic" } } }, "auth"],
  ];
  for (const [task, field] of cases) {
    const error = assertProtocolError(
      () => decodeRequest(encode({ type: "submit", id: 9, task })),
      ErrorCode.InvalidTask,
      9,
    );
    ok(error.message.includes(field), `"${error.message}" should mention ${field}`);
  }
});

Deno.test("decodeRequest() drops unknown fields from a task", () => {
  const request = decodeRequest(
    encode({ type: "submit", id: 1, task: { ...sampleTask, extra: 1, evil: { a: 1 } } }),
  );
  ok(request.type === "submit");
  deepStrictEqual(Object.keys(request.task).sort(), ["message", "origin", "target"]);
});

Deno.test("decodeResponse() rejects malformed responses", () => {
  assertProtocolError(
    () => decodeResponse(encode({ type: "error", id: 1 })),
    ErrorCode.InvalidMessage,
    1,
  );
  assertProtocolError(
    () => decodeResponse(encode({ type: "nope", id: 1 })),
    ErrorCode.UnknownType,
    1,
  );
  assertProtocolError(
    () => decodeResponse(encode({ type: "status", id: 1, status: { pid: "x" } })),
    ErrorCode.InvalidMessage,
    1,
  );
});

Deno.test("encodeRequest() refuses a message over the frame limit", () => {
  const big = { ...sampleTask, message: { body: "x".repeat(2000) } };
  throws(
    () => encodeRequest({ type: "submit", id: 1, task: big }, { maxFrameBytes: 1000 }),
    (error: unknown) => error instanceof ProtocolError && error.code === ErrorCode.FrameTooLarge,
  );
});

Deno.test("a 64 KiB submit round-trips through a frame", () => {
  const body = "é".repeat(32 * 1024);
  const request = { type: "submit" as const, id: 1, task: { ...sampleTask, message: { body } } };
  const frame = encodeRequest(request);
  ok(frame.byteLength > 64 * 1024);
  deepStrictEqual(decodeRequest(decodeFrame(frame)), request);
  deepStrictEqual(decodeFrame(encodeFrame(new Uint8Array([1, 2]))), new Uint8Array([1, 2]));
});

Deno.test("decodeRequest() refuses request id 0, reserved for errors tied to no request", () => {
  assertProtocolError(
    () => decodeRequest(encode({ type: "ping", id: 0 })),
    ErrorCode.InvalidMessage,
  );
  // Responses may carry it.
  equal(decodeResponse(encode({ type: "error", id: 0, code: "X", message: "m" })).id, 0);
});
