// The repository as a Claude Code plugin, with the real CLI (npm, pinned, cached outside
// the repo): `claude plugin validate` passes; in an isolated HOME, a copy of the checkout
// (its committed files, no dist/) is added as a marketplace and the plugin installed with
// its options; `claude -p` against a loopback stand-in for the Anthropic API runs the
// plugin's hooks, and the Stop notification reaches a loopback ntfy; registering the hook
// in settings.json as well makes every event notify twice, which doctor flags.
// Needs npm and the npm registry on the first run; fails (never skips) without them.
import assert from "node:assert/strict";
import type { DoctorCheck } from "../../cli/commands/doctor.ts";
import { installHooks } from "../../cli/install/install_hooks.ts";
import { HOOKED_EVENTS } from "../../cli/install/hooked_events.ts";
import { startAnthropicApiServer } from "../support/anthropic_api_server.ts";
import {
  CLAUDE_CODE_VERSION,
  claudeEnv,
  installClaudeCode,
  runClaude,
  runCommand,
} from "../support/claude_code.ts";
import { createTestHome, stopDaemonOf } from "../support/cli_process.ts";
import { waitFor } from "../support/wait_for.ts";
import { copyCheckout } from "../support/copy_checkout.ts";
import { startNtfyServer } from "../support/ntfy_server.ts";

const PLUGIN = "ntfy-notifier@claude-ntfy";
const TOPIC = "claude-plugin-k3v9q2m7x4p8";
const TOKEN = "tk_plugin0secret0token0123456789";

/** Runs a program with exactly `env` (none of this process's environment). */
function exec(
  program: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
) {
  return runCommand(program, args, { ...options, clearEnv: true });
}

function check(checks: DoctorCheck[], id: string): DoctorCheck | undefined {
  return checks.find((entry) => entry.id === id);
}

