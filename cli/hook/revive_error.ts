/**
 * Errors that cross from the hook's fast path to the full command. The two are separate
 * bundles, each with its own copy of the client's and the protocol's error classes, so an
 * error made by one is no `instanceof` the other's classes: the full command would take a
 * daemon's refusal for a dead daemon. It re-makes such errors as its own first.
 *
 * @module
 */

import {
  ClientError,
  ConnectionClosedError,
  DaemonNotRunningError,
  RemoteError,
  TimeoutError,
} from "../../client/errors.ts";
import { type ErrorCode, ProtocolError } from "../../protocol/errors.ts";

interface ErrorFields {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly retryable?: unknown;
  readonly requestId?: unknown;
  readonly recoverable?: unknown;
  readonly cause?: unknown;
}

/**
 * The same error as one of this bundle's classes, by its `name`; other values as they are.
 *
 * @param error An error from another copy of the client or protocol modules.
 * @returns An instance of this copy's class with the same code, message and details.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RemoteError } from "../../client/errors.ts";
 * import { reviveError } from "./revive_error.ts";
 *
 * const foreign = Object.assign(new Error("No such event"), {
 *   name: "RemoteError",
 *   code: "INVALID_JSON",
 *   retryable: false,
 * });
 * const revived = reviveError(foreign);
 * assert.ok(revived instanceof RemoteError && revived.code === "INVALID_JSON");
 * ```
 */
export function reviveError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof ClientError || error instanceof ProtocolError) {
    return error;
  }
  const fields = error as ErrorFields;
  const message = error.message;
  const cause = fields.cause === undefined ? undefined : { cause: fields.cause };
  const code = typeof fields.code === "string" ? fields.code : undefined;
  switch (error.name) {
    case "RemoteError":
      return new RemoteError(code ?? "UNKNOWN", message, fields.retryable === true);
    case "DaemonNotRunningError":
      return new DaemonNotRunningError(message, cause);
    case "TimeoutError":
      return new TimeoutError(message);
    case "ConnectionClosedError":
      return new ConnectionClosedError(message, cause);
    case "ClientError":
      return new ClientError(code ?? "UNKNOWN", message, cause);
    case "ProtocolError":
      return new ProtocolError((code ?? "INTERNAL") as ErrorCode, message, {
        ...(typeof fields.requestId === "number" ? { requestId: fields.requestId } : {}),
        ...(typeof fields.recoverable === "boolean" ? { recoverable: fields.recoverable } : {}),
        ...cause,
      });
    default:
      return error;
  }
}
