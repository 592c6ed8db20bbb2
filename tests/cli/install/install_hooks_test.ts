import assert from "node:assert/strict";
import { defaultConfig } from "../../../core/config/config.ts";
import {
  eventIsOn,
  eventsToRegister,
  installHooks,
  uninstallHooks,
} from "../../../cli/install/install_hooks.ts";
import { HOOKED_EVENTS, SESSION_EVENTS } from "../../../cli/install/hooked_events.ts";

const COMMAND = "/usr/bin/deno run -A --quiet --no-prompt '/opt/my tools/dist/claude-ntfy.js' hook";
const EVENTS = ["Notification", "PermissionRequest", "Stop", "PostToolUseFailure"];
const NOW = new Date("2025-06-01T12:34:56.789Z");

/** A user's settings.json as Claude Code writes it, with another tool's hooks. */
const THEIRS = {
  $schema: "https://json.schemastore.org/claude-code-settings.json",
  model: "opus",
  permissions: { allow: ["Bash(npm test:*)", "Read"], deny: ["Read(./.env)"] },
  hooks: {
    Stop: [{ matcher: "", hooks: [{ type: "command", command: "afplay Glass.aiff" }] }],
    PreToolUse: [{
      matcher: "Edit|Write",
      hooks: [{ type: "command", command: '"$CLAUDE_PROJECT_DIR"/.claude/hooks/format.sh' }],
    }],
  },
  env: { FOO: "1" },
};
const THEIRS_TEXT = `${JSON.stringify(THEIRS, null, 2)}\n`;

async function withProject(fn: (dir: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "claude-ntfy-install-" });
  const project = `${root}/My Project (copy) 'v2'`;
  await Deno.mkdir(project);
  try {
    await fn(project);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

function backups(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).filter((name) =>
    name.includes(".bak-")
  ).sort();
}

