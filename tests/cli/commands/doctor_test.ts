// `claude-ntfy doctor` as users run it: a real CLI process in a temporary HOME, a real
// daemon where needed and the loopback ntfy server for --send.
import assert from "node:assert/strict";
import type { DoctorCheck } from "../../../cli/commands/doctor.ts";
import { launcherPaths } from "../../../cli/install/deno_launcher.ts";
import { hookCommandLine } from "../../../cli/install/hook_command_line.ts";
import { CLI_ENTRY, createTestHome, REPO_ROOT, type TestHome } from "../../support/cli_process.ts";
import { startNtfyServer } from "../../support/ntfy_server.ts";
import { HOOKED_EVENTS } from "../../../cli/install/hooked_events.ts";

const TOPIC = "claude-k3v9q2m7x4p8w6z5";

interface Report {
  ok: boolean;
  checks: DoctorCheck[];
}

async function doctorJson(
  home: TestHome,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<Report & { code: number }> {
  const result = await home.run(["doctor", "--json", ...args], { env });
  assert.equal(result.stderr, "");
  return { ...JSON.parse(result.stdout), code: result.code };
}

function byId(report: Report, id: string): DoctorCheck {
  const found = report.checks.find((entry) => entry.id === id);
  assert.ok(found, `a "${id}" check in ${JSON.stringify(report.checks.map((c) => c.id))}`);
  return found;
}

Deno.test("doctor on a fresh setup fails on topic and hooks, says how to fix them, and stays off the network", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome();
  await home.writeConfig(`[ntfy]\nserver_url = "${server.url}"\n`);
  const result = await home.run(["doctor"]);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /^✓ Config loads: .*config\.toml$/m);
  assert.match(
    result.stdout,
    /^✗ No topic set \(ntfy\.default_topic is empty\)\n {4}fix: run "claude-ntfy init"/m,
  );
  assert.match(
    result.stdout,
    /^✗ No claude-ntfy hook registered.*\n {4}the ntfy-notifier plugin is not enabled\n(?: {4}looked in .*\n)+ {4}fix: "claude plugin install ntfy-notifier@claude-ntfy" \(see the README\), or "claude-ntfy init --install-hooks"/m,
  );
  assert.match(result.stdout, /^! Daemon not running \(the next hook starts it\)$/m);
  assert.match(result.stdout, /^- ntfy not contacted \(--send publishes a test notification\)$/m);
  assert.match(result.stdout, /\n\n2 problem\(s\), \d+ warning\(s\)\.\n$/);
  assert.equal(server.requests, 0, "no network request without --send");

  const report = await doctorJson(home);
  assert.equal(report.code, 1);
  assert.equal(report.ok, false);
  assert.equal(byId(report, "topic").status, "fail");
  assert.equal(byId(report, "hooks").status, "fail");
  assert.equal(byId(report, "send").status, "skip");
  assert.equal(server.requests, 0);
});

Deno.test("doctor --send publishes a test notification and reports ntfy's message id", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome();
  await home.writeConfig(`[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "${TOPIC}"\n`);
  const installed = await home.run(["init", "--global", "--install-hooks"]);
  assert.equal(installed.code, 0, installed.stderr);
  const result = await home.run(["doctor", "--send"]);
  assert.equal(result.code, 0, result.stdout);
  const [message] = await server.waitForMessages(1);
  assert.match(
    result.stdout,
    new RegExp(
      `^✓ ntfy accepted a test notification: message id ${message.id} \\(\\d+ ms\\)$`,
      "m",
    ),
  );
  assert.equal(message.topic, TOPIC);
  assert.equal(message.title, "claude-ntfy doctor");
  assert.match(result.stdout, /^✓ Topic set: http:\/\/127\.0\.0\.1:\d+\/claude-k…\(23 chars\)$/m);
  assert.ok(!result.stdout.includes(TOPIC), "the topic is not printed in full");
  assert.match(
    result.stdout,
    new RegExp(
      `^✓ Hooks registered in settings\\.json\n {4}~/\\.claude/settings\\.json: ${
        HOOKED_EVENTS.map((entry) => entry.event).join(", ")
      }$`,
      "m",
    ),
  );
});

