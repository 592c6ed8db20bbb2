// Resolution with sessions in mind: the hold (hooks.delay_secs, hooks.delays, quiet hours),
// one sequence id per session for what waits for the user, Markdown for Stop, subagents
// quiet by default, secrets masked before anything is sent.
import assert from "node:assert/strict";
import { type Config, defaultConfig } from "../../../core/config/mod.ts";
import { type HookEvent, resolveNotification } from "../../../core/events/mod.ts";
import { holdUntil, parseQuietHours, quietHoursEnd } from "../../../core/events/hold_until.ts";
import { sessionSequenceId } from "../../../core/events/session_sequence_id.ts";
import { fixtureEvent } from "../../support/hook_fixtures.ts";

/** 2026-03-10 15:00 local time: outside "22:00-07:00". */
const AFTERNOON = new Date(2026, 2, 10, 15, 0, 0).getTime();
const SESSION = "2b6f0c1e-8a7d-4c3e-9f10-aa55bb66cc77";

function configured(change: (config: Config) => void = () => {}): Config {
  const config = defaultConfig();
  config.ntfy.default_topic = "claude-topic";
  change(config);
  return config;
}

function task(event: HookEvent | string, config = configured(), now = AFTERNOON) {
  const result = resolveNotification(
    typeof event === "string" ? fixtureEvent(event) : event,
    config,
    { projectDir: "/home/user/webapp", now },
  );
  if (result.kind !== "send") throw new Error(`skipped: ${result.reason}`);
  return result.task;
}

function with_(name: string, change: Record<string, unknown>): HookEvent {
  const event = fixtureEvent(name);
  return { ...event, payload: { ...event.payload, ...change } };
}

Deno.test("resolveNotification() holds a notification hooks.delay_secs, or its event's delay", () => {
  assert.equal(task("stop.json").notBefore, AFTERNOON + 30_000);
  const short = configured((c) => {
    c.hooks.delay_secs = 0.3;
    c.hooks.delays.PermissionRequest = 5;
    c.hooks.delays.Stop = 0;
  });
  assert.equal(task("notification_idle.json", short).notBefore, AFTERNOON + 300);
  assert.equal(task("permission_request.json", short).notBefore, AFTERNOON + 5_000);
  assert.equal(task("stop.json", short).notBefore, undefined, "0 sends at once");
});

Deno.test("resolveNotification() waits out quiet hours, except at priority 5", () => {
  const night = new Date(2026, 2, 10, 23, 30).getTime();
  const quiet = configured((c) => {
    c.hooks.quiet_hours = "22:00-07:00";
    c.hooks.delay_secs = 0;
  });
  assert.equal(task("stop.json", quiet, night).notBefore, new Date(2026, 2, 11, 7, 0).getTime());
  assert.equal(task("stop.json", quiet, AFTERNOON).notBefore, undefined);
  const urgent = configured((c) => {
    c.hooks.quiet_hours = "22:00-07:00";
    c.hooks.delay_secs = 0;
    c.hooks.priorities.Stop = 5;
  });
  assert.equal(task("stop.json", urgent, night).notBefore, undefined);
  // The hold's end, not the event, decides: 21:59:50 + 30 s falls in the quiet hours.
  const late = new Date(2026, 2, 10, 21, 59, 50).getTime();
  const held = configured((c) => (c.hooks.quiet_hours = "22:00-07:00"));
  assert.equal(task("stop.json", held, late).notBefore, new Date(2026, 2, 11, 7, 0).getTime());
});

Deno.test("quietHoursEnd() handles ranges within a day and across midnight", () => {
  const wrap = parseQuietHours("22:00-07:00")!;
  const day = parseQuietHours("12:30-14:00")!;
  const at = (h: number, m = 0) => new Date(2026, 5, 1, h, m).getTime();
  assert.equal(quietHoursEnd(wrap, at(23)), new Date(2026, 5, 2, 7, 0).getTime());
  assert.equal(quietHoursEnd(wrap, at(3)), at(7));
  assert.equal(quietHoursEnd(wrap, at(7)), undefined, "the end is not quiet");
  assert.equal(quietHoursEnd(wrap, at(21, 59)), undefined);
  assert.equal(quietHoursEnd(day, at(13)), at(14));
  assert.equal(quietHoursEnd(day, at(14, 1)), undefined);
  assert.equal(parseQuietHours(""), undefined);
  assert.throws(() => parseQuietHours("10pm-7am"), SyntaxError);
  assert.equal(
    holdUntil({ hooks: { delay_secs: 0, delays: {} }, event: "Stop", now: 5, priority: 3 }),
    undefined,
  );
});

Deno.test("resolveNotification() gives what waits for the user its session's sequence id", () => {
  const id = sessionSequenceId(SESSION);
  assert.match(id, /^cn-[0-9a-z]{11}$/);
  assert.equal(sessionSequenceId(SESSION), id, "stable");
  assert.notEqual(sessionSequenceId(`${SESSION}x`), id);
  for (const name of ["permission_request.json", "notification_idle.json", "stop.json"]) {
    assert.equal(task(name).message.sequenceId, id, name);
  }
  assert.equal(task("post_tool_use_failure.json").message.sequenceId, undefined);
  assert.equal(task("notification_auth_success.json").message.sequenceId, undefined);
  const { session_id: _, ...anonymous } = fixtureEvent("stop.json").payload;
  assert.equal(
    task({ name: "Stop", payload: anonymous, truncated: false }).message.sequenceId,
    undefined,
  );
});

Deno.test("resolveNotification() sends Stop as Markdown", () => {
  assert.equal(task("stop.json").message.markdown, true);
  assert.equal(task("permission_request.json").message.markdown, undefined);
});

Deno.test("resolveNotification() leaves subagents quiet unless hooks.notify_subagents", () => {
  const subagentTool = with_("post_tool_use_failure.json", {
    agent_id: "a1",
    agent_type: "Explore",
  });
  const skipped = resolveNotification(subagentTool, configured(), { now: AFTERNOON });
  assert.equal(skipped.kind, "skip");
  assert.match(skipped.kind === "skip" ? skipped.reason : "", /subagent.*notify_subagents/);
  task(subagentTool, configured((c) => (c.hooks.notify_subagents = true)));
  // A dialog waits for the user whoever asked.
  task(with_("permission_request.json", { agent_id: "a1" }));
  // SubagentStop is off by default (hooks.events); turned on, it notifies.
  const stops = configured((c) => (c.hooks.events.SubagentStop = true));
  assert.match(task("subagent_stop.json", stops).message.body, /LoginForm\.tsx/);
});

Deno.test("resolveNotification() masks secrets unless redact.enabled is off", () => {
  const event = with_("permission_request.json", {
    tool_input: { command: "curl -H 'Authorization: Bearer tk_9fKz2LmQ7xYw' https://x" },
  });
  const masked = task(event);
  assert.match(masked.message.body, /Bearer \*\*\*/);
  assert.doesNotMatch(masked.message.body, /tk_9fKz/);
  const extra = configured((c) => (c.redact.patterns = ["https://x"]));
  assert.match(task(event, extra).message.body, /Bearer \*\*\*' \*\*\*/);
  const raw = task(event, configured((c) => (c.redact.enabled = false)));
  assert.match(raw.message.body, /tk_9fKz2LmQ7xYw/);
  const token = configured((c) => (c.ntfy.auth_token = "tk_configured0"));
  const leaked = with_("stop.json", { last_assistant_message: "I used tk_configured0 there" });
  assert.doesNotMatch(task(leaked, token).message.body, /tk_configured0/);
});
