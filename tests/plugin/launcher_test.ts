// bin/claude-ntfy, the plugin's launcher, as Claude Code runs it: a POSIX sh script that
// finds Deno and runs cli/main.ts from source, maps the plugin's options onto claude-ntfy's
// variables, and without Deno says so, installs it in the background with npm and exits 0.
import assert from "node:assert/strict";
import { REPO_ROOT } from "../support/cli_process.ts";
import { waitFor } from "../support/wait_for.ts";
import { copyCheckout } from "../support/copy_checkout.ts";

const LAUNCHER = `${REPO_ROOT}/bin/claude-ntfy`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(
  program: string,
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<Run> {
  const child = new Deno.Command(program, {
    args,
    env,
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    // The launcher may exit without reading stdin (no Deno to hand it to): a closed pipe
    // is then the expected end, not a failure.
    await writer.write(new TextEncoder().encode(stdin)).catch(() => {});
    await writer.close().catch(() => {});
  }
  const output = await child.output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** A HOME, and a PATH holding only the few tools the launcher uses (no deno, no npm). */
async function sandbox(
  tools: string[] = [],
): Promise<{ home: string; bin: string; env: Record<string, string> }> {
  const home = await Deno.makeTempDir({ dir: "/tmp", prefix: "cn-launch-" });
  const bin = `${home}/bin`;
  await Deno.mkdir(bin);
  for (const tool of ["mkdir", "rmdir", "find", "readlink", "touch", "nohup", "sh", ...tools]) {
    for (const dir of ["/usr/bin", "/bin"]) {
      try {
        await Deno.symlink(`${dir}/${tool}`, `${bin}/${tool}`);
        Deno.statSync(`${bin}/${tool}`);
        break;
      } catch {
        await Deno.remove(`${bin}/${tool}`).catch(() => {});
      }
    }
  }
  const env = {
    HOME: home,
    PATH: bin,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
    NO_COLOR: "1",
  };
  return { home, bin, env };
}

Deno.test("bin/claude-ntfy runs claude-ntfy from source with the Deno it finds, also through a symlink", async () => {
  const { home, env } = await sandbox();
  try {
    const withDeno = { ...env, CLAUDE_NTFY_DENO: Deno.execPath() };
    const direct = await run(LAUNCHER, ["--version"], withDeno);
    assert.deepEqual(direct, { code: 0, stdout: "claude-ntfy 0.1.0\n", stderr: "" });
    await Deno.symlink(LAUNCHER, `${home}/bin/claude-ntfy`);
    const linked = await run(`${home}/bin/claude-ntfy`, ["--version"], withDeno);
    assert.deepEqual(linked, direct);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("bin/claude-ntfy fills unset CLAUDE_NTFY_* variables from the plugin's options; ones set by the user win", async () => {
  const { home, env } = await sandbox();
  try {
    const base = {
      ...env,
      CLAUDE_NTFY_DENO: Deno.execPath(),
      CLAUDE_PLUGIN_OPTION_TOPIC: "from-plugin-option",
      CLAUDE_PLUGIN_OPTION_SERVER: "https://ntfy.example.com",
    };
    const get = async (key: string, extra: Record<string, string> = {}) => {
      const result = await run(LAUNCHER, ["config", "get", key], { ...base, ...extra });
      assert.equal(result.code, 0, result.stderr);
      return result.stdout.trim();
    };
    assert.equal(await get("ntfy.default_topic"), "from-plugin-option");
    assert.equal(await get("ntfy.server_url"), "https://ntfy.example.com");
    assert.equal(await get("ntfy.default_topic", { CLAUDE_NTFY_TOPIC: "mine" }), "mine");
    assert.equal(
      await get("ntfy.default_topic", { CLAUDE_PLUGIN_OPTION_TOPIC: "" }),
      "",
      "an empty option leaves the config files in charge",
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("bin/claude-ntfy without Deno says so, installs it once in the background with npm, and the next run uses it", async () => {
  const { home, bin, env } = await sandbox();
  try {
    // A stand-in npm: records its arguments and "installs" a deno that runs the real one.
    await Deno.writeTextFile(
      `${bin}/npm`,
      `#!/bin/sh
printf '%s\\n' "$*" >> "$HOME/npm-calls.txt"
prefix=$3
mkdir -p "$prefix/node_modules/deno"
printf '#!/bin/sh\\nexec "%s" "$@"\\n' "${Deno.execPath()}" > "$prefix/node_modules/deno/deno"
/bin/chmod +x "$prefix/node_modules/deno/deno"
`,
    );
    await Deno.chmod(`${bin}/npm`, 0o755);
    const state = `${home}/.claude/ntfy-service`;
    const runtime = `${state}/runtime`;
    const hook = await run(LAUNCHER, ["hook"], env, '{"hook_event_name":"Stop"}');
    assert.equal(hook.code, 0, "a hook never fails Claude Code");
    assert.equal(hook.stdout, "");
    assert.equal(
      hook.stderr,
      `claude-ntfy: no Deno to run the hook: installing Deno 2.9.6 into ${runtime} in the ` +
        `background (log: ${state}/runtime-install.log); this notification is skipped; ` +
        '"claude-ntfy doctor" checks the setup\n',
    );
    await waitFor(
      () => {
        try {
          Deno.statSync(`${state}/runtime-install.lock`);
          return false;
        } catch {
          return true;
        }
      },
      { what: "the background install to finish", timeoutMs: 10_000 },
    );
    assert.equal(
      Deno.readTextFileSync(`${home}/npm-calls.txt`),
      `install --prefix ${runtime} --no-audit --no-fund deno@2.9.6\n`,
    );
    const after = await run(LAUNCHER, ["--version"], env);
    assert.deepEqual(after, { code: 0, stdout: "claude-ntfy 0.1.0\n", stderr: "" });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("bin/claude-ntfy without Deno or npm says what to install: exit 0 for a hook, 1 for other commands", async () => {
  const { home, env } = await sandbox();
  try {
    const hook = await run(LAUNCHER, ["hook"], env, "{}");
    assert.equal(hook.code, 0);
    assert.match(
      hook.stderr,
      /^claude-ntfy: no Deno to run the hook and no npm to install one: install Deno \(https:\/\/deno\.com\); this notification is skipped; "claude-ntfy doctor" checks the setup\n$/,
    );
    const doctor = await run(LAUNCHER, ["doctor"], env);
    assert.equal(doctor.code, 1);
    assert.equal(
      doctor.stderr,
      "claude-ntfy: no Deno to run claude-ntfy and no npm to install one: install Deno " +
        "(https://deno.com)\n",
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("bin/claude-ntfy leaves the runtime Deno alone while npm is still installing it, and starts no second install", async () => {
  const { home, bin, env } = await sandbox();
  try {
    await Deno.writeTextFile(`${bin}/npm`, '#!/bin/sh\necho "$*" >> "$HOME/npm-calls.txt"\n');
    await Deno.chmod(`${bin}/npm`, 0o755);
    const state = `${home}/.claude/ntfy-service`;
    await Deno.mkdir(`${state}/runtime/node_modules/deno`, { recursive: true });
    await Deno.writeTextFile(`${state}/runtime/node_modules/deno/deno`, "#!/bin/sh\nexit 99\n");
    await Deno.chmod(`${state}/runtime/node_modules/deno/deno`, 0o755);
    await Deno.mkdir(`${state}/runtime-install.lock`);
    const hook = await run(LAUNCHER, ["hook"], env, "{}");
    assert.equal(hook.code, 0);
    assert.equal(
      hook.stderr,
      `claude-ntfy: no Deno to run the hook yet: Deno 2.9.6 is being installed into ` +
        `${state}/runtime (log: ${state}/runtime-install.log); this notification is skipped; ` +
        '"claude-ntfy doctor" checks the setup\n',
    );
    await assert.rejects(Deno.stat(`${home}/npm-calls.txt`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test("bin/claude-ntfy as a plugin's hook builds its bundles once in the background, then runs from them", async () => {
  // The bundle build renames folders and removes its temporary one.
  const { home, env } = await sandbox(["rm", "mv"]);
  try {
    const root = `${home}/plugin`;
    await copyCheckout(root);
    const stateDir = `${home}/.claude/ntfy-service`;
    await Deno.mkdir(stateDir, { recursive: true, mode: 0o700 });
    await Deno.writeTextFile(
      `${stateDir}/config.toml`,
      '[ntfy]\nserver_url = "http://127.0.0.1:9"\ndefault_topic = "x"\n[daemon]\nautostart = false\n',
      { mode: 0o600 },
    );
    const asPlugin = { ...env, CLAUDE_NTFY_DENO: Deno.execPath(), CLAUDE_PLUGIN_ROOT: root };
    const stop = JSON.stringify({ hook_event_name: "Stop", session_id: "s1" });
    const spooled = () =>
      [...Deno.readDirSync(`${stateDir}/spool`)].filter((entry) => entry.name.endsWith(".event"));

    const first = await run(`${root}/bin/claude-ntfy`, ["hook"], asPlugin, stop);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(spooled().length, 1, "no daemon: the event waits in the spool");
    await waitFor(() => {
      const built = isFile(`${root}/.hook-bundle/claude-ntfy-hook.js`);
      const building = [...Deno.readDirSync(root)].some((entry) =>
        entry.name.startsWith(".hook-bundle.")
      );
      return built && !building;
    }, { what: "the hook's bundles to be built", timeoutMs: 120_000 });

    // Without the source, only the bundles can take the event.
    await Deno.remove(`${root}/cli`, { recursive: true });
    const second = await run(`${root}/bin/claude-ntfy`, ["hook"], asPlugin, stop);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(spooled().length, 2, "the bundles spooled it: fast path, then the full command");

    // Outside Claude Code's plugin run (no CLAUDE_PLUGIN_ROOT), the source is what runs.
    const manual = await run(`${root}/bin/claude-ntfy`, ["hook"], {
      ...asPlugin,
      CLAUDE_PLUGIN_ROOT: "",
    }, stop);
    assert.notEqual(manual.code, 0, "the source is gone, so a run from source fails");
  } finally {
    // A build still running would write into the folder being removed.
    await waitFor(() => {
      try {
        return ![...Deno.readDirSync(`${home}/plugin`)].some((entry) =>
          entry.name === ".hook-bundle.lock"
        );
      } catch {
        return true;
      }
    }, { what: "the bundle build to end", timeoutMs: 120_000 });
    await Deno.remove(home, { recursive: true });
  }
});
