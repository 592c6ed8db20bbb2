// 4. End to end: the bundled hook command from spawn to exit with the Stop fixture, beside
// `deno run` of an empty file and a minimal forwarder (bench/_minimal_hook.ts: the floor of
// any Deno hook that waits for the daemon's acknowledgment); the hook's bundle imported but
// not run, and `hook --dry-run`, split the difference into startup, module evaluation and
// work. The full hook runs also
// give hook-to-arrival (5). The baseline runs with plain `deno run` flags; everything else
// with the hook command's (HOOK_RUN_FLAGS), and one more empty file shows what those flags
// do to Deno's own start.

import { inSession, runHookProcess } from "./_hook_process.ts";
import { fileURLToPath } from "node:url";
import { DENO_RUN_FLAGS, HOOK_BUNDLE, HOOK_RUN_FLAGS, REPO_ROOT } from "./_bench_home.ts";
import { summarize } from "./_stats.ts";
import type { BenchContext } from "./_context.ts";
import { errorMessage } from "../protocol/error_message.ts";

/** A hook payload fixture from `tests/fixtures/hooks/` (captured from the real CLI). */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../tests/fixtures/hooks/${name}`, import.meta.url));
}

/** The minimal forwarder's source, bundled into the scratch folder by the phase. */
const MINIMAL_HOOK = `${REPO_ROOT}/bench/_minimal_hook.ts`;

interface Variant {
  readonly key: string;
  readonly label: string;
  readonly args: string[];
  readonly arrives: boolean;
  readonly wall: number[];
  readonly arrival: number[];
  failures: number;
  firstFailure?: string;
}

async function runOnce(context: BenchContext, variant: Variant, stdin: Uint8Array) {
  const expected = context.arrivals.count + 1;
  const { wall, started, failure } = await runHookProcess(
    Deno.execPath(),
    variant.args,
    context.home,
    stdin,
  );
  let arrival = NaN;
  if (variant.arrives) {
    try {
      arrival = (await context.arrivals.until(expected, 10_000)) - started;
    } catch (error) {
      variant.failures++;
      variant.firstFailure ??= errorMessage(error);
    }
  }
  if (failure !== undefined) {
    variant.failures++;
    variant.firstFailure ??= failure;
  }
  return { wall, arrival };
}

export async function runEndToEnd(context: BenchContext): Promise<void> {
  context.progress("end to end: hook processes");
  const emptyFile = `${context.scratch}/empty.js`;
  await Deno.writeTextFile(emptyFile, "");
  const minimalHook = `${context.scratch}/minimal-hook.js`;
  const bundled = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform", "deno", "--minify", "-o", minimalHook, MINIMAL_HOOK],
    stdout: "null",
    stderr: "inherit",
  }).output();
  if (!bundled.success) throw new Error("bench: cannot bundle the minimal forwarder");
  const loadHook = `${context.scratch}/load-hook.js`;
  await Deno.writeTextFile(loadHook, `import ${JSON.stringify(HOOK_BUNDLE)};\n`);
  const stdin = Deno.readFileSync(fixturePath("stop.json"));
  const make = (
    key: string,
    label: string,
    args: string[],
    arrives = false,
    flags = HOOK_RUN_FLAGS,
  ): Variant => ({
    key,
    label,
    args: [...flags, ...args],
    arrives,
    wall: [],
    arrival: [],
    failures: 0,
  });
  const variants = [
    // The baseline: plain `deno run`, without the hook's V8 flags.
    make("empty", "deno run of an empty file", [emptyFile], false, DENO_RUN_FLAGS),
    make("minimal", "minimal forwarder (stdin, connect, event, ack; nothing else)", [
      minimalHook,
    ], true),
    // Imported, its main does not run (`--help` would load the full command as well).
    make("load", "hook bundle imported, not run (start-up + module evaluation)", [
      loadHook,
    ]),
    make("dryRun", "hook --dry-run (the slow path: config and templates in the hook)", [
      HOOK_BUNDLE,
      "hook",
      "--dry-run",
    ]),
    make("hook", "hook (+ stdin, context, the event's journaled round trip)", [
      HOOK_BUNDLE,
      "hook",
    ], true),
    // The hook's V8 flags alone: what they do to Deno's own start.
    make("emptyHookFlags", "deno run of an empty file, with the hook's flags", [
      `${context.scratch}/empty-hook-flags.js`,
    ]),
  ];
  // A file of its own: V8 refuses a code cache made under other flags.
  await Deno.writeTextFile(`${context.scratch}/empty-hook-flags.js`, "");
  const { processRuns: runs, processWarmup: warmup } = context.sizes;
  for (let round = -warmup; round < runs; round++) {
    // Round robin, so that drift in the machine's state hits all variants alike.
    for (const variant of variants) {
      // A session of its own each run: repeated Stops of one session are one notification.
      const { wall, arrival } = await runOnce(
        context,
        variant,
        inSession(stdin, `bench-${variant.key}-${round}`),
      );
      if (round < 0) continue;
      variant.wall.push(wall);
      if (variant.arrives && Number.isFinite(arrival)) variant.arrival.push(arrival);
    }
  }
  for (const variant of variants) {
    if (variant.failures > 0) {
      console.error(
        `bench: ${variant.label}: ${variant.failures} failed runs, first: ${variant.firstFailure}`,
      );
    }
  }
  const [empty, minimal, load, dryRun, hook, emptyHookFlags] = variants.map((variant) =>
    summarize(variant.wall)
  );
  const hookVariant = variants[4]!;
  const arrival = summarize(hookVariant.arrival);
  const minimalArrival = summarize(variants[1]!.arrival);
  context.series["Hook, spawn → exit"] = hookVariant.wall;
  context.series["Hook, spawn → arrival at ntfy"] = hookVariant.arrival;
  context.figures.endToEnd = {
    runs,
    warmup,
    fixture: "stop.json",
    command: `deno ${HOOK_RUN_FLAGS.join(" ")} dist/hook/claude-ntfy-hook.js hook`,
    unit: "ms",
    variants: Object.fromEntries(variants.map((variant, index) => [variant.key, {
      label: variant.label,
      failures: variant.failures,
      wall: [empty, minimal, load, dryRun, hook, emptyHookFlags][index],
    }])),
    hookToArrival: arrival,
    minimalToArrival: minimalArrival,
  };
  const section = "4 End to end (process spawn → exit)";
  const baseline = { name: "deno run empty file", value: empty!.p50 };
  context.rows.push(
    {
      section,
      figure: "Hook wall time p50",
      value: hook!.p50,
      unit: "ms",
      baseline,
      target: { text: "≤ 1.2× empty", pass: hook!.p50 <= 1.2 * empty!.p50 },
    },
    {
      section,
      figure: "Minimal forwarder wall time p50 (the floor)",
      value: minimal!.p50,
      unit: "ms",
      baseline,
    },
    {
      section,
      figure: "Hook wall time p50, against the minimal forwarder",
      value: hook!.p50,
      unit: "ms",
      baseline: { name: "minimal forwarder", value: minimal!.p50 },
    },
    {
      section,
      figure: "Hook wall time p90",
      value: hook!.p90,
      unit: "ms",
      baseline: { name: "deno run empty file", value: empty!.p90 },
    },
    {
      section,
      figure: "Hook bundle load p50 (imported, not run)",
      value: load!.p50,
      unit: "ms",
      baseline,
    },
    { section, figure: "Hook --dry-run p50 (no socket)", value: dryRun!.p50, unit: "ms", baseline },
    {
      section,
      figure: "Empty file with the hook's flags p50",
      value: emptyHookFlags!.p50,
      unit: "ms",
      baseline,
    },
  );
}
