/**
 * Counters and latency histograms the daemon reports in `Status`.
 *
 * @module
 */

import type { LatencySummary, RequestType } from "../../protocol/mod.ts";
import { Histogram } from "./histogram.ts";

/**
 * Connection, request and byte counters plus the request-latency histogram. The server and
 * its connections count through the methods; everyone else reads.
 *
 * @example Counting a connection and a request
 * ```ts
 * import { DaemonStats } from "./daemon_stats.ts";
 *
 * const stats = new DaemonStats();
 * stats.connectionOpened();
 * stats.recordRequest("ping", 25);
 * console.log(stats.connectionsActive, stats.requests); // 1 { ping: 1 }
 * ```
 */
export class DaemonStats {
  /** When the daemon started (ms, monotonic). */
  readonly startedAt: number = performance.now();
  #connectionsTotal = 0;
  #connectionsActive = 0;
  #connectionsRefused = 0;
  #protocolErrors = 0;
  #bytesIn = 0;
  #bytesOut = 0;
  readonly #requests: Record<string, number> = {};
  readonly #requestLatency = new Histogram();

  /** Connections accepted since start. */
  get connectionsTotal(): number {
    return this.#connectionsTotal;
  }

  /** Connections open now. */
  get connectionsActive(): number {
    return this.#connectionsActive;
  }

  /** Connections refused because the limit was reached. */
  get connectionsRefused(): number {
    return this.#connectionsRefused;
  }

  /** Frames or messages rejected since start. */
  get protocolErrors(): number {
    return this.#protocolErrors;
  }

  /** Bytes read from clients. */
  get bytesIn(): number {
    return this.#bytesIn;
  }

  /** Bytes written to clients. */
  get bytesOut(): number {
    return this.#bytesOut;
  }

  /** Requests handled, by type (a copy). */
  get requests(): Record<string, number> {
    return { ...this.#requests };
  }

  /** Counts an accepted connection, open from now. */
  connectionOpened(): void {
    this.#connectionsTotal += 1;
    this.#connectionsActive += 1;
  }

  /** Counts the end of a connection counted by {@linkcode DaemonStats.connectionOpened}. */
  connectionClosed(): void {
    this.#connectionsActive -= 1;
  }

  /** Counts a connection refused because the limit was reached. */
  connectionRefused(): void {
    this.#connectionsRefused += 1;
  }

  /** Counts a rejected frame or message. */
  protocolError(): void {
    this.#protocolErrors += 1;
  }

  /** Counts bytes read from a client. */
  bytesRead(count: number): void {
    this.#bytesIn += count;
  }

  /** Counts bytes written to a client. */
  bytesWritten(count: number): void {
    this.#bytesOut += count;
  }

  /** Counts a handled request and its latency in microseconds. */
  recordRequest(type: RequestType, latencyMicros: number): void {
    this.#requests[type] = (this.#requests[type] ?? 0) + 1;
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
