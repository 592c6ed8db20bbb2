/**
 * Errors the daemon answers requests with.
 *
 * @module
 */

import type { ErrorCode } from "../protocol/mod.ts";

/**
 * A failure inside the daemon that becomes an `Error` response with a stable code.
 *
 * @example
 * ```ts
 * import { DaemonError } from "./errors.ts";
 *
 * const error = new DaemonError("QUEUE_FULL", "Queue is full: 10000 tasks held", true);
 * console.log(error.code, error.retryable);
 * ```
 */
export class DaemonError extends Error {
  /** A stable code from `ErrorCode`. */
  readonly code: ErrorCode;
  /** Whether the same request may succeed later. */
  readonly retryable: boolean;

  /** Creates an error with a code, a message and whether retrying can help. */
  constructor(code: ErrorCode, message: string, retryable = false, options?: ErrorOptions) {
    super(message, options);
    this.name = "DaemonError";
    this.code = code;
    this.retryable = retryable;
  }
}
