// Setting approvals up: `init --approval` and `config set approval.enabled true` make a
// reply topic; `init --install-hooks` gives the PermissionRequest hook a timeout longer
// than the wait and registers the events that show an answer at the terminal; `doctor`
// flags an approval anyone could answer and a hook Claude Code would stop too soon.
import assert from "node:assert/strict";
import { createInitCommand } from "../../../cli/commands/init.ts";
import { configCommand } from "../../../cli/commands/config.ts";
import type { HookLauncher } from "../../../cli/install/hook_command_line.ts";
import { eventsToRegister, hookTimeouts } from "../../../cli/install/install_hooks.ts";
import { approvalChecks, approvalHookChecks } from "../../../cli/install/approval_checks.ts";
import { addHookEntries, findHookEntries } from "../../../cli/install/settings_hooks.ts";
import { defaultConfig } from "../../../core/config/config.ts";
import { loadConfig } from "../../../core/config/load_config.ts";
import { memoryIo, withDirs } from "./_io.ts";

const LAUNCHER = {
  kind: "compiled",
  executable: "/opt/claude-ntfy/claude-ntfy",
} as const satisfies HookLauncher;
const init = createInitCommand({
  findLauncher: () => ({ launcher: LAUNCHER }),
  now: () => new Date("2025-06-01T08:00:00Z"),
});

function approvalOn(timeoutSecs = 90) {
  const config = defaultConfig();
  config.approval.enabled = true;
  config.approval.timeout_secs = timeoutSecs;
  return config;
}

Deno.test("hookTimeouts() lengthens PermissionRequest's 120 s only for a wait that needs it", () => {
  assert.deepEqual(hookTimeouts(defaultConfig()), {});
  assert.deepEqual(hookTimeouts(approvalOn(90)), { PermissionRequest: 120 });
  assert.deepEqual(hookTimeouts(approvalOn(300)), { PermissionRequest: 330 });
});

Deno.test("the events that show an answer at the terminal are registered", () => {
  const events = eventsToRegister(approvalOn());
  for (
    const event of ["PostToolUse", "PostToolUseFailure", "UserPromptSubmit", "Stop", "SessionEnd"]
  ) {
    assert.ok(events.includes(event), event);
  }
});

Deno.test("addHookEntries() writes per-event timeouts and raises a shorter one, never lowers one", () => {
  const text = JSON.stringify({
    hooks: {
      PermissionRequest: [{
        hooks: [{ type: "command", command: "claude-ntfy hook", timeout: 10 }],
      }],
      Stop: [{ hooks: [{ type: "command", command: "claude-ntfy hook", timeout: 5 }] }],
    },
  });
  const first = addHookEntries(text, {
    command: "claude-ntfy hook",
    events: ["PermissionRequest", "Stop", "Notification"],
    timeouts: { PermissionRequest: 150, Notification: 20 },
  });
  assert.deepEqual(first.changes, {
    added: ["Notification"],
    updated: ["PermissionRequest"],
    unchanged: ["Stop"],
  });
  const timeouts = Object.fromEntries(
    findHookEntries(JSON.parse(first.text)).map((hook) => [hook.event, hook.timeout]),
  );
  assert.deepEqual(timeouts, { PermissionRequest: 150, Stop: 5, Notification: 20 });
  const again = addHookEntries(first.text, {
    command: "claude-ntfy hook",
    events: ["PermissionRequest"],
    timeouts: { PermissionRequest: 40 },
  });
  assert.deepEqual(again.changes.unchanged, ["PermissionRequest"], "a longer timeout stays");
  assert.ok(again.text.includes('"timeout":150'));
});

