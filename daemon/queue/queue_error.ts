/**
 * Errors of the durable queue: the journal and the dead-letter store.
 *
 * @module
 */

/** Stable codes carried by {@linkcode QueueError}. */
export const QueueErrorCode = {
  /** The journal or store was closed; nothing more can be written. */
  Closed: "QUEUE_CLOSED",
  /** A write or fsync failed; the record is not durable. */
  WriteFailed: "QUEUE_WRITE_FAILED",
  /** The file was written by a newer, incompatible version. */
  UnsupportedFormat: "QUEUE_UNSUPPORTED_FORMAT",
} as const;

/** One of the codes in {@linkcode QueueErrorCode}. */
export type QueueErrorCode = typeof QueueErrorCode[keyof typeof QueueErrorCode];

/**
 * A failure of the durable queue that callers act on: answer the client with an error so
 * it falls back to the spool, or refuse to start on an unreadable journal.
 *
 * @example
 * ```ts
 * import { QueueError, QueueErrorCode } from "./queue_error.ts";
 *
 * const error = new QueueError(QueueErrorCode.Closed, "Journal is closed");
 * console.log(error.code); // "QUEUE_CLOSED"
 * ```
 */
export class QueueError extends Error {
  /** A stable code from {@linkcode QueueErrorCode}. */
  readonly code: QueueErrorCode;

  /** Creates an error with a code and a message. */
  constructor(code: QueueErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueError";
    this.code = code;
  }
}
