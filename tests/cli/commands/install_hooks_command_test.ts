// `init --install-hooks` and `uninstall-hooks` as users run them, with the launcher fixed
// so that the command written does not depend on whether dist/ has been built.
import assert from "node:assert/strict";
import { createInitCommand } from "../../../cli/commands/init.ts";
import { uninstallHooksCommand } from "../../../cli/commands/uninstall_hooks.ts";
import { hookCommandLine, type HookLauncher } from "../../../cli/install/hook_command_line.ts";
import { HOOKED_EVENTS } from "../../../cli/install/hooked_events.ts";
import { launcherPaths } from "../../../cli/install/deno_launcher.ts";
import { memoryIo } from "./_io.ts";

const LAUNCHER = {
  kind: "bundle",
  deno: "/usr/local/bin/deno",
  bundle: "/opt/claude ntfy/dist/claude-ntfy.js",
} as const satisfies HookLauncher;
/** The command registered: the bundle, with Deno started through the launcher in HOME. */
function commandFor(home: string): string {
  return hookCommandLine({ ...LAUNCHER, deno: launcherPaths(home).script });
}
const DEFAULT_EVENTS = HOOKED_EVENTS.map((entry) => entry.event);

const init = createInitCommand({
  findLauncher: () => ({ launcher: LAUNCHER }),
  now: () => new Date("2025-06-01T08:00:00Z"),
});

const THEIRS = {
  model: "sonnet",
  hooks: {
    Stop: [{ matcher: "", hooks: [{ type: "command", command: "say done" }] }],
  },
};

async function withDirs(fn: (dirs: { home: string; project: string }) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "claude-ntfy-install-cmd-" });
  const home = `${root}/home`;
  const project = `${root}/Work Projects/web app`;
  await Deno.mkdir(home);
  await Deno.mkdir(project, { recursive: true });
  try {
    await fn({ home, project });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

function readJson(path: string) {
  return JSON.parse(Deno.readTextFileSync(path));
}

function backups(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).filter((name) =>
    name.includes(".bak-")
  );
}

Deno.test("init --install-hooks writes the config and registers the hooked events in the project, PermissionRequest with a longer timeout", async () => {
  await withDirs(async ({ home, project }) => {
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await init.run(["--install-hooks"], io), 0, io.err());
    const settings = readJson(`${project}/.claude/settings.json`);
    assert.deepEqual(Object.keys(settings.hooks), DEFAULT_EVENTS);
    for (const event of DEFAULT_EVENTS) {
      const timeout = event === "PermissionRequest" ? 120 : 10;
      assert.deepEqual(settings.hooks[event], [
        { matcher: "", hooks: [{ type: "command", command: commandFor(home), timeout }] },
      ]);
    }
    assert.ok(Deno.statSync(`${project}/.claude/ntfy-service/config.toml`).isFile);
    assert.match(io.out(), /Created .*\/web app\/\.claude\/settings\.json/);
    assert.match(io.out(), new RegExp(`added: +${DEFAULT_EVENTS.join(", ")}\n`));
    assert.doesNotMatch(io.out(), /Then register the hook/, "no snippet to paste");
    assert.equal(io.err(), "");
  });
});

Deno.test("init --install-hooks keeps other hooks, backs up, and a second run changes nothing", async () => {
  await withDirs(async ({ home, project }) => {
    await Deno.mkdir(`${project}/.claude`);
    const original = `${JSON.stringify(THEIRS, null, 2)}\n`;
    await Deno.writeTextFile(`${project}/.claude/settings.json`, original);

    const first = memoryIo({ HOME: home }, project);
    assert.equal(await init.run(["--install-hooks"], first), 0, first.err());
    assert.match(
      first.out(),
      /Updated .*settings\.json \(backup: .*settings\.json\.bak-20250601T080000Z\)/,
    );
    const settings = readJson(`${project}/.claude/settings.json`);
    assert.equal(settings.model, "sonnet");
    assert.deepEqual(settings.hooks.Stop[0], THEIRS.hooks.Stop[0]);
    assert.equal(settings.hooks.Stop[1].hooks[0].command, commandFor(home));
    assert.equal(
      Deno.readTextFileSync(`${project}/.claude/settings.json.bak-20250601T080000Z`),
      original,
    );
    const configText = Deno.readTextFileSync(`${project}/.claude/ntfy-service/config.toml`);
    const settingsText = Deno.readTextFileSync(`${project}/.claude/settings.json`);

    const second = memoryIo({ HOME: home }, project);
    assert.equal(await init.run(["--install-hooks"], second), 0, second.err());
    assert.match(second.out(), /Kept .*config\.toml/);
    assert.match(
      second.out(),
      /No change: .*settings\.json already runs claude-ntfy for SessionStart, /,
    );
    assert.equal(Deno.readTextFileSync(`${project}/.claude/ntfy-service/config.toml`), configText);
    assert.equal(Deno.readTextFileSync(`${project}/.claude/settings.json`), settingsText);
    assert.equal(backups(`${project}/.claude`).length, 1, "no second backup");
  });
});

