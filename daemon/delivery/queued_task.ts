/**
 * A task as the delivery engine holds it: a module of its own, so that the pacer and the
 * engine's options can both name it without importing each other.
 *
 * @module
 */

import type { NotificationTask } from "../../protocol/mod.ts";

/** A task in the engine, with its delivery history. */
export interface QueuedTask {
  /** The id given when the task was accepted. */
  readonly id: string;
  /** The notification. */
  readonly task: NotificationTask;
  /** Failed delivery attempts so far. */
  attempts: number;
  /** When the task was accepted (ms, monotonic clock). */
  readonly acceptedAt: number;
  /** The last delivery error, if any. */
  lastError?: string;
}