Deno.test("init --approval --install-hooks turns approvals on with a reply topic; the hook's timeout fits the wait", async () => {
  await withDirs(async ({ home, project }) => {
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await init.run(["--approval", "--install-hooks"], io), 0, io.err());
    const configPath = `${project}/.claude/ntfy-service/config.toml`;
    assert.equal((Deno.statSync(configPath).mode ?? 0) & 0o777, 0o600);
    const { config, warnings } = loadConfig({
      homeDir: home,
      projectDir: project,
      env: () => undefined,
    });
    assert.deepEqual(warnings, []);
    assert.equal(config.approval.enabled, true);
    assert.match(config.approval.reply_topic ?? "", /^claude-reply-[a-z2-7]{26}$/);
    assert.notEqual(config.approval.reply_topic, config.ntfy.default_topic);
    assert.match(io.out(), /Approvals are on/);
    const settings = JSON.parse(Deno.readTextFileSync(`${project}/.claude/settings.json`));
    assert.equal(settings.hooks.PermissionRequest[0].hooks[0].timeout, 120);
    assert.equal(settings.hooks.Stop[0].hooks[0].timeout, 10);
  });
});

Deno.test("init --approval on an existing config keeps its topic and turns approvals on in it", async () => {
  await withDirs(async ({ home, project }) => {
    const first = memoryIo({ HOME: home }, project);
    assert.equal(await init.run([], first), 0, first.err());
    const load = () =>
      loadConfig({ homeDir: home, projectDir: project, env: () => undefined }).config;
    const before = load();
    assert.equal(before.approval.enabled, false);
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await init.run(["--approval"], io), 0, io.err());
    const after = load();
    assert.equal(after.ntfy.default_topic, before.ntfy.default_topic);
    assert.equal(after.approval.enabled, true);
    assert.match(after.approval.reply_topic ?? "", /^claude-reply-/);
    assert.match(io.out(), /approvals are on in it \(new reply topic claude-reply-/);
  });
});

Deno.test("config set approval.enabled true makes a reply topic once and says to reinstall the hooks", async () => {
  await withDirs(async ({ home, project }) => {
    const set = async () => {
      const io = memoryIo({ HOME: home }, project);
      assert.equal(await configCommand.run(["set", "approval.enabled", "true"], io), 0, io.err());
      return io.out();
    };
    const first = await set();
    assert.match(first, /approval\.reply_topic = "claude-reply-[a-z2-7]{26}" \(new, random\)/);
    assert.match(first, /over 90, run "claude-ntfy init --install-hooks"/);
    const { config } = loadConfig({ homeDir: home, projectDir: project, env: () => undefined });
    const topic = config.approval.reply_topic;
    const second = await set();
    assert.doesNotMatch(second, /new, random/);
    const again = loadConfig({ homeDir: home, projectDir: project, env: () => undefined }).config;
    assert.equal(again.approval.reply_topic, topic, "the topic stays");
  });
});

Deno.test("approvalChecks(): nothing when off; a warning on a public server without credentials; ok with a token", () => {
  assert.deepEqual(approvalChecks(defaultConfig()), []);
  const open = approvalOn();
  const [warning] = approvalChecks(open);
  assert.equal(warning!.status, "warn");
  assert.match(warning!.title, /anyone who reads your topic can answer/);
  assert.match(warning!.fix ?? "", /reply_token/);
  const withToken = approvalOn();
  withToken.ntfy.auth_token = "tk_main";
  const [ok] = approvalChecks(withToken);
  assert.equal(ok!.status, "ok");
  assert.ok(ok!.details?.some((detail) => detail.includes("approval.reply_token")));
  const selfHosted = approvalOn();
  selfHosted.ntfy.server_url = "https://ntfy.example.com";
  assert.equal(approvalChecks(selfHosted)[0]!.status, "ok");
  const same = approvalOn();
  same.ntfy.default_topic = "claude-same";
  same.approval.reply_topic = "claude-same";
  assert.equal(approvalChecks(same)[0]!.status, "fail");
});

Deno.test("approvalHookChecks() warns when the PermissionRequest hook's timeout is not longer than the wait", () => {
  const hook = { event: "PermissionRequest", command: "claude-ntfy hook", matcher: "" };
  assert.deepEqual(approvalHookChecks(approvalOn(90), [{ ...hook, timeout: 120 }]), []);
  assert.deepEqual(approvalHookChecks(defaultConfig(), [{ ...hook, timeout: 10 }]), []);
  const [warning] = approvalHookChecks(approvalOn(120), [{ ...hook, timeout: 120 }]);
  assert.equal(warning!.status, "warn");
  assert.match(warning!.fix ?? "", /init --install-hooks/);
});
