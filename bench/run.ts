/**
 * The benchmark suite of issue 6: every figure beside a baseline measured in the same run.
 * Prints one table on stdout and writes `bench/results/latest.json` (all figures and the
 * machine) and `bench/results/latency.svg` (latency distributions).
 *
 * ```sh
 * deno task bench            # full run, a few minutes
 * deno task bench --quick    # smoke test, under a minute
 * ```
 *
 * It asserts nothing: a missed target is printed as MISS and the exit code stays 0.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Arrivals } from "./_arrivals.ts";
import { BenchHome, BUNDLE, REPO_ROOT } from "./_bench_home.ts";
import { cleanupAll, cleanupOnSignals, onCleanup } from "./_cleanup.ts";
import type { BenchContext, Sizes } from "./_context.ts";
import { runCodec } from "./_phase_codec.ts";
import { runDelivery } from "./_phase_delivery.ts";
import { runEndToEnd } from "./_phase_end_to_end.ts";
import { runMemory } from "./_phase_memory.ts";
import { runRoundTrip } from "./_phase_round_trip.ts";
import { runThroughput } from "./_phase_throughput.ts";
import { startEchoServer } from "./_raw_socket.ts";
import { formatTable, targetCounts } from "./_report.ts";
import { percentile, type Summary } from "./_stats.ts";
import { latencyChart } from "./_svg.ts";

const FULL: Sizes = {
  roundTripSamples: 20_000,
  roundTripWarmup: 1_000,
  pipelinedSubmits: 100_000,
  pipelineWindow: 1_000,
  rawPipelinedSubmits: 20_000,
  stalledSubmits: 50_000,
  waves: [
    { clients: 1, requestsEach: 500 },
    { clients: 20, requestsEach: 50 },
    { clients: 100, requestsEach: 20 },
    { clients: 1_000, requestsEach: 3 },
  ],
  processRuns: 60,
  processWarmup: 3,
  arrivalSamples: 300,
  directFetches: 5_000,
  pollingDrops: 100,
  pollingSpanMs: 3_000,
  memoryPauseMs: 30_000,
};

const QUICK: Sizes = {
  roundTripSamples: 2_000,
  roundTripWarmup: 200,
  pipelinedSubmits: 10_000,
  pipelineWindow: 1_000,
  rawPipelinedSubmits: 5_000,
  stalledSubmits: 10_000,
  waves: [
    { clients: 1, requestsEach: 50 },
    { clients: 20, requestsEach: 5 },
    { clients: 100, requestsEach: 2 },
    { clients: 1_000, requestsEach: 1 },
  ],
  processRuns: 8,
  processWarmup: 1,
  arrivalSamples: 50,
  directFetches: 1_000,
  pollingDrops: 30,
  pollingSpanMs: 1_000,
  memoryPauseMs: 5_000,
};

const SOURCES = ["cli", "daemon", "protocol"];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) {
      newest = Math.max(newest, Deno.statSync(path).mtime?.getTime() ?? 0);
    }
  }
  return newest;
}

/** Rebuilds dist/claude-ntfy.js (as `deno task build` does) when a source is newer. */
async function ensureBundle(): Promise<void> {
  let built = 0;
  try {
    built = Deno.statSync(BUNDLE).mtime?.getTime() ?? 0;
  } catch {
    // Missing: build it.
  }
  const newest = Math.max(
    ...SOURCES.map((dir) => newestSource(`${REPO_ROOT}/${dir}`)),
    ...["deno.json", "deno.lock"].map((file) =>
      Deno.statSync(`${REPO_ROOT}/${file}`).mtime?.getTime() ?? 0
    ),
  );
  if (built >= newest) return;
  console.error(`bench: building ${BUNDLE} (${built === 0 ? "missing" : "older than sources"})`);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform", "deno", "-o", BUNDLE, "cli/main.ts"],
    cwd: REPO_ROOT,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`deno bundle failed with exit code ${output.code}`);
}

async function gitRevision(): Promise<string> {
  try {
    const run = (args: string[]) =>
      new Deno.Command("git", { args, cwd: REPO_ROOT, stdout: "piped", stderr: "null" }).output();
    const head = new TextDecoder().decode((await run(["rev-parse", "--short", "HEAD"])).stdout);
    const dirty = (await run(["status", "--porcelain"])).stdout.byteLength > 0;
    return `${head.trim()}${dirty ? " (uncommitted changes)" : ""}`;
  } catch {
    return "unknown";
  }
}

function machine(quick: boolean) {
  const cpuinfo = Deno.readTextFileSync("/proc/cpuinfo");
  const meminfo = Deno.readTextFileSync("/proc/meminfo");
  const memKib = Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? NaN);
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    cores: navigator.hardwareConcurrency,
    memoryGiB: Math.round((memKib / 1024 / 1024) * 10) / 10,
    os: `${Deno.build.os} ${Deno.osRelease()} ${Deno.build.arch}`,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    loadAverage: Deno.loadavg(),
    date: new Date().toISOString(),
    mode: quick ? "quick" : "full",
  };
}