function entries(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

Deno.test("installHooks() merges ours into a settings.json with other hooks and keeps the rest intact", async () => {
  await withProject(async (project) => {
    const path = `${project}/.claude/settings.json`;
    await Deno.mkdir(`${project}/.claude`);
    await Deno.writeTextFile(path, THEIRS_TEXT);
    const report = installHooks({ settingsPath: path, command: COMMAND, events: EVENTS, now: NOW });
    assert.deepEqual(report.added, EVENTS);
    assert.equal(report.written, true);
    assert.equal(report.created, false);

    const text = await Deno.readTextFile(path);
    assert.ok(text.endsWith("}\n"), "a trailing newline");
    const after = JSON.parse(text);
    assert.deepEqual(Object.keys(after), Object.keys(THEIRS));
    for (const key of ["$schema", "model", "permissions", "env"] as const) {
      assert.deepEqual(after[key], THEIRS[key]);
    }
    assert.deepEqual(after.hooks.PreToolUse, THEIRS.hooks.PreToolUse);
    assert.deepEqual(after.hooks.Stop[0], THEIRS.hooks.Stop[0]);
    const ours = { matcher: "", hooks: [{ type: "command", command: COMMAND, timeout: 10 }] };
    assert.deepEqual(after.hooks.Stop[1], ours);
    assert.deepEqual(after.hooks.Notification, [ours]);

    // Taking ours out again gives back the original file byte for byte.
    const removed = uninstallHooks({ settingsPath: path, now: NOW });
    assert.deepEqual(removed.removed, ["Stop", ...EVENTS.filter((event) => event !== "Stop")]);
    assert.equal(await Deno.readTextFile(path), THEIRS_TEXT);
  });
});

Deno.test("installHooks() backs up the previous file before changing it", async () => {
  await withProject(async (project) => {
    const dir = `${project}/.claude`;
    await Deno.mkdir(dir);
    // Odd formatting on purpose: the backup must be the exact old bytes.
    const original = '{"model":"opus",   "hooks":{}}';
    await Deno.writeTextFile(`${dir}/settings.json`, original);
    await Deno.chmod(`${dir}/settings.json`, 0o640);
    const report = installHooks({
      settingsPath: `${dir}/settings.json`,
      command: COMMAND,
      events: ["Stop"],
      now: NOW,
    });
    assert.equal(report.backupPath, `${dir}/settings.json.bak-20250601T123456Z`);
    assert.equal(await Deno.readTextFile(report.backupPath!), original);
    assert.equal((await Deno.stat(`${dir}/settings.json`)).mode! & 0o777, 0o640, "mode kept");
    assert.deepEqual(entries(dir), ["settings.json", "settings.json.bak-20250601T123456Z"]);

    // A second change in the same second gets its own backup, not an overwrite.
    const again = installHooks({
      settingsPath: `${dir}/settings.json`,
      command: COMMAND,
      events: ["Notification"],
      now: NOW,
    });
    assert.equal(again.backupPath, `${dir}/settings.json.bak-20250601T123456Z-2`);
    assert.equal(await Deno.readTextFile(report.backupPath!), original);
  });
});

Deno.test("installHooks() a second time changes nothing, writes no backup and says so", async () => {
  await withProject(async (project) => {
    const path = `${project}/.claude/settings.json`;
    await Deno.mkdir(`${project}/.claude`);
    await Deno.writeTextFile(path, THEIRS_TEXT);
    installHooks({ settingsPath: path, command: COMMAND, events: EVENTS, now: NOW });
    const text = await Deno.readTextFile(path);
    const mtime = (await Deno.stat(path)).mtime;
    assert.equal(backups(`${project}/.claude`).length, 1);

    const second = installHooks({
      settingsPath: path,
      command: COMMAND,
      events: EVENTS,
      now: new Date(NOW.getTime() + 60_000),
    });
    assert.equal(second.written, false);
    assert.deepEqual(second.added, []);
    assert.deepEqual(second.updated, []);
    assert.deepEqual(second.unchanged, EVENTS);
    assert.equal(second.backupPath, undefined);
    assert.equal(await Deno.readTextFile(path), text);
    assert.deepEqual((await Deno.stat(path)).mtime, mtime);
    assert.equal(backups(`${project}/.claude`).length, 1);
  });
});

Deno.test("installHooks() creates .claude/settings.json when missing, without a backup", async () => {
  await withProject(async (project) => {
    const path = `${project}/.claude/settings.json`;
    const report = installHooks({ settingsPath: path, command: COMMAND, events: ["Stop"] });
    assert.equal(report.created, true);
    assert.equal(report.backupPath, undefined);
    assert.equal(
      await Deno.readTextFile(path),
      `${
        JSON.stringify(
          {
            hooks: {
              Stop: [{ matcher: "", hooks: [{ type: "command", command: COMMAND, timeout: 10 }] }],
            },
          },
          null,
          2,
        )
      }\n`,
    );
    assert.deepEqual(entries(`${project}/.claude`), ["settings.json"]);
  });
});

Deno.test("installHooks() refuses a malformed settings.json and writes nothing", async () => {
  await withProject(async (project) => {
    const dir = `${project}/.claude`;
    await Deno.mkdir(dir);
    const broken = '{\n  "model": "opus"\n  "hooks": {}\n}\n';
    await Deno.writeTextFile(`${dir}/settings.json`, broken);
    assert.throws(
      () =>
        installHooks({ settingsPath: `${dir}/settings.json`, command: COMMAND, events: EVENTS }),
      (error: unknown) => {
        assert.ok(error instanceof SyntaxError);
        assert.match(
          error.message,
          /settings\.json: Invalid JSON at line 3, column 3: comma expected/,
        );
        assert.ok(error.message.includes(dir), "names the file");
        return true;
      },
    );
    assert.equal(await Deno.readTextFile(`${dir}/settings.json`), broken);
    assert.deepEqual(entries(dir), ["settings.json"], "no backup, no temp file");
    assert.throws(() => uninstallHooks({ settingsPath: `${dir}/settings.json` }), SyntaxError);
    assert.equal(await Deno.readTextFile(`${dir}/settings.json`), broken);
  });
});

Deno.test("installHooks() writes through a symlinked settings.json and keeps the link", async () => {
  await withProject(async (project) => {
    const dotfiles = `${project}/dotfiles`;
    await Deno.mkdir(dotfiles);
    await Deno.mkdir(`${project}/.claude`);
    await Deno.writeTextFile(`${dotfiles}/claude-settings.json`, THEIRS_TEXT);
    await Deno.symlink(`${dotfiles}/claude-settings.json`, `${project}/.claude/settings.json`);
    installHooks({
      settingsPath: `${project}/.claude/settings.json`,
      command: COMMAND,
      events: ["Stop"],
    });
    assert.ok((await Deno.lstat(`${project}/.claude/settings.json`)).isSymlink);
    const target = JSON.parse(await Deno.readTextFile(`${dotfiles}/claude-settings.json`));
    assert.equal(target.hooks.Stop.length, 2);
  });
});

Deno.test("uninstallHooks() leaves a missing file missing and a file without our hooks untouched", async () => {
  await withProject(async (project) => {
    const path = `${project}/.claude/settings.json`;
    assert.deepEqual(uninstallHooks({ settingsPath: path }), {
      path,
      removed: [],
      written: false,
    });
    await assert.rejects(Deno.stat(`${project}/.claude`), Deno.errors.NotFound);
    await Deno.mkdir(`${project}/.claude`);
    await Deno.writeTextFile(path, THEIRS_TEXT);
    assert.equal(uninstallHooks({ settingsPath: path }).written, false);
    assert.deepEqual(entries(`${project}/.claude`), ["settings.json"]);
  });
});

Deno.test("eventsToRegister() takes every hooked event, whatever the config says, then the others it turns on and the extra ones", () => {
  const config = defaultConfig();
  const hooked = HOOKED_EVENTS.map((entry) => entry.event);
  assert.deepEqual(eventsToRegister(config), hooked);
  config.hooks.events.Stop = false;
  config.hooks.events.Setup = true;
  assert.deepEqual(eventsToRegister(config, ["Stop", "TaskCompleted"]), [
    ...hooked,
    "Setup",
    "TaskCompleted",
  ]);
});

Deno.test('eventsToRegister() never registers "*" and registers the activity events even when they are off', () => {
  const config = defaultConfig();
  config.hooks.events = { "*": true, PreToolUse: false };
  const events = eventsToRegister(config);
  for (const event of SESSION_EVENTS) assert.ok(events.includes(event), event);
  assert.ok(!events.includes("*"));
  assert.ok(
    eventsToRegister(config).includes("PreToolUse"),
    "registered for sessions all the same",
  );
});

Deno.test('eventIsOn() follows hooks.events, else its "*"', () => {
  const config = defaultConfig();
  assert.equal(eventIsOn(config, "Stop"), true);
  assert.equal(eventIsOn(config, "PreToolUse"), false);
  assert.equal(eventIsOn(config, "TaskCompleted"), false);
  config.hooks.events["*"] = true;
  assert.equal(eventIsOn(config, "TaskCompleted"), true);
});

/** Writes `text` as the project's .claude/settings.json; returns its path. */
async function settingsFile(project: string, text: string): Promise<string> {
  await Deno.mkdir(`${project}/.claude`, { recursive: true });
  const path = `${project}/.claude/settings.json`;
  await Deno.writeTextFile(path, text);
  return path;
}

/** A settings.json kept by hand: comments, uneven indentation, trailing commas, odd numbers. */
const HAND_WRITTEN = `// Claude Code settings, kept by hand
{
    "$schema": "https://json.schemastore.org/claude-code-settings.json",
  "model":   "opus",        // the big one
    "permissions": { "allow": ["Bash(npm test:*)", "Read",], },
    "hooks": {
        /* sounds */
        "Stop": [
            { "matcher": "", "hooks": [ { "type": "command", "command": "afplay Glass.aiff" } ] },
        ],
        "PreToolUse": [
          {
            "matcher": "Edit|Write",
            "hooks": [{"type":"command","command":"\\"$CLAUDE_PROJECT_DIR\\"/.claude/hooks/format.sh"}]
          }
        ]
    },
    "env": {"FOO": "1", "BIG": 12345678901234567890, "RATIO": 1.50},
}
`;

/** {@linkcode HAND_WRITTEN} with our entries for Stop and Notification, and nothing else changed. */
const HAND_WRITTEN_INSTALLED = `// Claude Code settings, kept by hand
{
    "$schema": "https://json.schemastore.org/claude-code-settings.json",
  "model":   "opus",        // the big one
    "permissions": { "allow": ["Bash(npm test:*)", "Read",], },
    "hooks": {
        /* sounds */
        "Stop": [
            { "matcher": "", "hooks": [ { "type": "command", "command": "afplay Glass.aiff" } ] },
            {
                "matcher": "",
                "hooks": [
                    {
                        "type": "command",
                        "command": "claude-ntfy hook",
                        "timeout": 10
                    }
                ]
            },
        ],
        "PreToolUse": [
          {
            "matcher": "Edit|Write",
            "hooks": [{"type":"command","command":"\\"$CLAUDE_PROJECT_DIR\\"/.claude/hooks/format.sh"}]
          }
        ],
        "Notification": [
            {
                "matcher": "",
                "hooks": [
                    {
                        "type": "command",
                        "command": "claude-ntfy hook",
                        "timeout": 10
                    }
                ]
            }
        ]
    },
    "env": {"FOO": "1", "BIG": 12345678901234567890, "RATIO": 1.50},
}
`;

Deno.test("installHooks() adds only our entries to a hand-formatted settings.json; every other byte stays", async () => {
  await withProject(async (project) => {
    const path = await settingsFile(project, HAND_WRITTEN);
    const events = ["Stop", "Notification"];
    const report = installHooks({
      settingsPath: path,
      command: "claude-ntfy hook",
      events,
      now: NOW,
    });
    assert.deepEqual(report.added, events);
    assert.equal(await Deno.readTextFile(path), HAND_WRITTEN_INSTALLED);
    assert.equal(
      Deno.readTextFileSync(report.backupPath!),
      HAND_WRITTEN,
      "the backup is the original",
    );

    const again = installHooks({
      settingsPath: path,
      command: "claude-ntfy hook",
      events,
      now: NOW,
    });
    assert.equal(again.written, false, "a second install changes nothing");
  });
});

Deno.test("uninstallHooks() takes out only our entries from a hand-formatted settings.json, byte for byte", async () => {
  await withProject(async (project) => {
    const path = await settingsFile(project, HAND_WRITTEN_INSTALLED);
    const report = uninstallHooks({ settingsPath: path, now: NOW });
    assert.deepEqual(report.removed, ["Stop", "Notification"]);
    assert.equal(await Deno.readTextFile(path), HAND_WRITTEN);
  });
});

Deno.test("installHooks() changes only the command when ours is there with an old one", async () => {
  await withProject(async (project) => {
    const path = await settingsFile(project, HAND_WRITTEN_INSTALLED);
    const report = installHooks({
      settingsPath: path,
      command: COMMAND,
      events: ["Stop", "Notification"],
      now: NOW,
    });
    assert.deepEqual(report.updated, ["Stop", "Notification"]);
    assert.equal(
      await Deno.readTextFile(path),
      HAND_WRITTEN_INSTALLED.replaceAll('"claude-ntfy hook"', JSON.stringify(COMMAND)),
    );
  });
});

Deno.test("installHooks() keeps a settings.json's CRLF line ends, tabs and byte order mark", async () => {
  await withProject(async (project) => {
    const original = '\uFEFF{\r\n\t"model": "opus"\r\n}\r\n';
    const path = await settingsFile(project, original);
    installHooks({ settingsPath: path, command: "claude-ntfy hook", events: ["Stop"], now: NOW });
    const text = await Deno.readTextFile(path);
    assert.ok(
      text.startsWith('\uFEFF{\r\n\t"model": "opus",\r\n\t"hooks": {\r\n\t\t"Stop": ['),
      text,
    );
    assert.ok(!text.replaceAll("\r\n", "").includes("\n"), "no bare LF");
    uninstallHooks({ settingsPath: path, now: NOW });
    assert.equal(await Deno.readTextFile(path), original);
  });
});
