/**
 * Encoding and decoding of protocol messages: msgpack payloads checked against the message
 * shapes, so that anything that is not a valid message becomes a typed
 * {@linkcode ProtocolError} and never an untyped value.
 *
 * @module
 */

import { ErrorCode, ProtocolError } from "./errors.ts";
import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES, type FrameOptions } from "./frame.ts";
import {
  CONNECTION_ERROR_ID,
  type DaemonStatus,
  type DeadTask,
  type HeldTask,
  type HeldTaskState,
  type LatencySummary,
  type Request,
  type Response,
} from "./messages.ts";
import { validateTask } from "./task.ts";
import { validateEventRequest } from "./event_request.ts";
import { validatePermissionDecision } from "./permission_decision.ts";
import { MsgpackDecoder } from "./msgpack_decoder.ts";
import { MsgpackEncoder } from "./msgpack_encoder.ts";
import {
  isRecord,
  nonNegativeInteger,
  optionalBoolean,
  optionalString,
  optionalStringArray,
} from "./_validate.ts";
import { readEnvelope } from "./_envelope.ts";
import { errorMessage } from "./error_message.ts";
import { appendFrame, checkMessageLength } from "./_frame_append.ts";

/**
 * Deepest nesting a message needs is 7 (ok > decision > updatedPermissions > [i] > rules >
 * [j] > rule).
 */
const MAX_DEPTH = 16;

const encoder = new MsgpackEncoder();
const decoder = new MsgpackDecoder({
  maxStrLength: DEFAULT_MAX_FRAME_BYTES,
  maxBinLength: DEFAULT_MAX_FRAME_BYTES,
  maxArrayLength: 65_536,
  maxMapLength: 65_536,
  maxDepth: MAX_DEPTH,
});

/**
 * Encodes any message, request or response, into one frame (header and msgpack payload)
 * in a single allocation. Nothing is checked but the size: validation is the reader's.
 *
 * @param message The message.
 * @param options The largest payload allowed.
 * @returns The frame, ready to write to the socket.
 * @throws {ProtocolError} `FRAME_TOO_LARGE` when the payload is over the limit, with the
 * message's id as `requestId`.
 *
 * @example A request and its answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFrame, decodeResponse, encodeMessage } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const request = encodeMessage({ type: "ping", id: 3 });
 * const answer = encodeMessage({ type: "ok", id: 3 });
 * assert.ok(request.byteLength > 4);
 * assert.deepEqual(decodeResponse(decodeFrame(answer)), { type: "ok", id: 3 });
 * ```
 */
export function encodeMessage(message: Request | Response, options: FrameOptions = {}): Uint8Array {
  const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const payload = encoder.encodeShared(message);
  checkMessageLength(message.type, message.id, payload.byteLength, max);
  return appendFrame(new Uint8Array(FRAME_HEADER_BYTES + payload.byteLength), 0, payload);
}

/**
 * Encodes a request as a frame.
 *
 * @param request The request, with its id.
 * @param options The largest payload allowed.
 * @returns The frame.
 * @throws {ProtocolError} `FRAME_TOO_LARGE` when the payload is over the limit.
 *
 * @example A round trip
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFrame, decodeRequest, encodeRequest } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const frame = encodeRequest({ type: "ping", id: 1 });
 * assert.deepEqual(decodeRequest(decodeFrame(frame)), { type: "ping", id: 1 });
 * ```
 */
export function encodeRequest(request: Request, options: FrameOptions = {}): Uint8Array {
  return encodeMessage(request, options);
}

/**
 * Encodes a response as a frame: what a daemon, or a test double of one, writes.
 *
 * @param response The response, with the id of the request it answers.
 * @param options The largest payload allowed.
 * @returns The frame.
 * @throws {ProtocolError} `FRAME_TOO_LARGE` when the payload is over the limit.
 *
 * @example An error answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFrame, decodeResponse, encodeResponse, ErrorCode } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const frame = encodeResponse({ type: "error", id: 4, code: ErrorCode.QueueFull, message: "Full", retryable: true });
 * assert.equal(decodeResponse(decodeFrame(frame)).type, "error");
 * ```
 */
export function encodeResponse(response: Response, options: FrameOptions = {}): Uint8Array {
  return encodeMessage(response, options);
}

function decodePayload(payload: Uint8Array): unknown {
  try {
    return decoder.decode(payload);
  } catch (cause) {
    throw new ProtocolError(
      ErrorCode.MalformedPayload,
      `Cannot decode payload: not valid msgpack (${errorMessage(cause)})`,
      { cause },
    );
  }
}

/** Re-throws any validation failure as a ProtocolError tied to the request id. */
function withId<T>(id: number, code: ErrorCode, build: () => T): T {
  try {
    return build();
  } catch (cause) {
    if (cause instanceof ProtocolError && cause.requestId === id) throw cause;
    const detail = errorMessage(cause);
    const errorCode = cause instanceof ProtocolError ? cause.code : code;
    throw new ProtocolError(errorCode, detail, { requestId: id, cause });
  }
}

