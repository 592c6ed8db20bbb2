/**
 * The error a failed publish to ntfy ends in.
 *
 * @module
 */

/**
 * What went wrong while publishing:
 * - `http`: ntfy (or a proxy in front of it) answered with an error status;
 * - `timeout`: no complete answer within the target's timeout;
 * - `network`: the server could not be reached (refused, DNS, TLS, reset);
 * - `permission`: the Deno process may not connect to the server's host;
 * - `aborted`: the caller's signal cancelled the request.
 */
export type NtfyErrorKind = "http" | "timeout" | "network" | "permission" | "aborted";

/** Details for {@linkcode NtfyError}. */
export interface NtfyErrorOptions {
  /** What went wrong. */
  kind: NtfyErrorKind;
  /** Whether publishing the same message later may succeed. */
  retryable: boolean;
  /** The HTTP status, for `http` errors. */
  httpStatus?: number;
  /** ntfy's own error code from the JSON error body (e.g. `40009`), when it sent one. */
  ntfyCode?: number;
  /** The wait the server asked for with `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
  /** The underlying error, already free of secrets. */
  cause?: unknown;
}

/**
 * A publish that did not succeed, classified so that the delivery engine can decide
 * whether to retry. Messages and causes never hold tokens or passwords.
 *
 * @example Deciding whether to try again
 * ```ts
 * import { NtfyError } from "./errors.ts";
 *
 * const error = new NtfyError("ntfy rejected the message: 42901 limit reached (HTTP 429)", {
 *   kind: "http",
 *   httpStatus: 429,
 *   ntfyCode: 42901,
 *   retryable: true,
 *   retryAfterMs: 5_000,
 * });
 * console.log(error.retryable, error.retryAfterMs); // true 5000
 * ```
 */
export class NtfyError extends Error {
  /** What went wrong. */
  readonly kind: NtfyErrorKind;
  /** Whether publishing the same message later may succeed. */
  readonly retryable: boolean;
  /** The HTTP status, for `http` errors. */
  readonly httpStatus: number | undefined;
  /** ntfy's error code from the JSON error body, when it sent one. */
  readonly ntfyCode: number | undefined;
  /** The wait the server asked for with `Retry-After`, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  /** Creates an error; `message` must already be free of secrets. */
  constructor(message: string, options: NtfyErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "NtfyError";
    this.kind = options.kind;
    this.retryable = options.retryable;
    this.httpStatus = options.httpStatus;
    this.ntfyCode = options.ntfyCode;
    this.retryAfterMs = options.retryAfterMs;
  }
}
