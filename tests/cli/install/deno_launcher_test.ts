// The hook's Deno launcher run by a real sh, with stand-ins for deno that print their
// arguments and a stand-in for npm that "installs" one. Every run gets a clean
// environment, so the machine's own Deno is never found unless a test puts it there.
import assert from "node:assert/strict";
import {
  isLauncherScript,
  launcherPaths,
  launcherScript,
  RUNTIME_DENO_VERSION,
  useDenoLauncher,
  writeLauncher,
} from "../../../cli/install/deno_launcher.ts";
import { hookCommandLine } from "../../../cli/install/hook_command_line.ts";
import { shellQuote } from "../../../cli/install/shell_words.ts";
import {} from "../../support/cli_process.ts";
import { waitFor } from "../../support/wait_for.ts";

/** Awkward arguments that must reach Deno exactly as given. */
const ARGS = ["run", "-A", "/opt/My Tools/it's/dist/claude-ntfy.js", "hook", "", "$HOME *"];

interface Sandbox {
  /** A home folder whose path has a space and a quote in it. */
  readonly home: string;
  /** A folder for stand-in programs. */
  readonly bin: string;
  /** Writes an executable stand-in for deno that prints `tag`, then one argument a line. */
  fakeDeno(path: string, tag: string): Promise<void>;
  /** Runs the launcher with exactly this environment. */
  run(env: Record<string, string>, args?: string[]): Promise<Run>;
}

interface Run {
  readonly code: number;
  readonly stdout: string[];
  readonly stderr: string;
  readonly ms: number;
}

