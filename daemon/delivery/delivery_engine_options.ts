/**
 * What a `DeliveryEngine` is built with, the tasks it holds and the events it reports.
 *
 * @module
 */

import type { NotificationTask } from "../../protocol/mod.ts";
import type { PacerClock, PacingSettings } from "./topic_pacer.ts";
import type { QueuedTask } from "./queued_task.ts";

export type { QueuedTask } from "./queued_task.ts";

/** What a failed publish tells the engine. */
export interface PublishFailure {
  /** Whether trying again later may succeed. */
  readonly retryable: boolean;
  /** A message safe to log (no secrets). */
  readonly message: string;
  /**
   * Set when the server refused for its rate limit (429, but not for auth failures): with
   * `pacing`, the tasks wait for the server without counting an attempt, and never go to
   * the dead letters for it. The wait the server asked for, if it did.
   */
  readonly rateLimit?: { readonly retryAfterMs?: number };
}

/** What a publish resolves with. */
export interface PublishOutcome {
  /** ntfy's message id (`""` when there is none). */
  readonly id: string;
  /** Set when the task was done without a request, with the reason (safe to log). */
  readonly dropped?: string;
}

/** How the engine learns what happened to a task. */
export type DeliveryEvent =
  | {
    readonly type: "delivered";
    readonly entry: QueuedTask;
    /** ntfy's id of the message that carried it (a digest's, for a folded task). */
    readonly ntfyId: string;
    /** Set when it was done without a request of its own, with the reason. */
    readonly dropped?: string;
    /** For a task folded into a digest: how many tasks the digest named. */
    readonly digestOf?: number;
  }
  | {
    /** The server refused a delivery for its rate limit; its tasks wait for it. */
    readonly type: "rate-limited";
    readonly entries: readonly QueuedTask[];
    /** How long the server is left alone. */
    readonly delayMs: number;
    /** Whether this refusal started or lengthened the pause (else it was already on). */
    readonly paused: boolean;
    readonly error: string;
  }
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
  publish(task: NotificationTask, signal: AbortSignal): Promise<PublishOutcome>;
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
  /** The clock `notBefore` is compared with, in ms since the Unix epoch. @default {Date.now} */
  now?: () => number;
  /**
   * Paces deliveries per topic and server: bursts become digests, and a 429 pauses the
   * server instead of costing attempts (see `TopicPacer`). Off unless given. A held task
   * (`notBefore`) enters pacing only once its time has come.
   */
  pacing?: DeliveryPacing;
}

/** The engine's pacing: the settings, and what tests replace. */
export interface DeliveryPacing extends PacingSettings {
  /** The first wait after a 429 without `Retry-After`. @default {5000} */
  readonly rateLimitBackoffMs?: number;
  /** The longest wait after a 429 without `Retry-After`. @default {60000} */
  readonly maxRateLimitBackoffMs?: number;
  /** The pacer's clock and timers. @default {the real ones} */
  readonly clock?: PacerClock;
}
