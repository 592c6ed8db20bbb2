// 3. Throughput: connect-per-request waves of 1 to 1,000 concurrent clients, and
// pipelined raw Submit frames on one connection, each against the echo server doing the
// same. The pipelined Submits through the client run in the memory phase (100,000 of them
// on a fresh daemon).

import { encodeRequest } from "../protocol/mod.ts";
import { connect, type DaemonClient } from "../client/client.ts";
import type { NotificationTask } from "../protocol/mod.ts";
import { BenchHome } from "./_bench_home.ts";
import { startBlackHole } from "./_black_hole.ts";
import { submit, typicalTask } from "./_messages.ts";
import { FrameConn, pipelineFrames, type PipelineResult } from "./_raw_socket.ts";
import { summarize, type Summary } from "./_stats.ts";
import type { BenchContext } from "./_context.ts";

/** What one wave of clients measured. */
export interface WaveResult {
  readonly clients: number;
  readonly requests: number;
  readonly ms: number;
  readonly perSecond: number;
  readonly latency: Summary;
  readonly errors: number;
  readonly errorCodes: Record<string, number>;
}

async function wave(
  clients: number,
  requestsEach: number,
  request: () => Promise<void>,
): Promise<WaveResult> {
  const latencies: number[] = [];
  const errorCodes: Record<string, number> = {};
  let errors = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    for (let i = 0; i < requestsEach; i++) {
      const sent = performance.now();
      try {
        await request();
        latencies.push(performance.now() - sent);
      } catch (error) {
        errors++;
        const code = (error as { code?: string }).code ?? (error as Error).name;
        errorCodes[code] = (errorCodes[code] ?? 0) + 1;
      }
    }
  }));
  const ms = performance.now() - started;
  return {
    clients,
    requests: clients * requestsEach,
    ms,
    perSecond: (latencies.length / ms) * 1000,
    latency: summarize(latencies),
    errors,
    errorCodes,
  };
}

/**
 * Submits `total` tasks through the client on one connection, `window` at a time, and
 * resolves with the wall time and the number of refused Submits.
 */
export async function pipelineSubmits(
  client: DaemonClient,
  task: NotificationTask,
  total: number,
  window: number,
): Promise<PipelineResult> {
  let issued = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(window, total) }, async () => {
    while (issued < total) {
      issued++;
      try {
        await client.submit(task);
      } catch {
        errors++;
      }
    }
  }));
  return { ms: performance.now() - started, errors };
}

/** Pipelines `total` copies of `frame` to the echo server (the floor for one connection). */
export function echoPipelined(
  context: BenchContext,
  frame: Uint8Array,
  total: number,
): Promise<PipelineResult> {
  return echoPipelinedAt(context.echo.socketPath, frame, total, context.sizes.pipelineWindow);
}

/** {@linkcode echoPipelined} against the echo server at `socketPath`, `window` at a time. */
export async function echoPipelinedAt(
  socketPath: string,
  frame: Uint8Array,
  total: number,
  window: number,
): Promise<PipelineResult> {
  const echo = await FrameConn.open(socketPath);
  try {
    await pipelineFrames(echo.conn, frame, { total: 1_000, window, checkAnswers: false });
    return await pipelineFrames(echo.conn, frame, { total, window, checkAnswers: false });
  } finally {
    echo.close();
  }
}