async function withSandbox(
  options: { preferredDeno?: (sandbox: { home: string; bin: string }) => string },
  fn: (sandbox: Sandbox) => Promise<void>,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "claude-ntfy-launcher-" });
  const home = `${root}/home of o'brien`;
  const bin = `${root}/bin`;
  await Deno.mkdir(home);
  await Deno.mkdir(bin);
  const script = writeLauncher({
    homeDir: home,
    ...(options.preferredDeno ? { preferredDeno: options.preferredDeno({ home, bin }) } : {}),
  }).path;
  const fakeDeno = async (path: string, tag: string) => {
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(
      path,
      `#!/bin/sh\nprintf '%s\\n' ${
        shellQuote(tag)
      }\nfor arg in "$@"; do printf '%s\\n' "$arg"; done\n`,
    );
    await Deno.chmod(path, 0o755);
  };
  const run = async (env: Record<string, string>, args = ARGS): Promise<Run> => {
    const started = performance.now();
    const output = await new Deno.Command(script, {
      args,
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(output.stdout);
    return {
      code: output.code,
      stdout: text === "" ? [] : text.replace(/\n$/, "").split("\n"),
      stderr: new TextDecoder().decode(output.stderr),
      ms: performance.now() - started,
    };
  };
  try {
    await fn({ home, bin, fakeDeno, run });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("the launcher runs a Deno from each supported place, passing every argument on intact", async () => {
  await withSandbox({ preferredDeno: ({ bin }) => `${bin}/preferred/deno` }, async (box) => {
    const runtime = launcherPaths(box.home).runtimeDir;
    const places: Array<[string, string, Record<string, string>]> = [
      ["CLAUDE_NTFY_DENO", `${box.bin}/override/my-deno`, {
        CLAUDE_NTFY_DENO: `${box.bin}/override/my-deno`,
      }],
      ["the Deno that ran init", `${box.bin}/preferred/deno`, {}],
      ["PATH", `${box.bin}/on path/deno`, { PATH: `relative:${box.bin}/on path:/usr/bin:/bin` }],
      ["DENO_INSTALL", `${box.bin}/deno install/bin/deno`, {
        DENO_INSTALL: `${box.bin}/deno install`,
      }],
      ["~/.deno/bin", `${box.home}/.deno/bin/deno`, {}],
      ["runtime/ (after npm's postinstall)", `${runtime}/node_modules/deno/deno`, {}],
      ["runtime/ (platform package)", `${runtime}/node_modules/@deno/linux-x64-glibc/deno`, {}],
    ];
    // From the last place to the first: each new one wins over all those made before.
    for (const [place, path, env] of places.toReversed()) {
      await box.fakeDeno(path, place);
      const result = await box.run({ PATH: "/usr/bin:/bin", ...env });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, "");
      assert.deepEqual(result.stdout, [place, ...ARGS], place);
      const which = await box.run({ PATH: "/usr/bin:/bin", ...env }, ["--claude-ntfy-which"]);
      assert.deepEqual(which.stdout, [path], place);
    }
  });
});

Deno.test("the launcher passes over a Deno that is gone (a cleaned npx cache) to the next one", async () => {
  await withSandbox({
    preferredDeno: ({ home }) => `${home}/.npm/_npx/9f2c1e/node_modules/.bin/deno`,
  }, async (box) => {
    const cached = `${box.home}/.npm/_npx/9f2c1e/node_modules/deno/deno`;
    await box.fakeDeno(cached, "npx cache");
    await Deno.mkdir(`${box.home}/.npm/_npx/9f2c1e/node_modules/.bin`);
    await Deno.symlink("../deno/deno", `${box.home}/.npm/_npx/9f2c1e/node_modules/.bin/deno`);
    await box.fakeDeno(`${box.home}/.deno/bin/deno`, "lasting");
    assert.deepEqual((await box.run({ PATH: "/usr/bin:/bin" })).stdout, ["npx cache", ...ARGS]);

    await Deno.remove(`${box.home}/.npm`, { recursive: true }); // npm cache clean --force
    const after = await box.run({ PATH: "/usr/bin:/bin" });
    assert.equal(after.code, 0, after.stderr);
    assert.deepEqual(after.stdout, ["lasting", ...ARGS]);
  });
});

Deno.test("the launcher with no Deno installs one with npm in the background, once, and exits 0 at once", async () => {
  await withSandbox({}, async (box) => {
    const paths = launcherPaths(box.home);
    const record = `${box.bin}/npm-calls`;
    // A slow npm: the launcher must not wait for it, nor leave it holding its stdout.
    await Deno.writeTextFile(
      `${box.bin}/npm`,
      `#!/bin/sh
printf '%s\\n' "$@" >> '${record}'
sleep 2
while [ $# -gt 0 ]; do [ "$1" = --prefix ] && prefix=$2; shift; done
mkdir -p "$prefix/node_modules/deno"
printf '#!/bin/sh\\nprintf "%%s\\\\n" installed "$@"\\n' > "$prefix/node_modules/deno/deno"
chmod 755 "$prefix/node_modules/deno/deno"
echo "added 2 packages"
`,
    );
    await Deno.chmod(`${box.bin}/npm`, 0o755);
    const env = { PATH: `${box.bin}:/usr/bin:/bin` };

    const first = await box.run(env);
    assert.equal(first.code, 0);
    assert.deepEqual(first.stdout, [], "nothing on stdout: Claude Code would read it");
    assert.ok(first.ms < 1_500, `returned after ${first.ms.toFixed(0)} ms`);
    assert.match(
      first.stderr,
      new RegExp(`installing Deno ${RUNTIME_DENO_VERSION} into .* in the background`),
    );
    assert.match(first.stderr, /this notification is skipped; "claude-ntfy doctor"/);

    const second = await box.run(env);
    assert.equal(second.code, 0);
    assert.match(second.stderr, /is being installed into/);
    assert.deepEqual((await box.run(env, ["--claude-ntfy-which"])).code, 1);
    // What npm has written so far is not run before the install is over.
    await box.fakeDeno(`${paths.runtimeDir}/node_modules/@deno/linux-x64-glibc/deno`, "partial");
    assert.deepEqual((await box.run(env, ["--claude-ntfy-which"])).code, 1);

    await waitFor(() => !exists(paths.installLock), {
      timeoutMs: 10_000,
      what: "the install to finish",
    });
    assert.deepEqual(Deno.readTextFileSync(record).trim().split("\n"), [
      "install",
      "--prefix",
      paths.runtimeDir,
      "--no-audit",
      "--no-fund",
      `deno@${RUNTIME_DENO_VERSION}`,
    ], "npm ran once");
    assert.match(Deno.readTextFileSync(paths.installLog), /added 2 packages/);
    assert.deepEqual((await box.run(env)).stdout, ["installed", ...ARGS]);
  });
});

Deno.test("the launcher takes over an install lock left for over 10 minutes by an install that died", async () => {
  await withSandbox({}, async (box) => {
    const paths = launcherPaths(box.home);
    await Deno.writeTextFile(`${box.bin}/npm`, `#!/bin/sh\necho "npm $*"\n`);
    await Deno.chmod(`${box.bin}/npm`, 0o755);
    await Deno.mkdir(paths.installLock);
    const env = { PATH: `${box.bin}:/usr/bin:/bin` };
    assert.match((await box.run(env)).stderr, /is being installed into/);

    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);
    await Deno.utime(paths.installLock, elevenMinutesAgo, elevenMinutesAgo);
    assert.match((await box.run(env)).stderr, /installing Deno .* in the background/);
    await waitFor(() => !exists(paths.installLock), {
      timeoutMs: 10_000,
      what: "the install to finish",
    });
    assert.match(Deno.readTextFileSync(paths.installLog), /^npm install --prefix /);
  });
});

Deno.test("the launcher with neither Deno nor npm says what to install and exits 0", async () => {
  await withSandbox({}, async (box) => {
    const result = await box.run({ PATH: box.bin });
    assert.equal(result.code, 0);
    assert.deepEqual(result.stdout, []);
    assert.match(result.stderr, /no Deno to run the hook and no npm to install one: install Deno/);
    assert.match(result.stderr, /"claude-ntfy doctor"/);
  });
});

Deno.test("the registered command runs through sh, the launcher and a real Deno", async () => {
  await withSandbox({}, async (box) => {
    const entry = `${box.bin}/it's an entry.ts`;
    await Deno.writeTextFile(entry, "console.log(JSON.stringify(Deno.args));\n");
    const { launcher } = useDenoLauncher(
      { kind: "source", deno: Deno.execPath(), entry },
      { homeDir: box.home },
    );
    const command = hookCommandLine(launcher);
    const output = await new Deno.Command("/bin/sh", {
      args: ["-c", command],
      env: { PATH: "/usr/bin:/bin", DENO_DIR: Deno.env.get("DENO_DIR") ?? `${box.home}/deno` },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    assert.equal(new TextDecoder().decode(output.stdout), '["hook"]\n');
  });
});

Deno.test("writeLauncher() writes a 0700 script in 0700 folders, and only when it changes", async () => {
  const home = await Deno.makeTempDir({ prefix: "claude-ntfy-launcher-" });
  try {
    const paths = launcherPaths(home);
    await Deno.mkdir(paths.folder, { recursive: true, mode: 0o755 });
    await Deno.chmod(paths.folder, 0o755);
    const first = writeLauncher({ homeDir: home, preferredDeno: "/usr/bin/deno" });
    assert.deepEqual(first, { path: paths.script, written: true });
    assert.equal(Deno.statSync(paths.script).mode! & 0o777, 0o700);
    assert.equal(Deno.statSync(`${paths.folder}/bin`).mode! & 0o777, 0o700);
    assert.equal(Deno.statSync(paths.folder).mode! & 0o777, 0o700);
    assert.ok(isLauncherScript(paths.script));
    assert.ok(!isLauncherScript("/bin/sh"));

    assert.equal(writeLauncher({ homeDir: home, preferredDeno: "/usr/bin/deno" }).written, false);
    assert.equal(writeLauncher({ homeDir: home, preferredDeno: "/opt/deno" }).written, true);
    assert.equal(
      Deno.readTextFileSync(paths.script),
      launcherScript({ homeDir: home, preferredDeno: "/opt/deno" }),
    );
    Deno.chmodSync(paths.script, 0o755);
    assert.equal(writeLauncher({ homeDir: home, preferredDeno: "/opt/deno" }).written, true);
    assert.equal(Deno.statSync(paths.script).mode! & 0o777, 0o700);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("useDenoLauncher() leaves a compiled executable as it is", async () => {
  const home = await Deno.makeTempDir({ prefix: "claude-ntfy-launcher-" });
  try {
    const compiled = { kind: "compiled", executable: "/usr/local/bin/claude-ntfy" } as const;
    assert.deepEqual(useDenoLauncher(compiled, { homeDir: home }), { launcher: compiled });
    assert.ok(!exists(launcherPaths(home).script));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
