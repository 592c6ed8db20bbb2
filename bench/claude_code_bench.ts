// What a hooked event costs a real Claude Code turn. The real CLI (npm, pinned, cached) runs
// `claude -p "say hi"` against a loopback stand-in for the Anthropic API, over and over, in
// four set-ups that alternate run by run so that the machine's noise falls on all alike:
//
//   none         no hooks
//   true         the hooked events run `true` (what any hook at all costs)
//   deno-empty   the hooked events run `deno run` of an empty file (the Deno floor)
//   claude-ntfy  the hooked events run the command `init --install-hooks` wrote, with the
//                daemon running and delivering to a loopback ntfy server
//
// Headless, "say hi" fires SessionStart, UserPromptSubmit, Stop and SessionEnd: all four
// are hooked in every set-up but `none`. The figure that matters is the cost per hooked
// event, set beside the floor's: issue 11's target is claude-ntfy ≤ deno-empty + 3 ms.
//
//   deno run -A bench/claude_code_bench.ts [--runs N]     (default 9 per set-up)
//
// Writes bench/results/claude_code.json. Needs npm and the registry on its first run.

import { startAnthropicApiServer } from "../tests/support/anthropic_api_server.ts";
import { claudeEnv, installClaudeCode, runClaude } from "../tests/support/claude_code.ts";
import { createTestHome } from "../tests/support/cli_process.ts";
import { startNtfyServer } from "../tests/support/ntfy_server.ts";

const EVENTS = ["SessionStart", "UserPromptSubmit", "Stop", "SessionEnd"] as const;
type Setup = "none" | "true" | "deno-empty" | "claude-ntfy";
const SETUPS: readonly Setup[] = ["none", "true", "deno-empty", "claude-ntfy"];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function settingsFor(command: string | undefined): string {
  if (command === undefined) return "{}\n";
  const hooks = Object.fromEntries(EVENTS.map((event) => [event, [{
    matcher: "",
    hooks: [{ type: "command", command, timeout: 10 }],
  }]]));
  return JSON.stringify({ hooks }, null, 2) + "\n";
}

const runsFlag = Deno.args.indexOf("--runs");
const runs = runsFlag >= 0 ? Number(Deno.args[runsFlag + 1]) : 9;

const claude = await installClaudeCode();
await using ntfy = await startNtfyServer();
const api = startAnthropicApiServer();
await using home = await createTestHome("cn-ccbench-");
const project = `${home.home}/webapp`;
await Deno.mkdir(project);
const inProject = { env: { CLAUDE_PROJECT_DIR: project } };
const init = await home.run(
  ["init", "--install-hooks", "--project", project, "--server", ntfy.url],
  inProject,
);
if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
const settingsPath = `${project}/.claude/settings.json`;
const installed = JSON.parse(await Deno.readTextFile(settingsPath));
const command: string = installed.hooks.Stop[0].hooks[0].command;
const empty = `${home.home}/empty.js`;
await Deno.writeTextFile(empty, "");
const commands: Record<Setup, string | undefined> = {
  "none": undefined,
  "true": "true",
  "deno-empty": `${Deno.execPath()} run -A --quiet --no-prompt --no-config ${empty}`,
  "claude-ntfy": command,
};
// The daemon runs before the first measured turn, as it does for a user after the first event.
const started = await home.run(["daemon", "start", "--detach", "--project", project], inProject);
if (started.code !== 0) throw new Error(`daemon start failed: ${started.stderr}`);

const env = claudeEnv({
  home: home.home,
  apiUrl: api.url,
  tmpDir: home.home,
  extra: { DENO_DIR: home.env.DENO_DIR! },
});
const times: Record<Setup, number[]> = {
  "none": [],
  "true": [],
  "deno-empty": [],
  "claude-ntfy": [],
};
// One unmeasured round warms every cache (the CLI's, Deno's, the page cache).
for (let round = -1; round < runs; round++) {
  for (const setup of SETUPS) {
    await Deno.writeTextFile(settingsPath, settingsFor(commands[setup]));
    const run = await runClaude(claude.path, ["-p", "say hi"], { cwd: project, env });
    if (run.code !== 0) throw new Error(`claude failed (${setup}): ${run.stderr}`);
    if (round >= 0) times[setup].push(run.ms);
  }
}
const delivered = ntfy.messages.length;
await home.run(["daemon", "stop", "--project", project], inProject);
await api.close();

const turn = Object.fromEntries(SETUPS.map((setup) => [setup, median(times[setup])])) as Record<
  Setup,
  number
>;
const perEvent = (setup: Setup) => (turn[setup] - turn.none) / EVENTS.length;
const floor = perEvent("deno-empty");
const ours = perEvent("claude-ntfy");
const rows = SETUPS.map((setup) =>
  `${setup.padEnd(12)} turn p50 ${turn[setup].toFixed(0).padStart(5)} ms` +
  (setup === "none" ? "" : `   per hooked event +${perEvent(setup).toFixed(1)} ms`)
);
console.log(
  `Claude Code ${claude.version}, claude -p "say hi", ${runs} runs per set-up, ` +
    `${EVENTS.length} hooked events per turn\n${rows.join("\n")}\n` +
    `claude-ntfy per event: +${ours.toFixed(1)} ms against the Deno floor's ` +
    `+${floor.toFixed(1)} ms (target ≤ floor + 3 ms: ${ours <= floor + 3 ? "met" : "missed"}); ` +
    `${delivered} notifications delivered`,
);
await Deno.writeTextFile(
  new URL("./results/claude_code.json", import.meta.url),
  JSON.stringify(
    {
      claudeCode: claude.version,
      runs,
      events: EVENTS,
      turnMedianMs: turn,
      perEventMs: Object.fromEntries(SETUPS.slice(1).map((setup) => [setup, perEvent(setup)])),
      targetMet: ours <= floor + 3,
      measuredAt: new Date().toISOString(),
    },
    null,
    2,
  ) + "\n",
);
