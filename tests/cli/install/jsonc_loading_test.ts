// jsonc-parser costs start-up time: only the commands that edit or read settings.json may
// load it, and the command table loads those on demand.
import { deepStrictEqual } from "node:assert/strict";

const root = new URL("../../../", import.meta.url);

interface Graph {
  modules: Array<{
    specifier: string;
    dependencies?: Array<{ code?: { specifier: string }; isDynamic?: boolean }>;
  }>;
  roots: string[];
  redirects: Record<string, string>;
}

/** Whether loading `entry` (its static imports, not its dynamic ones) loads jsonc-parser. */
async function loadsJsonc(entry: string): Promise<boolean> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: root,
    stdout: "piped",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as Graph;
  const bySpecifier = new Map(graph.modules.map((module) => [module.specifier, module]));
  const seen = new Set<string>();
  const pending = [...graph.roots];
  while (pending.length > 0) {
    const specifier = pending.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dependency of bySpecifier.get(specifier)?.dependencies ?? []) {
      const target = dependency.code?.specifier;
      if (target === undefined || dependency.isDynamic) continue;
      pending.push(graph.redirects[target] ?? target);
    }
  }
  return [...seen].some((specifier) => specifier.includes("jsonc-parser"));
}

Deno.test("jsonc-parser is loaded by the commands that read settings.json, never by the hook", async () => {
  const commands = [
    "hook",
    "daemon",
    "queue",
    "init",
    "uninstall_hooks",
    "test",
    "doctor",
    "config",
    "templates",
  ];
  const loading: string[] = [];
  for (const command of commands) {
    if (await loadsJsonc(`cli/commands/${command}.ts`)) loading.push(command);
  }
  // daemon and test start a daemon, whose network permission includes the server the
  // Claude Code plugin's saved options name (read from settings.json).
  deepStrictEqual(loading, ["daemon", "init", "uninstall_hooks", "test", "doctor"]);
  deepStrictEqual(await loadsJsonc("cli/main.ts"), false);
});
