import assert from "node:assert/strict";
import { validateTask } from "../../../protocol/mod.ts";
import { type Config, ConfigError, defaultConfig } from "../../../core/config/mod.ts";
import { type HookEvent, resolveNotification } from "../../../core/events/mod.ts";
import { fixtureEvent, fixtureNames } from "../../support/hook_fixtures.ts";

const CONTEXT = { projectDir: "/home/user/webapp", now: 1_750_000_000_000 };

function configured(change: (config: Config) => void = () => {}): Config {
  const config = defaultConfig();
  config.ntfy.default_topic = "claude-topic";
  change(config);
  return config;
}

function send(event: HookEvent, config: Config) {
  const result = resolveNotification(event, config, CONTEXT);
  assert.equal(result.kind, "send", result.kind === "skip" ? result.reason : "");
  if (result.kind !== "send") throw new Error("unreachable");
  assert.deepEqual(validateTask(result.task), result.task, "the task passes protocol validation");
  return result;
}

function skipReason(event: HookEvent, config: Config): string {
  const result = resolveNotification(event, config, CONTEXT);
  assert.equal(result.kind, "skip");
  return result.kind === "skip" ? result.reason : "";
}

function tool(name: string, toolName: string): HookEvent {
  return {
    name,
    payload: { hook_event_name: name, tool_name: toolName, tool_input: { command: "x" } },
    truncated: false,
  };
}

Deno.test("resolveNotification() by default notifies for waiting, Stop and failures only", () => {
  const on = [
    "notification_auth_success.json",
    "notification_elicitation_dialog.json",
    "notification_idle.json",
    "notification_permission.json",
    "permission_request.json",
    "post_tool_use_failure.json",
    "stop.json",
    "stop_background_tasks.json",
  ];
  for (const name of fixtureNames()) {
    const result = resolveNotification(fixtureEvent(name), configured(), CONTEXT);
    assert.equal(result.kind, on.includes(name) ? "send" : "skip", name);
  }
  const unknown = { name: "PermissionDenied", payload: {}, truncated: false };
  assert.match(skipReason(unknown, configured()), /PermissionDenied is not enabled/);
});

Deno.test("resolveNotification() gives waiting events high priority and Stop the default", () => {
  const priority = (name: string) => send(fixtureEvent(name), configured()).task.message.priority;
  assert.equal(priority("notification_permission.json"), 4);
  assert.equal(priority("notification_idle.json"), 4);
  assert.equal(priority("permission_request.json"), 4);
  assert.equal(priority("stop.json"), 3);
  assert.equal(priority("post_tool_use_failure.json"), 3);
  assert.equal(priority("notification_elicitation_dialog.json"), 4);
  assert.equal(priority("notification_auth_success.json"), 3);
  const decisions = configured((config) => (config.hooks.decision_hook_priority = 5));
  assert.equal(send(fixtureEvent("permission_request.json"), decisions).task.message.priority, 5);
});

Deno.test("resolveNotification() builds the whole task", () => {
  const { task, warnings } = send(fixtureEvent("permission_request.json"), configured());
  assert.deepEqual(warnings, []);
  assert.deepEqual(task.target, {
    serverUrl: "https://ntfy.sh",
    topic: "claude-topic",
    sendFormat: "json",
    timeoutSecs: 10,
  });
  assert.equal(task.message.title, "webapp · 2b6f0c1e: allow Bash?");
  assert.match(task.message.body, /\$ rm -rf dist/);
  assert.deepEqual(task.message.tags, ["warning"]);
  assert.match(task.message.sequenceId ?? "", /^cn-[0-9a-z]{11}$/);
  assert.equal(task.message.markdown, undefined);
  assert.equal(task.notBefore, CONTEXT.now + 30_000, "held hooks.delay_secs (30 s)");
  assert.deepEqual(task.origin, {
    event: "PermissionRequest",
    project: "/home/user/webapp",
    sessionId: "2b6f0c1e-8a7d-4c3e-9f10-aa55bb66cc77",
    createdAt: CONTEXT.now,
  });
});

Deno.test("resolveNotification() honours hooks.enabled and hooks.events", () => {
  const off = configured((config) => (config.hooks.enabled = false));
  assert.match(skipReason(fixtureEvent("stop.json"), off), /hooks\.enabled = false/);
  const noStop = configured((config) => (config.hooks.events.Stop = false));
  assert.match(skipReason(fixtureEvent("stop.json"), noStop), /Stop is not enabled/);
  const pre = configured((config) => (config.hooks.events.PreToolUse = true));
  const result = send(fixtureEvent("pre_tool_use_bash.json"), pre);
  assert.equal(result.task.message.priority, 2, "chatty events are low priority when enabled");
  const all = configured((config) => (config.hooks.events["*"] = true));
  send({ name: "Setup", payload: {}, truncated: false }, all);
});