/** Where the hook's p50 wall time goes, from the four process variants. */
function hookSplit(figures: Record<string, unknown>) {
  const variants = (figures.endToEnd as { variants?: Record<string, { wall: Summary }> })
    ?.variants;
  if (!variants) return undefined;
  const p50 = (key: string) => variants[key]!.wall.p50;
  return {
    denoStartMs: p50("empty"),
    bundleLoadMs: p50("load") - p50("empty"),
    exchangeMs: p50("hook") - p50("load"),
  };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(`${path}.tmp`, text);
  await Deno.rename(`${path}.tmp`, path);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { quick: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log("Usage: deno task bench [--quick]");
    return 0;
  }
  const quick = values.quick ?? false;
  const sizes = quick ? QUICK : FULL;
  const started = performance.now();
  cleanupOnSignals();
  await ensureBundle();
  const scratch = await Deno.makeTempDir({ dir: "/tmp", prefix: "cnb-scratch-" });
  onCleanup(`scratch ${scratch}`, () => Deno.remove(scratch, { recursive: true }));
  const arrivals = await Arrivals.start();
  const echo = await startEchoServer(scratch);
  const home = await BenchHome.create(arrivals.url);
  const context: BenchContext = {
    quick,
    sizes,
    rows: [],
    figures: {},
    series: {},
    scratch,
    arrivals,
    home,
    echo,
    progress: (text) =>
      console.error(`bench: ${((performance.now() - started) / 1000).toFixed(1)} s  ${text}`),
  };
  const info = { ...machine(quick), revision: await gitRevision() };

  runCodec(context);
  await home.startDaemon();
  await runRoundTrip(context);
  await runEndToEnd(context);
  await runDelivery(context);
  await runThroughput(context);
  await runMemory(context);
  await home.stopDaemon();

  const loadAtEnd = Deno.loadavg();
  const rows = context.rows.toSorted((a, b) => a.section.localeCompare(b.section));
  const { pass, miss } = targetCounts(rows);
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    `claude-ntfy benchmarks (${info.mode}) on ${info.cpu}, ${info.cores} cores, ` +
      `${info.memoryGiB} GiB, Deno ${info.deno}, ${info.os}; ${info.date}; rev ${info.revision}; ` +
      `load average ${info.loadAverage[0]!.toFixed(2)} at start, ${
        loadAtEnd[0]!.toFixed(2)
      } at end`,
  );
  console.log("Ratio = value ÷ baseline. Times: lower is better; rates: higher is better.\n");
  console.log(formatTable(rows));
  const split = hookSplit(context.figures);
  if (split) {
    console.log(
      `\nHook wall time, p50 split: Deno start ${split.denoStartMs.toFixed(1)} ms + hook bundle ` +
        `load ${split.bundleLoadMs.toFixed(1)} ms + stdin, context and the event's journaled ` +
        `round trip ${split.exchangeMs.toFixed(1)} ms.`,
    );
    context.figures.hookSplit = split;
  }
  console.log(
    `\nTargets: ${pass} met, ${miss} missed${miss > 0 ? " (MISS above)" : ""}. ` +
      `Took ${elapsed.toFixed(0)} s.`,
  );
  context.figures.latencyQuantiles = Object.fromEntries(
    Object.entries(context.series).map(([name, samples]) => {
      const sorted = samples.toSorted((a, b) => a - b);
      const quantiles = Array.from({ length: 201 }, (_, i) => percentile(sorted, i / 2));
      return [name, { unit: "ms", step: "0.5 %", from: "p0", quantiles }];
    }),
  );

  const results = `${REPO_ROOT}/bench/results`;
  await Deno.mkdir(results, { recursive: true });
  await writeAtomically(
    `${results}/latest.json`,
    JSON.stringify(
      { machine: info, sizes, elapsedSecs: elapsed, rows, figures: context.figures },
      null,
      2,
    ) +
      "\n",
  );
  await writeAtomically(
    `${results}/latency.svg`,
    latencyChart(context.series, {
      title: "claude-ntfy: latency, socket path against 100 ms file polling",
      subtitle: `${info.cpu}, ${info.cores} cores, Deno ${info.deno}, ${info.date.slice(0, 10)}` +
        ` (${info.mode} run)`,
    }),
  );
  console.log(`Wrote bench/results/latest.json and bench/results/latency.svg`);
  return 0;
}

if (import.meta.main) {
  let code = 0;
  try {
    code = await main();
  } catch (error) {
    console.error(`bench: failed: ${(error as Error)?.stack ?? error}`);
    code = 1;
  } finally {
    await cleanupAll();
  }
  Deno.exit(code);
}
