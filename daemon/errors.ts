/**
 * Errors the daemon answers requests with.
 *
 * @module
 */

import type { ErrorCode } from "../protocol/mod.ts";
import type { HookInputErrorCode } from "../core/events/hook_input_error.ts";

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
  /** A stable code from `ErrorCode`, or what was wrong with a hook event's input. */
  readonly code: ErrorCode | HookInputErrorCode;
  /** Whether the same request may succeed later. */
  readonly retryable: boolean;

  /** Creates an error with a code, a message and whether retrying can help. */
  constructor(
    code: ErrorCode | HookInputErrorCode,
    message: string,
    retryable = false,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "DaemonError";
    this.code = code;
    this.retryable = retryable;
  }
}
