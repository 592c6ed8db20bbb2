// `claude-ntfy daemon status` shows retries and refused connections when the daemon reports
// them, and reads a status from an older daemon without them.
import { equal, ok } from "node:assert/strict";
import { formatStatus } from "../../../cli/commands/status_format.ts";
import type { DaemonStatus } from "../../../protocol/mod.ts";

const latency = { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
const status: DaemonStatus = {
  isRunning: true,
  pid: 1,
  version: "0.1.0",
  uptimeSecs: 61,
  socketPath: "/tmp/x.sock",
  queueSize: 0,
  inFlight: 0,
  retrying: 0,
  delivered: 3,
  failed: 0,
  dead: 0,
  connectionsTotal: 4,
  connectionsActive: 1,
  requests: {},
  protocolErrors: 0,
  bytesIn: 0,
  bytesOut: 0,
  requestLatencyMicros: latency,
  deliveryLatencyMicros: latency,
};

const line = (text: string, label: string) =>
  text.split("\n").find((row) => row.startsWith(label)) ?? "";

Deno.test("formatStatus() shows retries and refused connections when reported", () => {
  const text = formatStatus({ ...status, retries: 5, connectionsRefused: 2 }, { color: false });
  ok(line(text, "delivered").endsWith("retries 5"), text);
  equal(line(text, "connections"), "connections  1 open, 4 total, 2 refused, 0 protocol errors");
});

Deno.test("formatStatus() leaves them out for a daemon that does not report them", () => {
  const text = formatStatus(status, { color: false });
  ok(!text.includes("retries") && !text.includes("refused"), text);
});