Deno.test("init --install-hooks registers the hooked events, others the config turns on, plus --events", async () => {
  await withDirs(async ({ home, project }) => {
    await Deno.mkdir(`${project}/.claude/ntfy-service`, { recursive: true });
    await Deno.writeTextFile(
      `${project}/.claude/ntfy-service/config.toml`,
      '[ntfy]\ndefault_topic = "claude-k3v9q2m7x4p8w6z5"\n\n' +
        "[hooks.events]\nPostToolUseFailure = false\nTaskCompleted = true\n",
    );
    const io = memoryIo({ HOME: home }, "/");
    assert.equal(
      await init.run([
        "--install-hooks",
        "--project",
        project,
        "--events",
        "PreCompact, Setup",
      ], io),
      0,
      io.err(),
    );
    assert.deepEqual(Object.keys(readJson(`${project}/.claude/settings.json`).hooks), [
      ...DEFAULT_EVENTS,
      "TaskCompleted",
      "Setup",
    ]);
    assert.match(io.err(), /the config turns PreCompact, Setup off, so they do not notify/);
  });
});

Deno.test("init --install-hooks --global registers in ~/.claude/settings.json", async () => {
  await withDirs(async ({ home, project }) => {
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await init.run(["--global", "--install-hooks"], io), 0, io.err());
    assert.deepEqual(Object.keys(readJson(`${home}/.claude/settings.json`).hooks), DEFAULT_EVENTS);
    assert.ok(Deno.statSync(`${home}/.claude/ntfy-service/config.toml`).isFile);
    assert.throws(() => Deno.statSync(`${project}/.claude`), Deno.errors.NotFound);
  });
});

Deno.test("init --install-hooks writes the launcher (0700) once, trying the Deno that ran it first", async () => {
  await withDirs(async ({ home, project }) => {
    const paths = launcherPaths(home);
    const first = memoryIo({ HOME: home }, project);
    assert.equal(await init.run(["--install-hooks"], first), 0, first.err());
    assert.match(first.out(), new RegExp(`launcher: +${paths.script} \\(written; `));
    assert.equal(Deno.statSync(paths.script).mode! & 0o777, 0o700);
    assert.equal(Deno.statSync(paths.folder).mode! & 0o777, 0o700);
    assert.match(Deno.readTextFileSync(paths.script), /\nrun \/usr\/local\/bin\/deno "\$@"\n/);

    const second = memoryIo({ HOME: home }, project);
    assert.equal(await init.run(["--install-hooks"], second), 0, second.err());
    assert.match(second.out(), new RegExp(`launcher: +${paths.script} \\(unchanged; `));
  });
});

Deno.test("init --install-hooks rewrites a command naming a Deno directly to use the launcher", async () => {
  await withDirs(async ({ home, project }) => {
    await Deno.mkdir(`${project}/.claude`);
    const direct = hookCommandLine(LAUNCHER);
    await Deno.writeTextFile(
      `${project}/.claude/settings.json`,
      JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: "command", command: direct }] }] } }),
    );
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await init.run(["--install-hooks"], io), 0, io.err());
    assert.match(io.out(), /updated: +Stop/);
    const settings = readJson(`${project}/.claude/settings.json`);
    assert.deepEqual(settings.hooks.Stop, [
      { hooks: [{ type: "command", command: commandFor(home), timeout: 10 }] },
    ]);
  });
});

Deno.test("init --install-hooks registers a compiled claude-ntfy as it is, with no launcher", async () => {
  await withDirs(async ({ home, project }) => {
    const compiled = createInitCommand({
      findLauncher: () => ({
        launcher: { kind: "compiled", executable: "/usr/local/bin/claude-ntfy" },
      }),
    });
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await compiled.run(["--install-hooks"], io), 0, io.err());
    assert.equal(
      readJson(`${project}/.claude/settings.json`).hooks.Stop[0].hooks[0].command,
      "/usr/local/bin/claude-ntfy hook",
    );
    assert.doesNotMatch(io.out(), /launcher:/);
    assert.throws(() => Deno.statSync(launcherPaths(home).script), Deno.errors.NotFound);
  });
});

Deno.test("init --install-hooks stops at a malformed settings.json and leaves it as it was", async () => {
  await withDirs(async ({ home, project }) => {
    await Deno.mkdir(`${project}/.claude`);
    const broken = '{ "model": "opus" "env": {} }';
    await Deno.writeTextFile(`${project}/.claude/settings.json`, broken);
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await init.run(["--install-hooks"], io), 1);
    assert.match(
      io.err(),
      /hooks not installed, .*settings\.json left unchanged: .*line 1, column 19: comma expected/,
    );
    assert.equal(Deno.readTextFileSync(`${project}/.claude/settings.json`), broken);
    assert.deepEqual(backups(`${project}/.claude`), []);
  });
});

