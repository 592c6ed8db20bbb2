// The status answer reports the daemon's counters and its queue's, refusals and retries
// included.
import { deepStrictEqual, equal } from "node:assert/strict";
import { statusSnapshot } from "../../daemon/status_snapshot.ts";
import { DaemonStats } from "../../daemon/stats/daemon_stats.ts";
import type { QueueCounts } from "../../daemon/queue/durable_queue_options.ts";

const latency = { count: 1, p50: 7, p90: 7, p99: 7, max: 7 };

const counts: QueueCounts = {
  queued: 1,
  inFlight: 2,
  retrying: 3,
  delivered: 4,
  failed: 5,
  retries: 6,
  dead: 7,
  deliveryLatencyMicros: latency,
};

Deno.test("statusSnapshot() combines the daemon's stats and the queue's counts", () => {
  const stats = new DaemonStats();
  stats.connectionOpened();
  stats.connectionOpened();
  stats.connectionClosed();
  stats.connectionRefused();
  stats.protocolError();
  stats.bytesRead(100);
  stats.bytesWritten(40);
  stats.recordRequest("submit", 12);
  const status = statusSnapshot({
    version: "9.9.9",
    socketPath: "/run/x.sock",
    pid: 42,
    stats,
    queue: { counts: () => counts },
  });
  deepStrictEqual({ ...status, requestLatencyMicros: undefined }, {
    isRunning: true,
    pid: 42,
    version: "9.9.9",
    uptimeSecs: 0,
    socketPath: "/run/x.sock",
    queueSize: 1,
    inFlight: 2,
    retrying: 3,
    delivered: 4,
    failed: 5,
    retries: 6,
    dead: 7,
    connectionsTotal: 2,
    connectionsActive: 1,
    connectionsRefused: 1,
    requests: { submit: 1 },
    protocolErrors: 1,
    bytesIn: 100,
    bytesOut: 40,
    requestLatencyMicros: undefined,
    deliveryLatencyMicros: latency,
  });
  equal(status.requestLatencyMicros.count, 1);
});

Deno.test("statusSnapshot() reports this process's pid by default and copies the request counts", () => {
  const stats = new DaemonStats();
  const status = statusSnapshot({
    version: "1",
    socketPath: "/s",
    stats,
    queue: { counts: () => counts },
  });
  equal(status.pid, Deno.pid);
  stats.recordRequest("ping", 1);
  deepStrictEqual(status.requests, {}, "a snapshot does not change afterwards");
});