Deno.test("doctor --send reports a refused notification as a failure with a fix", async () => {
  await using server = await startNtfyServer({
    tokens: ["tk_right_token_0123456789abcdefgh"],
    requireAuth: true,
  });
  await using home = await createTestHome();
  await home.writeConfig(`[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "${TOPIC}"\n`);
  const report = await doctorJson(home, ["--send"]);
  assert.equal(report.code, 1);
  const send = byId(report, "send");
  assert.equal(send.status, "fail");
  assert.match(send.title, /ntfy did not accept the test notification: .*403/);
  assert.match(send.fix!, /auth_token/);
});

Deno.test("doctor pings a running daemon and checks its files are private", async () => {
  await using home = await createTestHome();
  await home.writeConfig(
    `[ntfy]\nserver_url = "http://127.0.0.1:9"\ndefault_topic = "${TOPIC}"\n`,
  );
  const pid = await home.startDaemon();
  const report = await doctorJson(home);
  const daemon = byId(report, "daemon");
  assert.equal(daemon.status, "ok");
  assert.match(
    daemon.title,
    new RegExp(`^Daemon running: pid ${pid}, version \\S+, ping \\d+\\.\\d ms$`),
  );
  assert.equal(byId(report, "permissions").status, "ok");

  await Deno.chmod(home.paths.stateDir, 0o755);
  await Deno.chmod(home.paths.tokenPath, 0o644);
  const open = byId(await doctorJson(home), "permissions");
  assert.equal(open.status, "warn");
  assert.deepEqual(open.details, [
    `${home.paths.stateDir} is 0755, should be 0700`,
    `${home.paths.tokenPath} is 0644, should be 0600`,
  ]);
  assert.equal(
    open.fix,
    `chmod 700 "${home.paths.stateDir}"; chmod 600 "${home.paths.tokenPath}"`,
  );
});

