// 6. Memory, on a fresh daemon in a fresh HOME (an empty journal): RSS idle, right after 100,000 pipelined Submits through
// the client on one connection (which is also the pipelined throughput figure), once
// all are delivered, and after a pause. The drain gives the delivery rate (5).

import { encodeRequest } from "../protocol/mod.ts";
import { submit, typicalTask } from "./_messages.ts";
import { echoPipelined, pipelineSubmits } from "./_phase_throughput.ts";
import { startEchoServer } from "./_raw_socket.ts";
import { BenchHome, type ProcessMemory, processMemory } from "./_bench_home.ts";
import { sleep } from "./_stats.ts";
import type { BenchContext } from "./_context.ts";

const MIB = 1024 * 1024;

export async function runMemory(
  context: BenchContext,
  options: { denoFlags?: string[] } = {},
): Promise<void> {
  const { arrivals, sizes } = context;
  const total = sizes.pipelinedSubmits;
  const window = sizes.pipelineWindow;
  const task = typicalTask(arrivals.url);
  context.progress("memory: fresh daemon");
  await context.home.stopDaemon();
  const home = await BenchHome.create(arrivals.url);
  await home.startDaemon(options);
  const warm = await home.connect();
  await warm.ping();
  await warm.close();
  // The floor: a fresh Deno process that listens on a Unix socket and does nothing else.
  const idleDeno = await startEchoServer(await Deno.makeTempDir({ dir: context.scratch }));
  await sleep(1_000);
  const idle = home.daemonMemory();
  const denoIdle = processMemory(idleDeno.pid);
  await idleDeno.stop();

  context.progress(`throughput: ${total.toLocaleString("en-US")} pipelined Submits`);
  const client = await home.connect();
  const before = arrivals.count;
  const started = performance.now();
  let pipelined;
  try {
    pipelined = await pipelineSubmits(client, task, total, window);
  } finally {
    await client.close();
  }
  const { errors } = pipelined;
  const submitted = started + pipelined.ms;
  const afterSubmits = home.daemonMemory();
  const arrivedDuringSubmits = arrivals.count - before;

  context.progress("memory: waiting for every delivery");
  const lastArrival = await arrivals.until(before + total - errors, 600_000);
  const afterDelivery = home.daemonMemory();
  // RSS once a second through the pause: V8 and malloc hand memory back over seconds.
  const pauseCurve: number[] = [];
  for (let waited = 0; waited < sizes.memoryPauseMs; waited += 1_000) {
    await sleep(1_000);
    pauseCurve.push(home.daemonMemory().rss / MIB);
  }
  const afterPause = home.daemonMemory();
  await home.stopDaemon();

  const echo = await echoPipelined(context, encodeRequest(submit(task)), total);
  const rate = (total / (submitted - started)) * 1000;
  const echoRate = (total / echo.ms) * 1000;
  const deliveryRate = ((total - errors) / (lastArrival - started)) * 1000;
  const direct = (context.figures.delivery as { directFetch?: { perSecond: number } } | undefined)
    ?.directFetch;
  const mib = (memory: ProcessMemory) => ({ rssMiB: memory.rss / MIB, peakMiB: memory.peak / MIB });
  context.figures.pipelined = {
    total,
    window,
    errors,
    ms: submitted - started,
    perSecond: rate,
    deliveredWhileSubmitting: arrivedDuringSubmits,
    echoMs: echo.ms,
    echoPerSecond: echoRate,
  };
  context.figures.memory = {
    submits: total,
    pauseMs: sizes.memoryPauseMs,
    idle: mib(idle),
    idleFreshDeno: mib(denoIdle),
    afterSubmits: mib(afterSubmits),
    afterDelivery: mib(afterDelivery),
    afterPause: mib(afterPause),
    pauseRssMiBEachSecond: pauseCurve,
  };
  context.figures.deliveryRate = {
    delivered: total - errors,
    ms: lastArrival - started,
    perSecond: deliveryRate,
  };

  const count = total.toLocaleString("en-US");
  context.rows.push({
    section: "3 Throughput",
    figure: `Pipelined Submits via client (${count}, window ${window})`,
    value: rate,
    unit: "msg/s",
    baseline: { name: "echo, same frames and window", value: echoRate },
    target: { text: "≥ 100,000 msg/s", pass: rate >= 100_000 && errors === 0 },
  });
  if (direct) {
    context.rows.push({
      section: "5 Delivery (to loopback ntfy)",
      figure: `Delivery rate, daemon → ntfy (${count})`,
      value: deliveryRate,
      unit: "msg/s",
      baseline: { name: "plain fetch ×8, other process", value: direct.perSecond },
    });
  }
  const section = "6 Memory (daemon RSS)";
  const idleBase = { name: "idle", value: idle.rss / MIB };
  context.rows.push(
    {
      section,
      figure: "Idle",
      value: idle.rss / MIB,
      unit: "MiB",
      baseline: { name: "fresh Deno listening on a socket", value: denoIdle.rss / MIB },
    },
    {
      section,
      figure: `Right after ${count} Submits`,
      value: afterSubmits.rss / MIB,
      unit: "MiB",
      baseline: idleBase,
    },
    {
      section,
      figure: "All delivered",
      value: afterDelivery.rss / MIB,
      unit: "MiB",
      baseline: idleBase,
    },
    {
      section,
      figure: `After a ${sizes.memoryPauseMs / 1000} s pause`,
      value: afterPause.rss / MIB,
      unit: "MiB",
      baseline: idleBase,
      target: {
        text: "back below half the rise",
        pass: afterPause.rss <= idle.rss + (afterPause.peak - idle.rss) / 2,
      },
    },
    {
      section,
      figure: "Peak (VmHWM)",
      value: afterPause.peak / MIB,
      unit: "MiB",
      baseline: idleBase,
    },
  );
}
