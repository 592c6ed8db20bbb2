/**
 * What the hook's Deno launcher (`~/.claude/ntfy-service/bin/claude-ntfy-deno`) adds to
 * every hook: the same Deno command started directly and through the launcher, in
 * interleaved rounds so that load on the machine hits all of them alike. Also measured
 * with `/bin/true` standing in for Deno, which leaves only the launcher's own cost, and
 * with the launcher's worst ordinary case (the Deno that ran init is gone and every entry
 * of an eight-folder `PATH` is searched before `~/.deno/bin/deno`).
 *
 * Run: deno run -A bench/launcher_bench.ts [--quick]
 * Writes bench/results/launcher.json.
 *
 * @module
 */

import { writeLauncher } from "../cli/install/deno_launcher.ts";
import { summarize, type Summary } from "./_stats.ts";

const quick = Deno.args.includes("--quick");
const ROUNDS = quick ? 30 : 200;
const DENO = Deno.execPath();
// A PATH of the usual length on which no deno is found, so that "found last" searches it all.
const PATH = "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games:/snap/bin:/opt/none/bin";

async function launcherFor(root: string, name: string, preferred: string, fallback?: string) {
  const home = `${root}/${name}`;
  if (fallback !== undefined) {
    await Deno.mkdir(`${home}/.deno/bin`, { recursive: true });
    await Deno.symlink(fallback, `${home}/.deno/bin/deno`);
  }
  return writeLauncher({ homeDir: home, preferredDeno: preferred }).path;
}

async function timeOnce(program: string, args: string[], env: Record<string, string>) {
  const started = performance.now();
  const output = await new Deno.Command(program, {
    args,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).output();
  const ms = performance.now() - started;
  if (!output.success) throw new Error(`${program} ${args.join(" ")} failed (${output.code})`);
  return ms;
}

const root = await Deno.makeTempDir({ prefix: "cn-launcher-bench-" });
try {
  const script = `${root}/empty.js`;
  await Deno.writeTextFile(script, "\n");
  const args = ["run", "-A", "--quiet", "--no-prompt", script];
  const env = {
    PATH,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
  };
  const gone = `${root}/gone/.npm/_npx/0a1b/node_modules/deno/deno`;
  const cases: Array<{ name: string; program: string; baseline?: string }> = [
    { name: "deno directly", program: DENO },
    {
      name: "deno through the launcher",
      program: await launcherFor(root, "first", DENO),
      baseline: "deno directly",
    },
    {
      name: "deno through the launcher, found last (~/.deno/bin)",
      program: await launcherFor(root, "last", gone, DENO),
      baseline: "deno directly",
    },
    { name: "/bin/true directly", program: "/bin/true" },
    {
      name: "/bin/true through the launcher",
      program: await launcherFor(root, "true-first", "/bin/true"),
      baseline: "/bin/true directly",
    },
    {
      name: "/bin/true through the launcher, found last",
      program: await launcherFor(root, "true-last", gone, "/bin/true"),
      baseline: "/bin/true directly",
    },
  ];
  const samples = new Map(cases.map((entry) => [entry.name, [] as number[]]));
  for (const entry of cases) await timeOnce(entry.program, args, env); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const entry of cases) {
      samples.get(entry.name)!.push(await timeOnce(entry.program, args, env));
    }
  }
  const results: Record<string, Summary & { overheadP50Ms?: number }> = {};
  const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
  console.log(`${ROUNDS} interleaved rounds, ${Deno.build.os}, Deno ${Deno.version.deno}\n`);
  for (const entry of cases) {
    const summary = summarize(samples.get(entry.name)!);
    const base = entry.baseline === undefined ? undefined : summarize(samples.get(entry.baseline)!);
    const overhead = base === undefined ? undefined : summary.p50 - base.p50;
    results[entry.name] = {
      ...summary,
      ...(overhead === undefined ? {} : { overheadP50Ms: overhead }),
    };
    console.log(
      `${entry.name.padEnd(52)} p50 ${fmt(summary.p50).padStart(9)}  p90 ${
        fmt(summary.p90).padStart(9)
      }${
        overhead === undefined
          ? ""
          : `  ${overhead >= 0 ? "+" : ""}${fmt(overhead)} at p50 vs ${entry.baseline}`
      }`,
    );
  }
  const out = new URL("./results/launcher.json", import.meta.url);
  await Deno.writeTextFile(
    out,
    `${
      JSON.stringify(
        { date: new Date().toISOString(), deno: Deno.version.deno, rounds: ROUNDS, results },
        null,
        2,
      )
    }\n`,
  );
  console.log(`\nwrote ${out.pathname}`);
} finally {
  await Deno.remove(root, { recursive: true });
}