/**
 * Decodes and validates a request payload (the bytes inside a frame).
 *
 * @param payload The bytes inside one frame.
 * @returns The request, checked against its type's shape (a submitted task validated).
 * @throws {ProtocolError} `MALFORMED_PAYLOAD`, `INVALID_MESSAGE`, `UNKNOWN_TYPE` or
 * `INVALID_TASK`; `requestId` is set whenever the id could be read.
 *
 * @example A typed request
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFrame, decodeRequest, encodeRequest } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const request = decodeRequest(decodeFrame(encodeRequest({ type: "retry", id: 7, all: true })));
 * assert.ok(request.type === "retry" && request.all === true);
 * ```
 *
 * @example A bad request names its id, so it can be answered
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFrame, decodeRequest, encodeMessage, ProtocolError } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const unknown = decodeFrame(encodeMessage({ type: "explode", id: 9 } as never));
 * assert.throws(() => decodeRequest(unknown), (error: unknown) =>
 *   error instanceof ProtocolError && error.code === "UNKNOWN_TYPE" && error.requestId === 9
 * );
 * ```
 */
export function decodeRequest(payload: Uint8Array): Request {
  const { record, id } = readEnvelope(decodePayload(payload));
  if (id === CONNECTION_ERROR_ID) {
    throw new ProtocolError(
      ErrorCode.InvalidMessage,
      `Invalid request: id ${CONNECTION_ERROR_ID} is reserved for errors tied to no request`,
    );
  }
  const fail = (message: string) =>
    new ProtocolError(ErrorCode.InvalidMessage, `Invalid ${record.type} request: ${message}`, {
      requestId: id,
    });
  switch (record.type) {
    case "ping":
    case "status":
    case "reload":
    case "shutdown":
    case "queue":
    case "purge":
      return { type: record.type, id };
    case "retry": {
      const taskIds = optionalStringArray(record, "taskIds", fail);
      const all = optionalBoolean(record, "all", fail);
      if (taskIds !== undefined && taskIds.length > 10_000) throw fail("at most 10000 task ids");
      return {
        type: "retry",
        id,
        ...(taskIds === undefined ? {} : { taskIds }),
        ...(all === undefined ? {} : { all }),
      };
    }
    case "hello": {
      const version = record.version;
      if (!nonNegativeInteger(version)) throw fail('"version" must be a non-negative integer');
      const token = optionalString(record, "token", fail);
      const client = optionalString(record, "client", fail);
      if ((token?.length ?? 0) > 1024 || (client?.length ?? 0) > 1024) {
        throw fail('"token" and "client" hold at most 1024 characters');
      }
      return {
        type: "hello",
        id,
        version,
        ...(token === undefined ? {} : { token }),
        ...(client === undefined ? {} : { client }),
      };
    }
    case "event":
      return validateEventRequest(record, id, fail);
    case "submit":
      return withId(id, ErrorCode.InvalidTask, () => ({
        type: "submit",
        id,
        task: validateTask(record.task),
      }));
    default:
      throw new ProtocolError(
        ErrorCode.UnknownType,
        `Unknown request type "${String(record.type).slice(0, 40)}"`,
        { requestId: id },
      );
  }
}

function validateLatency(value: unknown): LatencySummary {
  const record = isRecord(value) ? value : {};
  const number = (key: string) => (typeof record[key] === "number" ? record[key] as number : 0);
  return {
    count: number("count"),
    p50: number("p50"),
    p90: number("p90"),
    p99: number("p99"),
    max: number("max"),
  };
}

function validateStatus(value: unknown, fail: (m: string) => Error): DaemonStatus {
  if (!isRecord(value)) throw fail('"status" must be a map');
  const number = (key: string): number => {
    const field = value[key];
    if (typeof field !== "number") throw fail(`"status.${key}" must be a number`);
    return field;
  };
  // Fields added later are optional: present only when the daemon sent a number.
  const optional = (key: string): Record<string, number> =>
    typeof value[key] === "number" ? { [key]: value[key] as number } : {};
  const requests = isRecord(value.requests) ? value.requests : {};
  return {
    isRunning: value.isRunning === true,
    pid: number("pid"),
    version: typeof value.version === "string" ? value.version : "unknown",
    uptimeSecs: number("uptimeSecs"),
    socketPath: typeof value.socketPath === "string" ? value.socketPath : "",
    queueSize: number("queueSize"),
    ...optional("held"),
    ...optional("cancelled"),
    ...optional("sessions"),
    inFlight: number("inFlight"),
    retrying: number("retrying"),
    delivered: number("delivered"),
    failed: number("failed"),
    ...optional("retries"),
    dead: number("dead"),
    connectionsTotal: number("connectionsTotal"),
    connectionsActive: number("connectionsActive"),
    ...optional("connectionsRefused"),
    requests: Object.fromEntries(
      Object.entries(requests).filter(([, v]) => typeof v === "number"),
    ) as Record<string, number>,
    protocolErrors: number("protocolErrors"),
    bytesIn: number("bytesIn"),
    bytesOut: number("bytesOut"),
    requestLatencyMicros: validateLatency(value.requestLatencyMicros),
    deliveryLatencyMicros: validateLatency(value.deliveryLatencyMicros),
  };
}

