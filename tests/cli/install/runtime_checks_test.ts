import assert from "node:assert/strict";
import {
  denoProgram,
  hookRuntimeChecks,
  transientPlace,
} from "../../../cli/install/runtime_checks.ts";
import { hookCommandLine } from "../../../cli/install/hook_command_line.ts";
import { writeLauncher } from "../../../cli/install/deno_launcher.ts";

Deno.test("transientPlace() knows npm's caches, cache folders and temporary folders", () => {
  const cases: Array<[string, string | undefined]> = [
    ["/home/ada/.npm/_npx/7a40be787520bede/node_modules/deno/deno", "npm's npx cache"],
    ["/Users/ada/.npm/_cacache/tmp/deno", "npm's cache"],
    ["/home/ada/.cache/deno/dl/deno", "a cache folder"],
    ["/Users/ada/Library/Caches/deno/deno", "a cache folder"],
    ["/tmp/deno-x/deno", "a temporary folder"],
    ["/var/tmp/deno", "a temporary folder"],
    ["/private/var/folders/xy/T/deno", "a temporary folder"],
    ["/usr/local/bin/deno", undefined],
    ["/home/ada/.deno/bin/deno", undefined],
    ["/opt/homebrew/bin/deno", undefined],
  ];
  for (const [path, place] of cases) assert.equal(transientPlace(path), place, path);
});

Deno.test("denoProgram() is the absolute program of a command that runs Deno, else undefined", () => {
  const bundle = "/opt/cn/dist/claude-ntfy.js";
  assert.equal(
    denoProgram(hookCommandLine({ kind: "bundle", deno: "/a b/deno", bundle })),
    "/a b/deno",
  );
  assert.equal(
    denoProgram(hookCommandLine({ kind: "source", deno: "/d/deno", entry: "/r/cli/main.ts" })),
    "/d/deno",
  );
  assert.equal(denoProgram(`deno run -A ${bundle} hook`), undefined, "looked up on PATH");
  assert.equal(denoProgram("/usr/local/bin/claude-ntfy hook"), undefined, "compiled");
  assert.equal(denoProgram("say done"), undefined, "not ours");
});

Deno.test("hookRuntimeChecks() warns about a Deno on a lasting path that links into npm's npx cache", () => {
  // /usr/local/bin/deno -> ~/.npm/_npx/…/deno is how "npx deno" is often made permanent;
  // /bin/sh stands in for the link, which must exist.
  const deno = "/bin/sh";
  const cached = "/root/.npm/_npx/7a40be787520bede/node_modules/deno/deno";
  const command = hookCommandLine({ kind: "bundle", deno, bundle: "/opt/cn/claude-ntfy.js" });
  const checks = hookRuntimeChecks([command, command], { realPath: () => cached });
  assert.equal(checks.length, 1, "one check per program");
  assert.equal(checks[0]!.status, "warn");
  assert.equal(
    checks[0]!.title,
    `Hooks run a Deno that can vanish: ${deno} leads to ${cached}, in npm's npx cache`,
  );
  const lasting = hookRuntimeChecks([command], { realPath: (path) => path });
  assert.deepEqual(lasting, [], "a Deno in a lasting place needs no check");
});

Deno.test("hookRuntimeChecks() asks the launcher which Deno it runs, and fails when it has none", async () => {
  const home = await Deno.makeTempDir({ prefix: "claude-ntfy-runtime-" });
  try {
    const { path } = writeLauncher({ homeDir: home });
    const command = hookCommandLine({ kind: "bundle", deno: path, bundle: "/cn/claude-ntfy.js" });
    const found = hookRuntimeChecks([command], { whichDeno: () => "/usr/bin/deno" });
    assert.deepEqual(found.map((entry) => [entry.status, entry.title]), [
      ["ok", `Hooks start Deno through ${path}: it runs /usr/bin/deno`],
    ]);
    await Deno.mkdir(`${home}/.claude/ntfy-service/runtime-install.lock`);
    await Deno.writeTextFile(
      `${home}/.claude/ntfy-service/runtime-install.log`,
      "npm error code ENOTFOUND\nnpm error network request failed\n",
    );
    const [none] = hookRuntimeChecks([command], { whichDeno: () => undefined });
    assert.equal(none!.status, "fail");
    assert.match(none!.title, /^No Deno for the hooks yet: Deno is being installed into /);
    assert.deepEqual(none!.details!.slice(-2), [
      "npm error code ENOTFOUND",
      "npm error network request failed",
    ]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
