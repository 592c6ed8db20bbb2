/**
 * The daemon's `status` answer, built from its statistics and its queue's counters.
 *
 * @module
 */

import type { DaemonStatus } from "../protocol/mod.ts";
import type { QueueCounts } from "./queue/durable_queue_options.ts";
import type { DaemonStats } from "./stats/daemon_stats.ts";

/** Where a status snapshot's figures come from. */
export interface StatusSources {
  /** The daemon's software version. */
  readonly version: string;
  /** The socket the daemon listens on. */
  readonly socketPath: string;
  /** The daemon's process id. @default {Deno.pid} */
  readonly pid?: number;
  /** Connection, request and byte counters. */
  readonly stats: Pick<
    DaemonStats,
    | "uptimeSecs"
    | "connectionsTotal"
    | "connectionsActive"
    | "connectionsRefused"
    | "requests"
    | "protocolErrors"
    | "bytesIn"
    | "bytesOut"
    | "requestLatency"
  >;
  /** The queue's counters. */
  readonly queue: { counts(): QueueCounts };
}

/**
 * The daemon's status now.
 *
 * @example A snapshot from fresh counters
 * ```ts
 * import { statusSnapshot } from "./status_snapshot.ts";
 * import { DaemonStats } from "./stats/daemon_stats.ts";
 *
 * const empty = { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
 * const status = statusSnapshot({
 *   version: "0.1.0",
 *   socketPath: "/tmp/daemon.sock",
 *   stats: new DaemonStats(),
 *   queue: {
 *     counts: () => ({
 *       queued: 2, inFlight: 1, retrying: 0, delivered: 5, failed: 0, retries: 1, dead: 0,
 *       deliveryLatencyMicros: empty,
 *     }),
 *   },
 * });
 * console.log(status.queueSize, status.delivered); // 2 5
 * ```
 */
export function statusSnapshot(sources: StatusSources): DaemonStatus {
  const { stats } = sources;
  const counts = sources.queue.counts();
  return {
    isRunning: true,
    pid: sources.pid ?? Deno.pid,
    version: sources.version,
    uptimeSecs: stats.uptimeSecs(),
    socketPath: sources.socketPath,
    queueSize: counts.queued,
    inFlight: counts.inFlight,
    retrying: counts.retrying,
    delivered: counts.delivered,
    failed: counts.failed,
    retries: counts.retries,
    dead: counts.dead,
    connectionsTotal: stats.connectionsTotal,
    connectionsActive: stats.connectionsActive,
    connectionsRefused: stats.connectionsRefused,
    requests: stats.requests,
    protocolErrors: stats.protocolErrors,
    bytesIn: stats.bytesIn,
    bytesOut: stats.bytesOut,
    requestLatencyMicros: stats.requestLatency(),
    deliveryLatencyMicros: counts.deliveryLatencyMicros,
  };
}
