/**
 * A task as the journal holds it.
 *
 * @module
 */

import type { NotificationTask } from "../../protocol/mod.ts";

/** A task that was accepted and is not yet delivered or given up. */
export interface JournalEntry {
  /** The id given when the task was accepted. */
  readonly id: string;
  /** The notification. */
  readonly task: NotificationTask;
  /** Failed delivery attempts so far. */
  readonly attempts: number;
  /** When the task was accepted, in milliseconds since the Unix epoch. */
  readonly acceptedAt: number;
  /** The last delivery error, if any. */
  readonly lastError?: string;
}
