import assert from "node:assert/strict";
import {
  findHookLauncher,
  installRoot,
  isCompiledExecutable,
} from "../../../cli/install/hook_launcher.ts";

const ROOT = "/opt/claude ntfy";

function probe(files: string[], extra: { execPath?: string; pathEnv?: string } = {}) {
  const existing = new Set(files);
  return {
    root: ROOT,
    execPath: extra.execPath ?? "/usr/bin/deno",
    pathEnv: extra.pathEnv ?? "/usr/bin:/bin",
    isFile: (path: string) => existing.has(path),
    realPath: (path: string) => path,
  };
}

Deno.test("findHookLauncher() prefers the bundle run by this Deno", () => {
  const found = findHookLauncher(
    probe([
      `${ROOT}/dist/hook/claude-ntfy-hook.js`,
      `${ROOT}/dist/claude-ntfy`,
      `${ROOT}/cli/main.ts`,
    ]),
  );
  assert.deepEqual(found, {
    launcher: {
      kind: "bundle",
      deno: "/usr/bin/deno",
      bundle: `${ROOT}/dist/hook/claude-ntfy-hook.js`,
    },
  });
});

Deno.test("findHookLauncher() without a bundle takes a compiled claude-ntfy next to it, then on PATH", () => {
  assert.deepEqual(
    findHookLauncher(
      probe([`${ROOT}/dist/claude-ntfy`, "/usr/bin/claude-ntfy", `${ROOT}/cli/main.ts`]),
    )
      .launcher,
    { kind: "compiled", executable: `${ROOT}/dist/claude-ntfy` },
  );
  assert.deepEqual(
    findHookLauncher(probe(["/bin/claude-ntfy", `${ROOT}/cli/main.ts`])).launcher,
    { kind: "compiled", executable: "/bin/claude-ntfy" },
  );
});

Deno.test("findHookLauncher() falls back to the source with a warning that says how to speed it up", () => {
  const found = findHookLauncher(probe([`${ROOT}/cli/main.ts`]));
  assert.deepEqual(found.launcher, {
    kind: "source",
    deno: "/usr/bin/deno",
    entry: `${ROOT}/cli/main.ts`,
  });
  assert.match(found.warning!, /slower/);
  assert.match(found.warning!, /deno task build/);
});

Deno.test("findHookLauncher() in a compiled executable registers that executable", () => {
  const found = findHookLauncher({
    ...probe([`${ROOT}/dist/hook/claude-ntfy-hook.js`]),
    execPath: "/home/me/.local/bin/claude-ntfy",
  });
  assert.deepEqual(found.launcher, {
    kind: "compiled",
    executable: "/home/me/.local/bin/claude-ntfy",
  });
});

Deno.test("findHookLauncher() names Deno by its PATH link, which survives upgrades", () => {
  const cellar = "/opt/homebrew/Cellar/deno/2.1.0/bin/deno";
  const found = findHookLauncher({
    ...probe([`${ROOT}/dist/hook/claude-ntfy-hook.js`, "/opt/homebrew/bin/deno", "/usr/bin/deno"]),
    execPath: cellar,
    pathEnv: "/usr/bin:/opt/homebrew/bin",
    realPath: (path) => path === "/opt/homebrew/bin/deno" ? cellar : path,
  });
  assert.deepEqual(found.launcher, {
    kind: "bundle",
    deno: "/opt/homebrew/bin/deno",
    bundle: `${ROOT}/dist/hook/claude-ntfy-hook.js`,
  });
});

Deno.test("findHookLauncher() throws when there is nothing to run", () => {
  assert.throws(() => findHookLauncher(probe([])), /Cannot find a way to run claude-ntfy/);
});

Deno.test("installRoot() finds the root from the source tree and from the bundle", () => {
  assert.equal(
    installRoot("file:///opt/claude%20ntfy/cli/install/hook_launcher.ts"),
    "/opt/claude ntfy",
  );
  assert.equal(installRoot("file:///opt/cn/dist/claude-ntfy.js"), "/opt/cn");
  assert.equal(installRoot("https://example.com/cli/install/hook_launcher.ts"), undefined);
  assert.equal(installRoot("file:///tmp/elsewhere.ts"), undefined);
  // This test runs from the source tree, so the real root holds cli/main.ts.
  assert.ok(Deno.statSync(`${installRoot()}/cli/main.ts`).isFile);
});

Deno.test("isCompiledExecutable() tells deno from a compiled program", () => {
  assert.equal(isCompiledExecutable("/usr/local/bin/deno"), false);
  assert.equal(isCompiledExecutable("/opt/cn/dist/claude-ntfy"), true);
  assert.equal(isCompiledExecutable(Deno.execPath()), false);
});
