/**
 * Counters and latency histograms the daemon reports in `Status`.
 *
 * @module
 */

import type { LatencySummary, RequestType } from "../../protocol/mod.ts";
import { Histogram } from "./histogram.ts";

/** Connection, request and byte counters plus the request-latency histogram. */
export class DaemonStats {
  /** When the daemon started (ms, monotonic). */
  readonly startedAt: number = performance.now();
  /** Connections accepted since start. */
  connectionsTotal = 0;
  /** Connections open now. */
  connectionsActive = 0;
  /** Connections refused because the limit was reached. */
  connectionsRefused = 0;
  /** Frames or messages rejected since start. */
  protocolErrors = 0;
  /** Bytes read from clients. */
  bytesIn = 0;
  /** Bytes written to clients. */
  bytesOut = 0;
  /** Requests handled, by type. */
  readonly requests: Record<string, number> = {};
  readonly #requestLatency = new Histogram();

  /** Counts a handled request and its latency in microseconds. */
  recordRequest(type: RequestType, latencyMicros: number): void {
    this.requests[type] = (this.requests[type] ?? 0) + 1;
    this.#requestLatency.record(latencyMicros);
  }

  /** Seconds since start. */
  uptimeSecs(): number {
    return Math.floor((performance.now() - this.startedAt) / 1000);
  }

  /** Request latency percentiles. */
  requestLatency(): LatencySummary {
    return this.#requestLatency.summary();
  }
}