Deno.test(`Claude Code ${CLAUDE_CODE_VERSION} validates, installs and runs the repository as a plugin`, async (t) => {
  const claude = await installClaudeCode();
  const ntfy = await startNtfyServer({ tokens: [TOKEN], requireAuth: true });
  const api = startAnthropicApiServer({ reply: () => [{ type: "text", text: "All done." }] });
  const home = await createTestHome("cn-plugin-");
  const checkout = `${home.home}/src/claude-ntfy`;
  const project = `${home.home}/shop`;
  const env = claudeEnv({
    home: home.home,
    apiUrl: api.url,
    tmpDir: home.home,
    extra: { DENO_DIR: home.env.DENO_DIR!, CLAUDE_NTFY_DENO: Deno.execPath() },
  });
  const inProject = { cwd: project, env };
  try {
    await copyCheckout(checkout);
    await Deno.mkdir(project);
    // Notifications go at once (no 30 s hold for the user to come back): the test waits for
    // them. The plugin's options still beat this file.
    await home.writeConfig("[hooks]\ndelay_secs = 0\n");
    assert.throws(() => Deno.statSync(`${checkout}/dist`), Deno.errors.NotFound);

    await t.step("claude plugin validate --strict passes: no error, no warning", async () => {
      const result = await exec(
        claude.path,
        ["plugin", "validate", "--strict", "--json", checkout],
        inProject,
      );
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      const report = JSON.parse(result.stdout);
      assert.equal(report.success, true);
      for (const part of [report.manifest, ...report.contents]) {
        assert.deepEqual([part.file, part.errors, part.warnings], [part.file, [], []]);
      }
      assert.deepEqual(
        report.provides.hooks.map((hook: { event: string }) => hook.event),
        HOOKED_EVENTS.map((entry) => entry.event),
      );
      assert.deepEqual(report.hosts.declared.plugin, true);
    });

    await t.step("claude plugin marketplace add, then install with options", async () => {
      const added = await exec(claude.path, ["plugin", "marketplace", "add", checkout], inProject);
      assert.equal(added.code, 0, `${added.stdout}\n${added.stderr}`);
      assert.match(added.stdout, /Successfully added marketplace: claude-ntfy/);
      const installed = await exec(claude.path, [
        "plugin",
        "install",
        PLUGIN,
        "--config",
        `topic=${TOPIC}`,
        "--config",
        `token=${TOKEN}`,
        "--config",
        `server=${ntfy.url}`,
      ], inProject);
      assert.equal(installed.code, 0, `${installed.stdout}\n${installed.stderr}`);
      assert.match(installed.stdout, new RegExp(`Successfully installed plugin: ${PLUGIN}`));
      const settings = JSON.parse(await Deno.readTextFile(`${home.home}/.claude/settings.json`));
      assert.deepEqual(settings.enabledPlugins, { [PLUGIN]: true });
      assert.deepEqual(settings.pluginConfigs[PLUGIN].options, { topic: TOPIC, server: ntfy.url });
      assert.ok(
        !JSON.stringify(settings).includes(TOKEN),
        "the token, a sensitive option, is not kept in settings.json",
      );
    });

    await t.step(
      "claude -p runs the plugin's hooks and Stop reaches ntfy with the topic, server and secret token of its options",
      async () => {
        const run = await runClaude(claude.path, ["-p", "Say hello"], {
          ...inProject,
          timeoutMs: 120_000,
        });
        assert.equal(run.code, 0, `claude failed:\n${run.stderr}\n${run.stdout}`);
        assert.equal(run.stdout.trim(), "All done.");
        assert.ok(api.log.requests.some((request) => request.startsWith("POST /v1/messages")));
        const [stopped] = await ntfy.waitForMessages(1, 20_000);
        assert.equal(stopped.topic, TOPIC, "the topic from the plugin's options");
        assert.equal(stopped.authorization, `Bearer ${TOKEN}`, "the secret token option");
        assert.equal(stopped.title, "shop · Say hello: Claude finished");
        // The daemon the first hook started followed the whole session.
        const status = await home.run(["daemon", "status", "--json"]);
        assert.equal(status.code, 0, status.stderr);
        assert.equal(JSON.parse(status.stdout).delivered, 1);
        assert.equal(ntfy.messages.length, 1, "Stop is the only event that notifies by default");
      },
    );

    await t.step("init --install-hooks refuses while the plugin is enabled", async () => {
      const refused = await home.run(["init", "--global", "--install-hooks"]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`the Claude Code plugin ${PLUGIN} is enabled`));
    });

    await t.step(
      "hooks in settings.json as well: every event notifies twice, and doctor says which to remove",
      async () => {
        // As if "claude-ntfy init --install-hooks" had been run before the plugin was installed,
        // with a config file (hooks from settings.json do not get the plugin's options).
        await home.writeConfig(
          `[ntfy]\nserver_url = "${ntfy.url}"\ndefault_topic = "${TOPIC}"\nauth_token = "${TOKEN}"\n` +
            "[hooks]\ndelay_secs = 0\n",
        );
        installHooks({
          settingsPath: `${home.home}/.claude/settings.json`,
          command: `'${checkout}/bin/claude-ntfy' hook`,
          events: HOOKED_EVENTS.map((entry) => entry.event),
        });
        const doctor = await home.run(["doctor", "--json", "--project", project]);
        assert.equal(doctor.code, 1, doctor.stdout);
        const checks = JSON.parse(doctor.stdout).checks as DoctorCheck[];
        const double = check(checks, "hooks-double");
        assert.equal(double?.status, "fail");
        assert.match(double!.fix!, /"claude-ntfy uninstall-hooks --global"/);
        assert.match(double!.fix!, new RegExp(`"claude plugin disable ${PLUGIN}"`));

        const before = ntfy.messages.length;
        const run = await runClaude(claude.path, ["-p", "Say hello again"], {
          ...inProject,
          timeoutMs: 120_000,
        });
        assert.equal(run.code, 0, `claude failed:\n${run.stderr}\n${run.stdout}`);
        // Both hooks ran for every event, but the daemon's sessions merge the second Stop
        // of the session into the first one's notification (one buzz per wait).
        const messages = await ntfy.waitForMessages(before + 1, 20_000);
        await waitFor(async () => {
          const status = await home.run(["daemon", "status", "--json"]);
          const { queueSize, inFlight } = JSON.parse(status.stdout);
          return queueSize === 0 && inFlight === 0;
        }, { what: "the daemon's queue to empty" });
        assert.deepEqual(
          ntfy.messages.slice(before).map((message) => message.title),
          ["shop · Say hello again: Claude finished"],
        );
        assert.equal(messages.length, before + 1);

        const removed = await home.run(["uninstall-hooks", "--global"]);
        assert.equal(removed.code, 0, removed.stderr);
        const after = await home.run(["doctor", "--json", "--project", project]);
        const afterChecks = JSON.parse(after.stdout).checks as DoctorCheck[];
        assert.equal(check(afterChecks, "hooks-double"), undefined);
        assert.equal(check(afterChecks, "plugin")?.status, "ok");
      },
    );
  } finally {
    await stopDaemonOf(home, home.paths.pidPath);
    await home.cleanup();
    await api.close();
    await ntfy.close();
  }
});
