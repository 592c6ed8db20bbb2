/**
 * The pipelined figures of section 3 alone, each beside the echo server's rate for the same
 * frames and window measured in the same run: Submits through the client on one connection
 * (delivered, and with deliveries stalled) and raw Submit frames. A few minutes less than
 * `deno task bench` when only the accept path changed. Run `deno task build` first: the
 * daemon runs from `dist/claude-ntfy.js`.
 *
 * ```sh
 * deno run -A bench/pipeline_bench.ts               # 100,000 / 50,000 / 20,000, once
 * deno run -A bench/pipeline_bench.ts --runs 3      # each figure three times
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { encodeRequest } from "../protocol/mod.ts";
import { Arrivals } from "./_arrivals.ts";
import { BenchHome } from "./_bench_home.ts";
import { startBlackHole } from "./_black_hole.ts";
import { cleanupAll, cleanupOnSignals, onCleanup } from "./_cleanup.ts";
import { submit, typicalTask } from "./_messages.ts";
import { echoPipelinedAt, pipelineSubmits } from "./_phase_throughput.ts";
import { FrameConn, pipelineFrames, startEchoServer } from "./_raw_socket.ts";

const WINDOW = 1_000;

function line(figure: string, total: number, ms: number, echoRate: number, errors: number) {
  const rate = (total / ms) * 1000;
  console.log(
    `${figure.padEnd(44)} ${Math.round(rate).toString().padStart(7)} msg/s` +
      `  echo ${Math.round(echoRate).toString().padStart(7)}  ratio ${
        (rate / echoRate).toFixed(3)
      }${errors > 0 ? `  errors ${errors}` : ""}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      runs: { type: "string" },
      delivered: { type: "string" },
      stalled: { type: "string" },
      raw: { type: "string" },
    },
  });
  const runs = Number(values.runs ?? "1");
  const sizes = {
    delivered: Number(values.delivered ?? "100000"),
    stalled: Number(values.stalled ?? "50000"),
    raw: Number(values.raw ?? "20000"),
  };
  cleanupOnSignals();
  const scratch = await Deno.makeTempDir({ dir: "/tmp", prefix: "cnb-pipeline-" });
  onCleanup(`scratch ${scratch}`, () => Deno.remove(scratch, { recursive: true }));
  const arrivals = await Arrivals.start();
  const echo = await startEchoServer(scratch);
  const hole = startBlackHole();
  onCleanup("black hole", () => hole.close());
  const task = typicalTask(arrivals.url);
  const frame = encodeRequest(submit(task));
  const echoRate = async (total: number) => {
    const result = await echoPipelinedAt(echo.socketPath, frame, total, WINDOW);
    return (total / result.ms) * 1000;
  };

  for (let run = 0; run < runs; run++) {
    // Through the client, delivered: a fresh daemon, as the memory phase of the bench.
    const home = await BenchHome.create(arrivals.url);
    await home.startDaemon();
    const client = await home.connect();
    await client.ping();
    const before = arrivals.count;
    const delivered = await pipelineSubmits(client, task, sizes.delivered, WINDOW);
    const deliveredMeanwhile = arrivals.count - before;
    const rawConn = await FrameConn.open(home.paths.socketPath);
    await arrivals.until(before + sizes.delivered - delivered.errors, 600_000);
    line(
      `Pipelined Submits via client (${sizes.delivered})`,
      sizes.delivered,
      delivered.ms,
      await echoRate(sizes.delivered),
      delivered.errors,
    );
    console.log(`  (${deliveredMeanwhile} delivered while the Submits came in)`);
    // Raw frames on the same daemon, once the burst above is delivered.
    await rawConn.hello(Deno.readTextFileSync(home.paths.tokenPath).trim());
    const beforeRaw = arrivals.count;
    const raw = await pipelineFrames(rawConn.conn, frame, {
      total: sizes.raw,
      window: WINDOW,
      checkAnswers: true,
    });
    rawConn.close();
    await client.close();
    await arrivals.until(beforeRaw + sizes.raw - raw.errors, 600_000);
    await home.stopDaemon();
    line(
      `Pipelined raw Submit frames (${sizes.raw})`,
      sizes.raw,
      raw.ms,
      await echoRate(sizes.raw),
      raw.errors,
    );

    const stalledHome = await BenchHome.create(hole.url);
    await stalledHome.startDaemon();
    const stalledClient = await stalledHome.connect();
    const stalledTask = typicalTask(hole.url);
    await pipelineSubmits(stalledClient, stalledTask, 1_000, WINDOW);
    const stalled = await pipelineSubmits(stalledClient, stalledTask, sizes.stalled, WINDOW);
    await stalledClient.close();
    // Its queue can never drain: no graceful stop.
    await stalledHome.killDaemon();
    line(
      `Pipelined Submits, deliveries stalled (${sizes.stalled})`,
      sizes.stalled,
      stalled.ms,
      await echoRate(sizes.stalled),
      stalled.errors,
    );
  }
}

if (import.meta.main) {
  try {
    await main();
  } finally {
    await cleanupAll();
  }
}
