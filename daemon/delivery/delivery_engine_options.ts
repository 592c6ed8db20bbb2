/**
 * What a `DeliveryEngine` is built with, the tasks it holds and the events it reports.
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

/** What a failed publish tells the engine. */
export interface PublishFailure {
  /** Whether trying again later may succeed. */
  readonly retryable: boolean;
  /** A message safe to log (no secrets). */
  readonly message: string;
}

/** How the engine learns what happened to a task. */
export type DeliveryEvent =
  | { readonly type: "delivered"; readonly entry: QueuedTask; readonly ntfyId: string }
  | {
    readonly type: "retry";
    readonly entry: QueuedTask;
    readonly delayMs: number;
    readonly error: string;
  }
  | { readonly type: "dead"; readonly entry: QueuedTask; readonly reason: string };

/** The engine's dependencies and limits. */
export interface DeliveryEngineOptions {
  /** Publishes one task; resolves with ntfy's message id, rejects with an error. */
  publish(task: NotificationTask, signal: AbortSignal): Promise<{ id: string }>;
  /** Decides the delay before retry `attempt` (1-based), or null to give up. */
  retryDelayMs(attempt: number, error: unknown): number | null;
  /** Turns an error into a retryable flag and a secret-free message. */
  classify(error: unknown): PublishFailure;
  /** Told about each delivery, retry and dead letter. */
  onEvent?(event: DeliveryEvent): void;
  /** Most tasks held at once (queued, in flight and waiting to retry). @default {10000} */
  maxQueueSize?: number;
  /** Deliveries at once. @default {8} */
  concurrency?: number;
  /** Retries after the first attempt before a task goes to the dead letters. @default {5} */
  retryAttempts?: number;
}
