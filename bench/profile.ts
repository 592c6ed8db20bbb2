/**
 * Where the time goes: runs a hot path under `deno run --cpu-prof` and prints the
 * functions and files with the most self time. Profiles land in bench/results/profiles/.
 *
 * ```sh
 * deno run -A bench/profile.ts daemon            # 100,000 pipelined Submits, delivered
 * deno run -A bench/profile.ts daemon --stalled  # ntfy never answers: the accept path alone
 * deno run -A bench/profile.ts hook              # 20 runs of the bundled hook command
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Arrivals } from "./_arrivals.ts";
import { BenchHome, BUNDLE, HOOK_RUN_FLAGS, REPO_ROOT } from "./_bench_home.ts";
import { startBlackHole } from "./_black_hole.ts";
import { cleanupAll, cleanupOnSignals } from "./_cleanup.ts";
import { formatSelfTimes, summarizeProfiles } from "./_cpuprofile.ts";
import { typicalTask } from "./_messages.ts";
import { fixturePath } from "./_phase_end_to_end.ts";

const PROFILES = `${REPO_ROOT}/bench/results/profiles`;

function report(title: string, paths: string[], top: number): void {
  const summary = summarizeProfiles(paths);
  console.log(`\n== ${title}: ${paths.length} profile(s), ${summary.busyMs.toFixed(0)} ms busy`);
  console.log("-- self time by function");
  console.log(formatSelfTimes(summary.functions, top));
  console.log("-- self time by file");
  console.log(formatSelfTimes(summary.files, 12));
}

async function newProfileDir(name: string): Promise<string> {
  const dir = `${PROFILES}/${name}`;
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dir, { recursive: true });
  return dir;
}

function profilesIn(dir: string): string[] {
  return [...Deno.readDirSync(dir)]
    .filter((entry) => entry.name.endsWith(".cpuprofile"))
    .map((entry) => `${dir}/${entry.name}`);
}

async function profileDaemon(total: number, window: number, stalled: boolean, top: number) {
  const arrivals = await Arrivals.start();
  const target = stalled ? startBlackHole().url : arrivals.url;
  const home = await BenchHome.create(target);
  const dir = await newProfileDir(stalled ? "daemon-stalled" : "daemon");
  await home.startDaemon({ denoFlags: ["--cpu-prof", `--cpu-prof-dir=${dir}`] });
  const task = typicalTask(target);
  const client = await home.connect();
  let issued = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: window }, async () => {
    while (issued < total) {
      issued++;
      await client.submit(task);
    }
  }));
  const ms = performance.now() - started;
  await client.close();
  console.log(
    `${total} pipelined Submits (window ${window}${stalled ? ", deliveries stalled" : ""}): ` +
      `${ms.toFixed(0)} ms, ${Math.round((total / ms) * 1000)} msg/s`,
  );
  if (!stalled) {
    const last = await arrivals.until(total, 600_000);
    console.log(`all delivered after ${(last - started).toFixed(0)} ms`);
  }
  await home.stopDaemon();
  report("daemon", profilesIn(dir), top);
}

async function profileHook(runs: number, top: number) {
  const arrivals = await Arrivals.start();
  const home = await BenchHome.create(arrivals.url);
  await home.startDaemon();
  const stdin = Deno.readFileSync(fixturePath("stop.json"));
  for (const [name, args] of [["hook", ["hook"]], ["help", ["--help"]]] as const) {
    const dir = await newProfileDir(`hook-${name}`);
    for (let i = 0; i < runs; i++) {
      const child = new Deno.Command(Deno.execPath(), {
        args: [...HOOK_RUN_FLAGS, "--cpu-prof", `--cpu-prof-dir=${dir}`, BUNDLE, ...args],
        env: home.env,
        clearEnv: true,
        cwd: home.home,
        stdin: "piped",
        stdout: "null",
        stderr: "inherit",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(stdin).catch(() => {});
      await writer.close().catch(() => {});
      await child.status;
    }
    report(`bundle ${args.join(" ")}`, profilesIn(dir), top);
  }
  await home.stopDaemon();
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      stalled: { type: "boolean" },
      total: { type: "string" },
      window: { type: "string" },
      runs: { type: "string" },
      top: { type: "string" },
    },
  });
  cleanupOnSignals();
  const top = Number(values.top ?? "30");
  try {
    if (positionals[0] === "daemon") {
      await profileDaemon(
        Number(values.total ?? "100000"),
        Number(values.window ?? "1000"),
        values.stalled ?? false,
        top,
      );
    } else if (positionals[0] === "hook") {
      await profileHook(Number(values.runs ?? "20"), top);
    } else {
      console.error("Usage: bench/profile.ts daemon [--stalled] [--total N] [--window N] | hook");
    }
  } finally {
    await cleanupAll();
  }
}