Deno.test("doctor fails when the daemon is down and hooks may not start it, counting spooled notifications", async () => {
  await using home = await createTestHome();
  await home.writeConfig(`[ntfy]\ndefault_topic = "${TOPIC}"\n\n[daemon]\nautostart = false\n`);
  await Deno.mkdir(home.paths.spoolDir, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(`${home.paths.spoolDir}/1700000000000-42-abc.task`, "x");
  await Deno.writeTextFile(`${home.paths.spoolDir}/1700000000001-42-abd.event`, "x");
  await Deno.writeTextFile(`${home.paths.spoolDir}/.1700000000002-42-abe.event.1234abcd.tmp`, "x");
  const daemon = byId(await doctorJson(home), "daemon");
  assert.equal(daemon.status, "fail");
  assert.match(daemon.title, /daemon\.autostart is off/);
  assert.ok(daemon.details!.includes(`2 notification(s) wait in ${home.paths.spoolDir}`));
  assert.match(daemon.fix!, /claude-ntfy daemon start --detach/);
});

Deno.test("doctor warns about a guessable topic and a token in a config file others can read", async () => {
  await using home = await createTestHome();
  await home.writeConfig(
    '[ntfy]\ndefault_topic = "alerts"\nauth_token = "tk_abcdefghijklmnopqrstuvwxyz123"\n',
  );
  const file = `${home.paths.stateDir}/config.toml`;
  await Deno.chmod(file, 0o644);
  const report = await doctorJson(home);
  const strength = byId(report, "topic-strength");
  assert.equal(strength.status, "warn");
  assert.deepEqual(strength.details, ['"alerts": shorter than 12 characters']);
  assert.match(strength.fix!, /claude-ntfy init --force/);
  const secrets = byId(report, "secrets");
  assert.equal(secrets.status, "warn");
  assert.deepEqual(secrets.details, [`${file} (mode 0644)`]);
  assert.equal(secrets.fix, `chmod 600 "${file}"`);
  assert.ok(
    !JSON.stringify(report).includes("tk_abcdefghijklmnopqrstuvwxyz123"),
    "no secret shown",
  );

  await Deno.chmod(file, 0o600);
  assert.equal(byId(await doctorJson(home), "secrets").status, "ok");
});

Deno.test("doctor finds a broken settings.json, events registered twice and missing events", async () => {
  await using home = await createTestHome();
  const project = `${home.home}/my project`;
  await home.writeConfig(`[ntfy]\ndefault_topic = "${TOPIC}"\n`);
  await Deno.mkdir(`${project}/.claude`, { recursive: true });
  await Deno.mkdir(`${home.home}/.claude`, { recursive: true });
  const hook = (command: string) => [{ matcher: "", hooks: [{ type: "command", command }] }];
  await Deno.writeTextFile(
    `${home.home}/.claude/settings.json`,
    JSON.stringify({
      hooks: { Stop: hook("claude-ntfy hook"), Notification: hook("claude-ntfy hook") },
    }),
  );
  await Deno.writeTextFile(
    `${project}/.claude/settings.json`,
    JSON.stringify({ hooks: { Stop: hook("/nonexistent/bin/claude-ntfy hook --verbose") } }),
  );
  await Deno.writeTextFile(`${project}/.claude/settings.local.json`, '{"hooks": {');

  const report = await doctorJson(home, ["--project", project]);
  assert.equal(report.code, 1);
  const broken = byId(report, "hooks-settings");
  assert.equal(broken.status, "fail");
  assert.equal(broken.title, `Cannot read ${project}/.claude/settings.local.json`);
  const hooks = byId(report, "hooks");
  assert.deepEqual(hooks.details, [
    "~/.claude/settings.json: Stop, Notification",
    ".claude/settings.json: Stop",
  ]);
  const twice = byId(report, "hooks-duplicate");
  assert.equal(twice.status, "warn");
  assert.match(twice.title, /Registered twice, so they notify twice: Stop$/);
  const missing = byId(report, "hooks-missing");
  assert.equal(
    missing.title,
    `Not registered, so never seen: ${
      HOOKED_EVENTS.map((entry) => entry.event).filter((event) =>
        event !== "Stop" && event !== "Notification"
      ).join(", ")
    }`,
  );
  const untracked = byId(report, "hooks-sessions");
  assert.equal(untracked.status, "warn");
  assert.equal(
    untracked.title,
    // The same events as before the merge, in HOOKED_EVENTS's order (the one event list).
    "Not registered, so the daemon cannot tell you are back at the terminal: " +
      "SessionStart, UserPromptSubmit, PreToolUse, PostToolUse, PostToolBatch, SubagentStop, SessionEnd",
  );
  const command = byId(report, "hooks-command");
  assert.equal(command.status, "fail", "/nonexistent/bin/claude-ntfy does not exist");
  assert.match(command.details![0], /^\/nonexistent\/bin\/claude-ntfy \(in: /);
});

Deno.test("doctor reports a config that does not load and exits 1", async () => {
  await using home = await createTestHome();
  await home.writeConfig("[ntfy\ndefault_topic = 1\n");
  const result = await home.run(["doctor"]);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /^✗ Config does not load: Invalid TOML in .*config\.toml:1/m);
  const usage = await home.run(["doctor", "--bogus"]);
  assert.equal(usage.code, 64);
});

/** A Deno at a path like the one `npx deno` runs: a hard link (or copy) of this one. */
async function denoInNpxCache(home: string): Promise<string> {
  const path = `${home}/.npm/_npx/0a1b2c3d4e5f6789/node_modules/deno/deno`;
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  try {
    await Deno.link(Deno.execPath(), path);
  } catch {
    await Deno.copyFile(Deno.execPath(), path);
  }
  return path;
}

Deno.test("doctor names a hook command whose Deno is in npm's npx cache, and fails once it is gone", async () => {
  const home = await createTestHome();
  try {
    await home.writeConfig(`[ntfy]\ndefault_topic = "${TOPIC}"\n`);
    const deno = `${home.home}/.npm/_npx/0a1b2c3d4e5f6789/node_modules/deno/deno`;
    await Deno.mkdir(deno.slice(0, deno.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(deno, "#!/bin/sh\n");
    await Deno.chmod(deno, 0o755);
    const command = hookCommandLine({ kind: "source", deno, entry: CLI_ENTRY });
    await Deno.mkdir(`${home.home}/.claude`, { recursive: true });
    await Deno.writeTextFile(
      `${home.home}/.claude/settings.json`,
      JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: "command", command }] }] } }),
    );

    const cached = byId(await doctorJson(home), "hooks-runtime");
    assert.equal(cached.status, "warn");
    assert.equal(cached.title, `Hooks run a Deno that can vanish: ${deno} is in npm's npx cache`);
    assert.match(cached.details![0], /npm cache clean --force/);
    assert.match(cached.fix!, /^"claude-ntfy init --install-hooks" .*launcher/);

    await Deno.remove(`${home.home}/.npm`, { recursive: true });
    const report = await doctorJson(home);
    assert.equal(report.code, 1);
    const gone = byId(report, "hooks-runtime");
    assert.equal(gone.status, "fail");
    assert.equal(gone.title, `The Deno that hooks run is gone: ${deno}`);
    assert.equal(gone.details![0], `${deno} is in npm's npx cache`);
    assert.match(gone.fix!, /claude-ntfy init --install-hooks/);
    assert.ok(
      !report.checks.some((entry) => entry.id === "hooks-command" && entry.status === "fail"),
      "the missing Deno is reported once",
    );
  } finally {
    await home.cleanup();
  }
});