const HELD_STATES: readonly HeldTaskState[] = ["queued", "in-flight", "retrying"];

function validateList<T>(
  value: unknown,
  key: string,
  fail: (m: string) => Error,
  item: (value: unknown, fail: (m: string) => Error) => T,
): T[] {
  if (!Array.isArray(value)) throw fail(`"${key}" must be an array`);
  return value.map((entry) => item(entry, fail));
}

function validateHeldTask(value: unknown, fail: (m: string) => Error): HeldTask {
  if (!isRecord(value)) throw fail("a held task must be a map");
  const state = value.state as HeldTaskState;
  if (!HELD_STATES.includes(state)) throw fail(`unknown task state "${String(state)}"`);
  if (typeof value.id !== "string" || !nonNegativeInteger(value.attempts)) {
    throw fail("a held task needs a string id and integer attempts");
  }
  const lastError = optionalString(value, "lastError", fail);
  return {
    id: value.id,
    state,
    attempts: value.attempts,
    ...(lastError === undefined ? {} : { lastError }),
    task: validateTask(value.task),
  };
}

function validateDeadTask(value: unknown, fail: (m: string) => Error): DeadTask {
  if (!isRecord(value)) throw fail("a dead task must be a map");
  if (
    typeof value.id !== "string" || typeof value.reason !== "string" ||
    !nonNegativeInteger(value.attempts) || typeof value.failedAt !== "number"
  ) {
    throw fail("a dead task needs id, reason, attempts and failedAt");
  }
  return {
    id: value.id,
    reason: value.reason,
    attempts: value.attempts,
    failedAt: value.failedAt,
    task: validateTask(value.task),
  };
}

/**
 * Decodes and validates a response payload (the bytes inside a frame).
 *
 * @param payload The bytes inside one frame.
 * @returns The response, checked against its type's shape.
 * @throws {ProtocolError} `MALFORMED_PAYLOAD`, `INVALID_MESSAGE` or `UNKNOWN_TYPE` when
 * the payload is not a valid response.
 *
 * @example The daemon's answer to `submit`
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFrame, decodeResponse, encodeResponse } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const response = decodeResponse(decodeFrame(encodeResponse({ type: "ok", id: 2, taskId: "k3x-1" })));
 * assert.ok(response.type === "ok" && response.taskId === "k3x-1");
 * ```
 */
export function decodeResponse(payload: Uint8Array): Response {
  const { record, id } = readEnvelope(decodePayload(payload));
  const fail = (message: string) =>
    new ProtocolError(ErrorCode.InvalidMessage, `Invalid ${record.type} response: ${message}`, {
      requestId: id,
    });
  switch (record.type) {
    case "ok": {
      const taskId = optionalString(record, "taskId", fail);
      const skipped = optionalString(record, "skipped", fail);
      const count = record.count;
      if (count !== undefined && !nonNegativeInteger(count)) {
        throw fail('"count" must be an integer');
      }
      const decision = record.decision === undefined || record.decision === null
        ? undefined
        : validatePermissionDecision(record.decision, fail);
      return {
        type: "ok",
        id,
        ...(taskId === undefined ? {} : { taskId }),
        ...(count === undefined ? {} : { count }),
        ...(skipped === undefined ? {} : { skipped }),
        ...(decision === undefined ? {} : { decision }),
      };
    }
    case "queue":
      return {
        type: "queue",
        id,
        tasks: validateList(record.tasks, "tasks", fail, validateHeldTask),
        dead: validateList(record.dead, "dead", fail, validateDeadTask),
      };
    case "error": {
      if (typeof record.code !== "string") throw fail('"code" must be a string');
      if (typeof record.message !== "string") throw fail('"message" must be a string');
      return {
        type: "error",
        id,
        code: record.code,
        message: record.message,
        ...(typeof record.retryable === "boolean" ? { retryable: record.retryable } : {}),
      };
    }
    case "status":
      return { type: "status", id, status: validateStatus(record.status, fail) };
    case "hello": {
      if (!nonNegativeInteger(record.version)) throw fail('"version" must be an integer');
      return {
        type: "hello",
        id,
        version: record.version,
        daemonVersion: typeof record.daemonVersion === "string" ? record.daemonVersion : "unknown",
        pid: nonNegativeInteger(record.pid) ? record.pid : 0,
      };
    }
    default:
      throw new ProtocolError(
        ErrorCode.UnknownType,
        `Unknown response type "${String(record.type).slice(0, 40)}"`,
        { requestId: id },
      );
  }
}
