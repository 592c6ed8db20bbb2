/**
 * Errors raised while framing, encoding or decoding protocol messages.
 *
 * @module
 */

/** Stable machine-readable codes carried by {@linkcode ProtocolError} and by `Error` responses. */
export const ErrorCode = {
  /** A frame header announced more bytes than the configured limit. */
  FrameTooLarge: "FRAME_TOO_LARGE",
  /** A frame ended before its announced length, or the buffer is not a frame. */
  TruncatedFrame: "TRUNCATED_FRAME",
  /** The payload is not valid msgpack. */
  MalformedPayload: "MALFORMED_PAYLOAD",
  /** The payload is msgpack but not a message of this protocol. */
  InvalidMessage: "INVALID_MESSAGE",
  /** The message `type` is not one this peer knows. */
  UnknownType: "UNKNOWN_TYPE",
  /** The peer speaks a protocol version this side does not support. */
  UnsupportedVersion: "UNSUPPORTED_VERSION",
  /** A request other than `hello` arrived before the handshake. */
  HandshakeRequired: "HANDSHAKE_REQUIRED",
  /** The `hello` token was missing or wrong. */
  Unauthorized: "UNAUTHORIZED",
  /** The daemon's queue is full; try again later. */
  QueueFull: "QUEUE_FULL",
  /** The daemon is shutting down and accepts no new work. */
  ShuttingDown: "SHUTTING_DOWN",
  /** The notification task failed validation. */
  InvalidTask: "INVALID_TASK",
  /** The task targets an ntfy host the daemon has no permission to reach. */
  HostNotPermitted: "HOST_NOT_PERMITTED",
  /** The configuration an event was resolved with is invalid (syntax, values, templates). */
  ConfigInvalid: "CONFIG_INVALID",
  /** Too many requests in flight on one connection. */
  TooManyInFlight: "TOO_MANY_IN_FLIGHT",
  /** Anything else that went wrong inside the daemon. */
  Internal: "INTERNAL",
} as const;

/** One of the stable error codes in {@linkcode ErrorCode}. */
export type ErrorCode = typeof ErrorCode[keyof typeof ErrorCode];

/** Options for {@linkcode ProtocolError}. */
export interface ProtocolErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /**
   * The request id the error belongs to, when it could be read from the bad message,
   * so that the daemon can answer that request instead of dropping the connection.
   */
  requestId?: number;
  /**
   * Whether the byte stream can go on after this error. A frame that was fully read but
   * holds a bad payload is recoverable; a bad or oversize header is not.
   * @default {true}
   */
  recoverable?: boolean;
}

/**
 * A frame or message that does not follow the claude-ntfy protocol.
 *
 * @example Telling a protocol error from other failures
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeRequest, ErrorCode, ProtocolError } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * try {
 *   decodeRequest(new Uint8Array([0xc1]));
 * } catch (error) {
 *   if (!(error instanceof ProtocolError)) throw error;
 *   assert.equal(error.code, ErrorCode.MalformedPayload);
 * }
 * ```
 */
export class ProtocolError extends Error {
  /** A stable code from {@linkcode ErrorCode}. */
  readonly code: ErrorCode;
  /** The id of the request this error belongs to, when known. */
  readonly requestId: number | undefined;
  /** Whether the connection can carry on after this error. */
  readonly recoverable: boolean;

  /**
   * Creates a protocol error with a stable code and a human-readable message.
   *
   * @param code A stable code from {@linkcode ErrorCode}.
   * @param message What is wrong, in sentence case, values quoted.
   * @param options The cause, the request it belongs to, and whether the stream can go on.
   *
   * @example An error tied to a request, which the peer can answer
   * ```ts
   * import assert from "node:assert/strict";
   * import { ErrorCode, ProtocolError } from "@claude-ntfy/claude-ntfy/protocol";
   *
   * const error = new ProtocolError(ErrorCode.InvalidTask, "Invalid task: target.topic is empty", { requestId: 5 });
   * assert.equal(error.requestId, 5);
   * assert.equal(error.recoverable, true);
   * ```
   */
  constructor(code: ErrorCode, message: string, options: ProtocolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProtocolError";
    this.code = code;
    this.requestId = options.requestId;
    this.recoverable = options.recoverable ?? true;
  }
}