Deno.test("init rejects --events without --install-hooks and invalid event names", async () => {
  await withDirs(async ({ home, project }) => {
    const alone = memoryIo({ HOME: home }, project);
    assert.equal(await init.run(["--events", "Stop"], alone), 64);
    assert.match(alone.err(), /--events needs --install-hooks/);
    const bad = memoryIo({ HOME: home }, project);
    assert.equal(await init.run(["--install-hooks", "--events", "Stop;rm -rf /"], bad), 64);
    assert.match(bad.err(), /--events must be event names/);
    assert.throws(
      () => Deno.statSync(`${project}/.claude`),
      Deno.errors.NotFound,
      "nothing written",
    );
  });
});

Deno.test("init --install-hooks warns when only the slow source launcher is available", async () => {
  await withDirs(async ({ home, project }) => {
    const slow = createInitCommand({
      findLauncher: () => ({
        launcher: { kind: "source", deno: "/usr/bin/deno", entry: "/src/cn/cli/main.ts" },
        warning: "the hook runs from source, which starts slower",
      }),
    });
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await slow.run(["--install-hooks"], io), 0);
    assert.match(io.err(), /warning: the hook runs from source, which starts slower/);
    const settings = readJson(`${project}/.claude/settings.json`);
    assert.equal(
      settings.hooks.Stop[0].hooks[0].command,
      `${launcherPaths(home).script} run -A --quiet /src/cn/cli/main.ts hook # claude-ntfy`,
    );
  });
});

Deno.test("uninstall-hooks removes only claude-ntfy's entries and says what it removed", async () => {
  await withDirs(async ({ home, project }) => {
    await Deno.mkdir(`${project}/.claude`);
    const original = `${JSON.stringify(THEIRS, null, 2)}\n`;
    await Deno.writeTextFile(`${project}/.claude/settings.json`, original);
    assert.equal(await init.run(["--install-hooks"], memoryIo({ HOME: home }, project)), 0);

    const io = memoryIo({ HOME: home }, project);
    assert.equal(await uninstallHooksCommand.run([], io), 0, io.err());
    assert.match(
      io.out(),
      new RegExp(
        `removed: Stop, ${DEFAULT_EVENTS.filter((event) => event !== "Stop").join(", ")}\n`,
      ),
    );
    assert.equal(Deno.readTextFileSync(`${project}/.claude/settings.json`), original);

    const again = memoryIo({ HOME: home }, project);
    assert.equal(await uninstallHooksCommand.run([], again), 0);
    assert.match(again.out(), /No change: .* has no claude-ntfy hooks/);
  });
});

Deno.test("uninstall-hooks --global touches only ~/.claude/settings.json", async () => {
  await withDirs(async ({ home, project }) => {
    assert.equal(
      await init.run(["--global", "--install-hooks"], memoryIo({ HOME: home }, project)),
      0,
    );
    assert.equal(await init.run(["--install-hooks"], memoryIo({ HOME: home }, project)), 0);
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await uninstallHooksCommand.run(["--global"], io), 0, io.err());
    assert.deepEqual(readJson(`${home}/.claude/settings.json`), {});
    assert.deepEqual(
      Object.keys(readJson(`${project}/.claude/settings.json`).hooks),
      DEFAULT_EVENTS,
    );
  });
});

Deno.test("uninstall-hooks reports a malformed settings.json and leaves it alone", async () => {
  await withDirs(async ({ home, project }) => {
    await Deno.mkdir(`${project}/.claude`);
    await Deno.writeTextFile(`${project}/.claude/settings.json`, "{oops");
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await uninstallHooksCommand.run(["--project", project], io), 1);
    assert.match(io.err(), /left unchanged: .*Invalid JSON at line 1, column 2/);
    assert.equal(Deno.readTextFileSync(`${project}/.claude/settings.json`), "{oops");
    const usage = memoryIo({ HOME: home }, project);
    assert.equal(await uninstallHooksCommand.run(["--bogus"], usage), 64);
  });
});

Deno.test("init --install-hooks refuses while the ntfy-notifier plugin is enabled, so that no event notifies twice", async () => {
  await withDirs(async ({ home, project }) => {
    const id = "ntfy-notifier@claude-ntfy";
    await Deno.mkdir(`${home}/.claude/plugins`, { recursive: true });
    await Deno.writeTextFile(
      `${home}/.claude/settings.json`,
      JSON.stringify({ enabledPlugins: { [id]: true } }),
    );
    await Deno.writeTextFile(
      `${home}/.claude/plugins/installed_plugins.json`,
      JSON.stringify({ version: 2, plugins: { [id]: [{ scope: "user", version: "0.1.0" }] } }),
    );
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await init.run(["--global", "--install-hooks"], io), 1);
    assert.match(
      io.err(),
      /hooks not installed: the Claude Code plugin ntfy-notifier@claude-ntfy is enabled and already runs claude-ntfy for every event; .* claude plugin disable ntfy-notifier@claude-ntfy\n$/,
    );
    assert.deepEqual(readJson(`${home}/.claude/settings.json`), { enabledPlugins: { [id]: true } });
    for (const path of [launcherPaths(home).script, `${home}/.claude/ntfy-service/config.toml`]) {
      assert.throws(() => Deno.statSync(path), Deno.errors.NotFound, `${path} not written`);
    }
  });
});
