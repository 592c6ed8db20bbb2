/**
 * What durability costs: Submit latency (one at a time) and pipelined Submit throughput
 * against a real daemon socket, with the journal fsynced (the default), written but not
 * synced, and the old in-memory queue as the baseline, all in the same run. Deliveries are
 * stalled (the publisher never answers) so only the submit path is measured.
 *
 * Run: deno run -A bench/durability_bench.ts [--quick]
 *
 * @module
 */

import { DEFAULT_DAEMON_LIMITS, startDaemon } from "../daemon/daemon.ts";
import { DEFAULT_CONNECTION_LIMITS } from "../daemon/connection.ts";
import { Logger } from "../daemon/log.ts";
import { resolveDaemonPaths } from "../client/paths.ts";
import { connect } from "../client/client.ts";
import type { NotificationTask } from "../protocol/mod.ts";

const quick = Deno.args.includes("--quick");
const SEQUENTIAL = quick ? 500 : 3_000;
const PIPELINED = quick ? 10_000 : 50_000;
const WINDOW = 512;

function task(n: number): NotificationTask {
  return {
    target: { serverUrl: "http://127.0.0.1:9", topic: "bench", timeoutSecs: 10 },
    message: {
      title: `webapp: needs permission ${n}`,
      body: "Claude needs your permission to use Write",
      priority: 4,
      tags: ["warning"],
    },
    origin: {
      event: "Notification",
      project: "/home/user/webapp",
      sessionId: "2b6f0c1e",
      createdAt: Date.now(),
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

type Mode = "memory" | "write" | "fsync";

async function measure(mode: Mode) {
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "cn-dur-" });
  const paths = resolveDaemonPaths({ homeDir: dir, stateDir: `${dir}/state` });
  const daemon = await startDaemon({
    paths,
    version: "bench",
    log: new Logger({ level: "error", sink: () => {} }),
    loadSettings: () => ({
      logLevel: "error",
      maxQueueSize: 10_000_000,
      retryAttempts: 0,
      retryDelaySecs: 1,
    }),
    delivery: {
      publish: () => new Promise(() => {}),
      classify: () => ({ retryable: false, message: "" }),
      retryDelayMs: () => null,
    },
    limits: {
      ...DEFAULT_DAEMON_LIMITS,
      connection: { ...DEFAULT_CONNECTION_LIMITS, maxInFlight: 4096 },
    },
    handleSignals: false,
    durability: mode,
  });
  const client = await connect({ socketPath: paths.socketPath, tokenPath: paths.tokenPath });
  try {
    for (let i = 0; i < 200; i++) await client.submit(task(i)); // warm-up
    const latencies: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const started = performance.now();
      await client.submit(task(i));
      latencies.push((performance.now() - started) * 1000);
    }
    latencies.sort((a, b) => a - b);
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: WINDOW }, async () => {
      while (next < PIPELINED) {
        next++;
        await client.submit(task(next));
      }
    }));
    const rate = PIPELINED / ((performance.now() - started) / 1000);
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rate };
  } finally {
    await client.close();
    await daemon.shutdown("bench");
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const results: Record<Mode, { p50: number; p99: number; rate: number }> = {
    memory: await measure("memory"),
    write: await measure("write"),
    fsync: await measure("fsync"),
  };
  const base = results.memory;
  console.log(
    `Durability cost (${SEQUENTIAL} sequential submits, ${PIPELINED} pipelined with a window of ${WINDOW}; deliveries stalled)`,
  );
  console.log(
    "mode                         submit p50    submit p99    pipelined submits/s    vs in-memory",
  );
  for (
    const [mode, label] of [
      ["memory", "in-memory queue (baseline)"],
      ["write", "journal, written"],
      ["fsync", "journal, fsynced (default)"],
    ] as const
  ) {
    const r = results[mode];
    console.log(
      `${label.padEnd(28)} ${(r.p50.toFixed(0) + " µs").padStart(10)} ${
        (r.p99.toFixed(0) + " µs").padStart(13)
      } ${Math.round(r.rate).toLocaleString("en-US").padStart(22)}    ` +
        `latency ×${(r.p50 / base.p50).toFixed(2)}, rate ×${(r.rate / base.rate).toFixed(2)}`,
    );
  }
  await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await Deno.writeTextFile(
    new URL("./results/durability.json", import.meta.url),
    JSON.stringify(results, null, 2) + "\n",
  );
}