Deno.test("init --install-hooks under a Deno from npm's npx cache registers a launcher that doctor follows", async () => {
  const home = await createTestHome();
  const noDeno = { PATH: "/usr/bin:/bin" };
  try {
    await home.writeConfig(`[ntfy]\ndefault_topic = "${TOPIC}"\n`);
    const npxDeno = await denoInNpxCache(home.home);
    const init = await new Deno.Command(npxDeno, {
      args: ["run", "-A", "--quiet", CLI_ENTRY, "init", "--global", "--install-hooks"],
      env: { ...home.env, ...noDeno },
      clearEnv: true,
      cwd: home.home,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(init.code, 0, new TextDecoder().decode(init.stderr));
    const launcher = launcherPaths(home.home).script;
    assert.match(new TextDecoder().decode(init.stdout), /launcher: .*claude-ntfy-deno \(written;/);
    const settings = JSON.parse(await Deno.readTextFile(`${home.home}/.claude/settings.json`));
    const command: string = settings.hooks.Stop[0].hooks[0].command;
    assert.ok(command.startsWith(`${launcher} run -A --quiet `), command);
    assert.ok(!command.includes("_npx"), "settings.json does not name the cached Deno");

    const working = byId(await doctorJson(home, [], noDeno), "hooks-runtime");
    assert.equal(working.status, "ok");
    assert.equal(working.title, `Hooks start Deno through ${launcher}: it runs ${npxDeno}`);
    assert.match(working.details![0], /is in npm's npx cache: when that goes, the launcher runs/);

    await Deno.remove(`${home.home}/.npm`, { recursive: true }); // npm cache clean --force
    const report = await doctorJson(home, [], noDeno);
    assert.equal(report.code, 1);
    const none = byId(report, "hooks-runtime");
    assert.equal(none.status, "fail");
    assert.match(none.title, /^No Deno for the hooks: each hook skips its notification/);
    assert.match(none.fix!, /^install one now: npm install --prefix .*\/runtime deno@\d/);
    assert.ok(
      !report.checks.some((entry) => entry.id === "hooks-command" && entry.status === "fail"),
    );

    // A lasting Deno on PATH is enough for the launcher again.
    const lasting = byId(
      await doctorJson(home, [], { PATH: `${REPO_ROOT}/.no-such-dir:/usr/local/bin:/usr/bin` }),
      "hooks-runtime",
    );
    assert.equal(lasting.status, "ok", JSON.stringify(lasting));
  } finally {
    await home.cleanup();
  }
});

/** What `claude plugin marketplace add` + `install` (+ `configure`) leave in a HOME. */
async function installPluginFiles(home: string, options: Record<string, string> = {}) {
  const id = "ntfy-notifier@claude-ntfy";
  await Deno.mkdir(`${home}/.claude/plugins`, { recursive: true });
  let settings: Record<string, unknown> = {};
  try {
    settings = JSON.parse(await Deno.readTextFile(`${home}/.claude/settings.json`));
  } catch {
    // No settings yet.
  }
  settings.enabledPlugins = { [id]: true };
  if (Object.keys(options).length > 0) settings.pluginConfigs = { [id]: { options } };
  await Deno.writeTextFile(`${home}/.claude/settings.json`, JSON.stringify(settings, null, 2));
  await Deno.writeTextFile(
    `${home}/.claude/plugins/installed_plugins.json`,
    JSON.stringify({
      version: 2,
      plugins: {
        [id]: [{
          scope: "user",
          installPath: `${home}/.claude/plugins/cache/claude-ntfy/ntfy-notifier/0.1.0`,
          version: "0.1.0",
        }],
      },
    }),
  );
}

Deno.test("doctor with only the plugin: the plugin runs the hook, no bundle is needed, and the topic comes from its options", async () => {
  const home = await createTestHome();
  try {
    await home.writeConfig(`[ntfy]\nserver_url = "http://127.0.0.1:9"\n`);
    await installPluginFiles(home.home, { topic: TOPIC });
    const report = await doctorJson(home);
    assert.equal(report.code, 0, JSON.stringify(report.checks, null, 2));
    const plugin = byId(report, "plugin");
    assert.equal(plugin.status, "ok");
    assert.equal(
      plugin.title,
      "Claude Code plugin ntfy-notifier@claude-ntfy is enabled: it runs the hook",
    );
    assert.deepEqual(plugin.details, [
      `installed (user scope, version 0.1.0) at ${home.home}/.claude/plugins/cache/claude-ntfy/ntfy-notifier/0.1.0`,
      "enabledPlugins in ~/.claude/settings.json: true",
      "options set: topic",
    ]);
    assert.equal(report.checks.find((entry) => entry.id === "hooks"), undefined);
    assert.equal(byId(report, "topic").status, "ok", "the topic set in the plugin's options");
    assert.equal(byId(report, "bundle").status, "skip");
  } finally {
    await home.cleanup();
  }
});

Deno.test("doctor flags the plugin and settings.json hooks both running claude-ntfy, and says which to remove", async () => {
  const home = await createTestHome();
  try {
    await home.writeConfig(`[ntfy]\ndefault_topic = "${TOPIC}"\n`);
    const installed = await home.run(["init", "--global", "--install-hooks"]);
    assert.equal(installed.code, 0, installed.stderr);
    await installPluginFiles(home.home);
    const result = await home.run(["doctor"]);
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /^✗ Registered twice: the ntfy-notifier@claude-ntfy plugin and settings\.json both run claude-ntfy, so every event notifies twice\n {4}plugin ntfy-notifier@claude-ntfy: SessionStart, .*\n {4}~\/\.claude\/settings\.json: SessionStart, .*\n {4}fix: keep the plugin and remove the settings\.json entries: "claude-ntfy uninstall-hooks --global"; or keep settings\.json and disable the plugin: "claude plugin disable ntfy-notifier@claude-ntfy"$/m,
    );
    const report = await doctorJson(home);
    assert.equal(byId(report, "hooks-double").status, "fail");
    assert.equal(byId(report, "plugin").status, "ok");

    // Following the advice clears it.
    assert.equal((await home.run(["uninstall-hooks", "--global"])).code, 0);
    const after = await doctorJson(home);
    assert.equal(after.checks.find((entry) => entry.id === "hooks-double"), undefined);
  } finally {
    await home.cleanup();
  }
});