export async function runThroughput(context: BenchContext): Promise<void> {
  context.progress("throughput: connect-per-request waves");
  const { home, arrivals, sizes } = context;
  const task = typicalTask(arrivals.url);
  const frame = encodeRequest(submit(task));
  const section = "3 Throughput";
  const waves: Array<{ daemon: WaveResult; echo: WaveResult }> = [];

  for (const { clients, requestsEach } of sizes.waves) {
    context.progress(`throughput: ${clients} clients × ${requestsEach}`);
    const echo = await wave(clients, requestsEach, async () => {
      const conn = await FrameConn.open(context.echo.socketPath);
      try {
        await conn.roundTrip(frame);
      } finally {
        conn.close();
      }
    });
    const expected = arrivals.count + clients * requestsEach;
    // What the hook does: connect, hello with the token, submit, close; same timeouts.
    const daemon = await wave(clients, requestsEach, async () => {
      const client = await connect({
        socketPath: home.paths.socketPath,
        tokenPath: home.paths.tokenPath,
        connectTimeoutMs: 1_000,
        requestTimeoutMs: 5_000,
        clientName: "claude-ntfy-bench",
      });
      try {
        await client.submit(task);
      } finally {
        await client.close();
      }
    });
    // Let the deliveries finish so they do not weigh on the next wave.
    await arrivals.until(expected - daemon.errors, 120_000);
    waves.push({ daemon, echo });
    const label = `${clients.toLocaleString("en-US")} client${clients === 1 ? "" : "s"}`;
    const echoName = "connect + echo + close";
    context.rows.push(
      {
        section,
        figure: `Connect-per-request, ${label}: rate`,
        value: daemon.perSecond,
        unit: "msg/s",
        baseline: { name: echoName, value: echo.perSecond },
      },
      {
        section,
        figure: `Connect-per-request, ${label}: p99`,
        value: daemon.latency.p99,
        unit: "ms",
        baseline: { name: echoName, value: echo.latency.p99 },
      },
      {
        section,
        figure: `Connect-per-request, ${label}: errors`,
        value: daemon.errors,
        unit: "count",
        baseline: { name: echoName, value: echo.errors },
        ...(clients >= 1_000 ? { target: { text: "0 errors", pass: daemon.errors === 0 } } : {}),
      },
    );
  }

  context.progress("throughput: pipelined raw frames");
  const raw = await FrameConn.open(home.paths.socketPath);
  let rawResult: PipelineResult;
  const before = arrivals.count;
  try {
    await raw.hello(Deno.readTextFileSync(home.paths.tokenPath).trim());
    rawResult = await pipelineFrames(raw.conn, frame, {
      total: sizes.rawPipelinedSubmits,
      window: sizes.pipelineWindow,
      checkAnswers: true,
    });
  } finally {
    raw.close();
  }
  const echoResult = await echoPipelined(context, frame, sizes.rawPipelinedSubmits);
  await arrivals.until(before + sizes.rawPipelinedSubmits - rawResult.errors, 300_000);
  const rawRate = (sizes.rawPipelinedSubmits / rawResult.ms) * 1000;
  const echoRate = (sizes.rawPipelinedSubmits / echoResult.ms) * 1000;
  context.rows.push({
    section,
    figure: `Pipelined raw Submit frames (${sizes.rawPipelinedSubmits.toLocaleString("en-US")})`,
    value: rawRate,
    unit: "msg/s",
    baseline: { name: "echo, same frames and window", value: echoRate },
  });
  context.progress("throughput: pipelined Submits, deliveries stalled");
  const hole = startBlackHole();
  const stalledHome = await BenchHome.create(hole.url);
  await stalledHome.startDaemon();
  const stalledClient = await stalledHome.connect();
  let stalled: PipelineResult;
  try {
    const stalledTask = typicalTask(hole.url);
    await pipelineSubmits(stalledClient, stalledTask, 1_000, sizes.pipelineWindow);
    stalled = await pipelineSubmits(
      stalledClient,
      stalledTask,
      sizes.stalledSubmits,
      sizes.pipelineWindow,
    );
  } finally {
    await stalledClient.close();
    // Its queue can never drain: no graceful stop.
    await stalledHome.killDaemon();
    hole.close();
  }
  const stalledRate = (sizes.stalledSubmits / stalled.ms) * 1000;
  context.rows.push({
    section,
    figure: `Pipelined Submits via client, deliveries stalled (${
      sizes.stalledSubmits.toLocaleString("en-US")
    })`,
    value: stalledRate,
    unit: "msg/s",
    baseline: { name: "echo, same frames and window", value: echoRate },
  });

  context.figures.throughput = {
    frameBytes: frame.byteLength,
    window: sizes.pipelineWindow,
    connectPerRequest: waves,
    pipelinedRawFrames: {
      total: sizes.rawPipelinedSubmits,
      ms: rawResult.ms,
      perSecond: rawRate,
      errors: rawResult.errors,
      echoMs: echoResult.ms,
      echoPerSecond: echoRate,
    },
    pipelinedDeliveriesStalled: {
      total: sizes.stalledSubmits,
      ms: stalled.ms,
      perSecond: stalledRate,
      errors: stalled.errors,
      note: "the ntfy target accepts TCP connections and never answers",
    },
  };
}
