/**
 * What a `DurableQueue` is opened with, and the counters it reports.
 *
 * @module
 */

import type { LatencySummary } from "../../protocol/mod.ts";
import type { DeliveryEngineOptions, DeliveryPacing } from "../delivery/delivery_engine.ts";
import type { Logger } from "../log.ts";

/**
 * How a task is made durable before it is acknowledged: `fsync` (the journal is synced to
 * disk), `write` (written, not synced: survives a crash of the daemon but not of the
 * machine) or `memory` (nothing on disk: a crash loses everything; for benchmarks).
 */
export type Durability = "fsync" | "write" | "memory";

/** How tasks are published, classified and retried. */
export type QueueDelivery = Pick<DeliveryEngineOptions, "publish" | "classify"> & {
  /** The delay before retry `attempt` (1-based), or null to give up. */
  retryDelayMs(attempt: number, error: unknown, baseDelayMs: number): number | null;
};

/** The queue's settings; they change on reload. */
export interface QueueSettings {
  /** Most tasks held at once, counting those being journaled. */
  readonly maxQueueSize: number;
  /** Retries before a task goes to the dead letters. */
  readonly retryAttempts: number;
  /** Base delay of the exponential backoff, in seconds. */
  readonly retryDelaySecs: number;
  /**
   * Notifications to one topic sent one by one within `digestWindowSecs`; more go as one
   * digest. 0: no digests for bursts (what waits for a 429 is still folded). @default {0}
   */
  readonly digestAfter?: number;
  /** The window of `digestAfter`, in seconds. @default {10} */
  readonly digestWindowSecs?: number;
}

/** Everything `DurableQueue.open` needs. */
export interface DurableQueueOptions {
  /** The journal's folder. */
  readonly journalDir: string;
  /** The dead-letter file. */
  readonly deadLetterPath: string;
  /** How tasks are made durable. @default {"fsync"} */
  readonly durability?: Durability;
  /** How tasks are published. */
  readonly delivery: QueueDelivery;
  /** The starting settings. */
  readonly settings: QueueSettings;
  /** Deliveries at once. */
  readonly concurrency: number;
  /** The pacer's backoff after a 429, and its clock; tests shorten or replace them. */
  readonly pacing?: Pick<DeliveryPacing, "rateLimitBackoffMs" | "maxRateLimitBackoffMs" | "clock">;
  /** Where deliveries, retries, dead letters and warnings are logged. */
  readonly log: Logger;
  /** The clock held tasks wait by, in ms since the Unix epoch. @default {Date.now} */
  readonly now?: () => number;
  /**
   * Tasks the delivery engine holds decoded at once (queued, in flight, retrying, held for
   * a digest); tasks held until a later time are not counted. More tasks wait in the
   * journal as ids only and are read back as room frees up, so a burst of 100,000 costs
   * the memory of their journal records, not of 100,000 decoded tasks. @default {1000}
   */
  readonly maxTasksInMemory?: number;
}

/** The queue's counters, for `status`. */
export interface QueueCounts {
  /** Tasks held until a later time (`notBefore`). */
  readonly held: number;
  /** Tasks waiting for a worker. */
  readonly queued: number;
  /** Tasks being published now. */
  readonly inFlight: number;
  /** Tasks waiting for their retry time. */
  readonly retrying: number;
  /** Tasks delivered since start. */
  readonly delivered: number;
  /** Tasks given up since start. */
  readonly failed: number;
  /** Retries scheduled since start. */
  readonly retries: number;
  /** Held tasks cancelled before they were sent, since start. */
  readonly cancelled: number;
  /** Dead letters held. */
  readonly dead: number;
  /** Time from acceptance to delivery, in microseconds. */
  readonly deliveryLatencyMicros: LatencySummary;
}
