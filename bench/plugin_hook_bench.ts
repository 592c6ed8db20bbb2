/**
 * What running the hook from source costs, as the Claude Code plugin does (no build step
 * after install): the plugin's command `bin/claude-ntfy hook` (a POSIX sh launcher, then
 * `deno run … cli/main.ts`), the same `deno run` without the launcher, and the bundle
 * (`dist/claude-ntfy.js`, what `init --install-hooks` registers), beside `deno run` of an
 * empty file, in the same run. Each run hands the Stop fixture to a running daemon, which
 * delivers it to a loopback ntfy server. Variants alternate, so drift hits all alike.
 *
 * Run: deno task build && deno run -A bench/plugin_hook_bench.ts [--runs N]
 *
 * @module
 */

import { inSession, runHookProcess } from "./_hook_process.ts";
import { Arrivals } from "./_arrivals.ts";
import { BenchHome, HOOK_BUNDLE, HOOK_RUN_FLAGS, REPO_ROOT } from "./_bench_home.ts";
import { cleanupAll, cleanupOnSignals } from "./_cleanup.ts";
import { fixturePath } from "./_phase_end_to_end.ts";
import { summarize, type Summary } from "./_stats.ts";
import { errorMessage } from "../protocol/error_message.ts";

interface Variant {
  readonly key: string;
  readonly label: string;
  readonly program: string;
  readonly args: string[];
  readonly arrives: boolean;
  readonly wall: number[];
  failures: string[];
}

function argValue(name: string, fallback: number): number {
  const index = Deno.args.indexOf(name);
  const value = index === -1 ? NaN : Number(Deno.args[index + 1]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

async function runOnce(
  variant: Variant,
  home: BenchHome,
  arrivals: Arrivals,
  stdin: Uint8Array,
): Promise<number> {
  const expected = arrivals.count + 1;
  const { wall, failure } = await runHookProcess(variant.program, variant.args, home, stdin);
  if (failure !== undefined) variant.failures.push(failure);
  if (variant.arrives) {
    // Not timed: only makes sure every hook run really delivered.
    await arrivals.until(expected, 10_000).catch((error) => {
      variant.failures.push(errorMessage(error));
    });
  }
  return wall;
}

if (import.meta.main) {
  cleanupOnSignals();
  const runs = argValue("--runs", 30);
  const warmup = 3;
  try {
    Deno.statSync(HOOK_BUNDLE);
  } catch {
    console.error(`bench: ${HOOK_BUNDLE} is missing: run "deno task build" first`);
    Deno.exit(1);
  }
  try {
    const arrivals = await Arrivals.start();
    const home = await BenchHome.create(arrivals.url);
    // A user's module cache persists between hooks; a fresh HOME would start an empty one.
    home.env.DENO_DIR ??= `${Deno.env.get("HOME")}/.cache/deno`;
    home.env.CLAUDE_NTFY_DENO = Deno.execPath();
    await home.startDaemon();
    const empty = `${home.home}/empty.js`;
    await Deno.writeTextFile(empty, "");
    const stdin = Deno.readFileSync(fixturePath("stop.json"));
    const deno = Deno.execPath();
    const variant = (
      key: string,
      label: string,
      program: string,
      args: string[],
      arrives = true,
    ): Variant => ({ key, label, program, args, arrives, wall: [], failures: [] });
    const variants = [
      variant("empty", "deno run of an empty file", deno, [...HOOK_RUN_FLAGS, empty], false),
      variant("bundle", "bundle: deno run dist/hook/claude-ntfy-hook.js hook", deno, [
        ...HOOK_RUN_FLAGS,
        HOOK_BUNDLE,
        "hook",
      ]),
      variant(
        "source",
        "plugin: bin/claude-ntfy hook (sh + source)",
        `${REPO_ROOT}/bin/claude-ntfy`,
        [
          "hook",
        ],
      ),
      variant("sourceDirect", "source: deno run cli/hook_main.ts hook (no sh)", deno, [
        // As bin/claude-ntfy runs it: with the checkout's config, for the source's imports.
        ...HOOK_RUN_FLAGS.filter((flag) => flag !== "--no-config"),
        "--config",
        `${REPO_ROOT}/deno.json`,
        `${REPO_ROOT}/cli/hook_main.ts`,
        "hook",
      ]),
    ];
    for (let round = -warmup; round < runs; round++) {
      for (const each of variants) {
        const wall = await runOnce(
          each,
          home,
          arrivals,
          inSession(stdin, `bench-${each.key}-${round}`),
        );
        if (round >= 0) each.wall.push(wall);
      }
    }
    const summaries: Record<string, Summary> = {};
    const base = summarize(variants[0]!.wall).p50;
    console.log(
      `Hook wall time, spawn → exit, daemon running (${runs} alternating runs each, ${warmup} warm-up)`,
    );
    console.log(`${"variant".padEnd(46)} ${"p50".padStart(9)} ${"p90".padStart(9)}   vs empty`);
    for (const each of variants) {
      const summary = summarize(each.wall);
      summaries[each.key] = summary;
      console.log(
        `${each.label.padEnd(46)} ${(summary.p50.toFixed(1) + " ms").padStart(9)} ${
          (summary.p90.toFixed(1) + " ms").padStart(9)
        }   ×${(summary.p50 / base).toFixed(2)}`,
      );
      if (each.failures.length > 0) {
        console.error(
          `bench: ${each.label}: ${each.failures.length} failed, first: ${each.failures[0]}`,
        );
      }
    }
    await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
    await Deno.writeTextFile(
      new URL("./results/plugin_hook.json", import.meta.url),
      JSON.stringify(
        {
          runs,
          warmup,
          unit: "ms",
          fixture: "stop.json",
          variants: Object.fromEntries(variants.map((each) => [each.key, {
            label: each.label,
            failures: each.failures.length,
            wall: summaries[each.key],
          }])),
        },
        null,
        2,
      ) + "\n",
    );
    if (variants.some((each) => each.failures.length > 0)) Deno.exitCode = 1;
  } finally {
    await cleanupAll();
  }
}
