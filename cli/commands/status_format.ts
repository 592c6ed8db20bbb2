/**
 * Human-readable rendering of the daemon's status.
 *
 * @module
 */

import type { DaemonStatus, LatencySummary } from "../../protocol/mod.ts";

function duration(totalSecs: number): string {
  const days = Math.floor(totalSecs / 86_400);
  const hours = Math.floor((totalSecs % 86_400) / 3_600);
  const minutes = Math.floor((totalSecs % 3_600) / 60);
  const seconds = totalSecs % 60;
  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m ${seconds}s`;
  if (minutes > 0) return `${minutes}m ${seconds}s`;
  return `${seconds}s`;
}

function micros(value: number): string {
  if (value < 1_000) return `${Math.round(value)} µs`;
  if (value < 1_000_000) return `${(value / 1_000).toFixed(2)} ms`;
  return `${(value / 1_000_000).toFixed(2)} s`;
}

function latency(summary: LatencySummary): string {
  if (summary.count === 0) return "no samples yet";
  return `p50 ${micros(summary.p50)}  p90 ${micros(summary.p90)}  p99 ${micros(summary.p99)}  ` +
    `max ${micros(summary.max)}  (n=${summary.count})`;
}

function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Formats a status as an aligned block of text, with ANSI colour when asked.
 *
 * @example
 * ```ts ignore
 * io.stdout(formatStatus(await client.status(), { color: io.isTerminal }));
 * ```
 */
export function formatStatus(status: DaemonStatus, options: { color: boolean }): string {
  const paint = (code: string, text: string) =>
    options.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  const requests = Object.entries(status.requests)
    .map(([type, count]) => `${type} ${count}`).join(", ") || "none";
  const rows: Array<[string, string]> = [
    ["state", paint("32", "running") + `  pid ${status.pid}  v${status.version}`],
    ["uptime", duration(status.uptimeSecs)],
    ["socket", status.socketPath],
    [
      "queue",
      `${status.queueSize} queued, ${status.inFlight} in flight, ` +
      (status.retrying > 0 ? paint("33", `${status.retrying} retrying`) : "0 retrying"),
    ],
    [
      "delivered",
      `${paint("32", String(status.delivered))}  failed ${
        status.failed > 0 ? paint("31", String(status.failed)) : "0"
      }  dead ${status.dead > 0 ? paint("31", String(status.dead)) : "0"}` +
      (status.retries === undefined ? "" : `  retries ${status.retries}`),
    ],
    ["delivery", latency(status.deliveryLatencyMicros)],
    ["requests", latency(status.requestLatencyMicros)],
    ["by type", requests],
    [
      "connections",
      `${status.connectionsActive} open, ${status.connectionsTotal} total, ` +
      (status.connectionsRefused ? `${status.connectionsRefused} refused, ` : "") +
      `${status.protocolErrors} protocol errors`,
    ],
    ["traffic", `${bytes(status.bytesIn)} in, ${bytes(status.bytesOut)} out`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${paint("1", label.padEnd(width))}  ${value}`).join("\n") +
    "\n";
}