Deno.test("resolveNotification() applies tool filters: '!' excludes, names include, empty allows all", () => {
  const config = configured((c) => {
    c.hooks.events.PreToolUse = true;
    c.hooks.events.PostToolUse = true;
    c.hooks.filters.PreToolUse = ["!Read", "!Grep"];
    c.hooks.filters.PostToolUse = ["Write", "Edit", "mcp__github__*"];
  });
  assert.match(
    skipReason(tool("PreToolUse", "Read"), config),
    /"Read" is excluded by hooks\.filters\.PreToolUse/,
  );
  send(tool("PreToolUse", "Bash"), config);
  send(tool("PostToolUse", "Edit"), config);
  send(tool("PostToolUse", "mcp__github__create_issue"), config);
  assert.match(
    skipReason(tool("PostToolUse", "Bash"), config),
    /"Bash" is not in hooks\.filters\.PostToolUse/,
  );
  config.hooks.filters.PostToolUse = [];
  send(tool("PostToolUse", "Bash"), config);
});

Deno.test("resolveNotification() lets waiting events bypass filters unless told otherwise", () => {
  const config = configured((c) => (c.hooks.filters.PermissionRequest = ["!Bash"]));
  send(fixtureEvent("permission_request.json"), config);
  config.hooks.never_filter_decision_hooks = false;
  assert.match(skipReason(fixtureEvent("permission_request.json"), config), /excluded/);
});

Deno.test("resolveNotification() filters Notification by notification_type", () => {
  const config = configured((c) => {
    c.hooks.never_filter_decision_hooks = false;
    c.hooks.filters.Notification = ["!idle_prompt"];
  });
  assert.match(skipReason(fixtureEvent("notification_idle.json"), config), /idle_prompt/);
  send(fixtureEvent("notification_permission.json"), config);
});

Deno.test("resolveNotification() uses per-event topic and priority", () => {
  const config = configured((c) => {
    c.hooks.topics.Stop = "claude-done";
    c.hooks.priorities.Stop = 1;
    c.hooks.priorities.Notification = 5;
  });
  const stop = send(fixtureEvent("stop.json"), config).task;
  assert.equal(stop.target.topic, "claude-done");
  assert.equal(stop.message.priority, 1);
  assert.equal(send(fixtureEvent("notification_idle.json"), config).task.message.priority, 5);
  assert.equal(
    send(fixtureEvent("permission_request.json"), config).task.target.topic,
    "claude-topic",
  );
});

Deno.test("resolveNotification() takes the server from a per-event topic URL", () => {
  const config = configured((c) => (c.hooks.topics.Stop = "https://ntfy.example.com/done"));
  const { target } = send(fixtureEvent("stop.json"), config).task;
  assert.equal(target.serverUrl, "https://ntfy.example.com");
  assert.equal(target.topic, "done");
});

Deno.test("resolveNotification() sends a token as bearer auth and a user as basic auth", () => {
  const token = configured((c) => {
    c.ntfy.auth_token = "tk_abc";
    c.ntfy.username = "alice";
    c.ntfy.password = "pw";
  });
  assert.deepEqual(send(fixtureEvent("stop.json"), token).task.target.auth, {
    type: "bearer",
    token: "tk_abc",
  });
  const basic = configured((c) => {
    c.ntfy.username = "alice";
    c.ntfy.password = "pw";
  });
  assert.deepEqual(send(fixtureEvent("stop.json"), basic).task.target.auth, {
    type: "basic",
    username: "alice",
    password: "pw",
  });
});

Deno.test("resolveNotification() adds default tags, send format, timeout and a click template", () => {
  const config = configured((c) => {
    c.ntfy.default_tags = ["robot", "white_check_mark"];
    c.ntfy.send_format = "text";
    c.ntfy.timeout_secs = 30;
    c.ntfy.click = "vscode://file{{project_dir}}";
  });
  const { task } = send(fixtureEvent("stop.json"), config);
  assert.deepEqual(task.message.tags, ["white_check_mark", "robot"]);
  assert.equal(task.target.sendFormat, "text");
  assert.equal(task.target.timeoutSecs, 30);
  assert.equal(task.message.click, "vscode://file/home/user/webapp");
});

Deno.test("resolveNotification() reports a broken custom template as a warning and still sends", () => {
  const config = configured((c) => {
    c.templates.use_custom = true;
    c.templates.custom_templates.Stop = "{{#if}}";
    c.ntfy.click = "{{#if x}}";
  });
  const result = send(fixtureEvent("stop.json"), config);
  assert.equal(result.warnings.length, 2);
  assert.match(result.task.message.body, /printed hi/);
  assert.equal(result.task.message.click, undefined);
});

Deno.test("resolveNotification() fails with CONFIG_NO_TOPIC when there is nowhere to send", () => {
  assert.throws(
    () => resolveNotification(fixtureEvent("stop.json"), defaultConfig(), CONTEXT),
    (error) => error instanceof ConfigError && error.code === "CONFIG_NO_TOPIC",
  );
  const skipped = resolveNotification(fixtureEvent("session_start.json"), defaultConfig(), CONTEXT);
  assert.equal(skipped.kind, "skip", "a disabled event needs no topic");
});

Deno.test("resolveNotification() puts ntfy.sequence on the target unless it is the default auto", () => {
  const auto = send(fixtureEvent("stop.json"), configured(() => {}));
  assert.equal("sequence" in auto.task.target, false);
  for (const mode of ["on", "off"] as const) {
    const { task } = send(fixtureEvent("stop.json"), configured((c) => c.ntfy.sequence = mode));
    assert.equal(task.target.sequence, mode);
  }
});
