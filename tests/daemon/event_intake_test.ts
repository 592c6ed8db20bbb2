// takeEvent(): what the daemon answers for a raw hook event. Input the hook can fix comes
// back with the input's own code; a configuration that cannot be used is CONFIG_INVALID;
// a skip says why; anything to send is queued through acceptTask under the id given.
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { ErrorCode, type HookContext, type NotificationTask } from "../../protocol/mod.ts";
import { type EventIntake, takeEvent } from "../../daemon/event_intake.ts";
import { TakenEvents } from "../../daemon/taken_events.ts";
import { DaemonError } from "../../daemon/errors.ts";
import { Logger } from "../../daemon/log.ts";
import { ConfigError } from "../../core/config/config_error.ts";
import { memoryConfigFor } from "../support/memory_config_for.ts";

const text = new TextEncoder();
const TOPIC = '[ntfy]\ndefault_topic = "alerts"\n';
const STOP = text.encode(JSON.stringify({ hook_event_name: "Stop", cwd: "/src/webapp" }));

function context(change: Partial<HookContext> = {}): HookContext {
  return { cwd: "/src/webapp", env: {}, receivedAt: 1_750_000_000_000, ...change };
}

/** An intake over an in-memory global config that records what it was asked to queue. */
function intake(globalToml = TOPIC, accept?: EventIntake["acceptTask"]) {
  const accepted: Array<{ task: NotificationTask; id: string | undefined }> = [];
  const logs: string[] = [];
  const { configFor } = memoryConfigFor(globalToml);
  const value: EventIntake = {
    configFor,
    acceptTask: accept ?? ((task, id) => {
      accepted.push({ task, id });
      return Promise.resolve(id ?? `task-${accepted.length}`);
    }),
    log: new Logger({ level: "debug", sink: (line) => logs.push(line) }),
  };
  return { intake: value, accepted, logs };
}

async function assertRefused(
  payload: Uint8Array,
  ctx: HookContext,
  code: string,
  globalToml = TOPIC,
): Promise<DaemonError> {
  const { intake: value, accepted } = intake(globalToml);
  let caught: unknown;
  await rejects(takeEvent(payload, ctx, value), (error) => (caught = error, true));
  ok(caught instanceof DaemonError, `expected a DaemonError, got ${caught}`);
  equal(caught.code, code);
  equal(caught.retryable, false, "the same event will fail the same way");
  equal(accepted.length, 0, "nothing was queued");
  return caught;
}

Deno.test("takeEvent() refuses bad input with the input error's own code", async () => {
  const cases: Array<[string, string, Partial<HookContext>?]> = [
    ["", "EMPTY_INPUT"],
    ["{oops", "INVALID_JSON"],
    ['"Stop"', "NOT_AN_OBJECT"],
    ['{"session_id":"s"}', "NO_EVENT_NAME"],
    ['{"hook_event_name":"rm -rf /"}', "INVALID_EVENT_NAME"],
    ["{}", "INVALID_EVENT_NAME", { hookName: "a b" }],
  ];
  for (const [input, code, change] of cases) {
    const error = await assertRefused(text.encode(input), context(change), code);
    ok(error.message.startsWith("Invalid hook input") || error.message.startsWith("No hook"));
  }
});

Deno.test("takeEvent() answers CONFIG_INVALID for a configuration that cannot be used", async () => {
  const syntax = await assertRefused(STOP, context(), ErrorCode.ConfigInvalid, "[ntfy\n");
  ok(syntax.cause instanceof ConfigError);
  const project = await assertRefused(
    STOP,
    context({ projectConfig: text.encode('[ntfy]\ndefault_priority = "loudest"\n') }),
    ErrorCode.ConfigInvalid,
  );
  ok(project.message.includes("/src/webapp/.claude/ntfy-service/config.toml"), project.message);
  await assertRefused(
    STOP,
    context({ env: { CLAUDE_NTFY_USER: "no-colon" } }),
    ErrorCode.ConfigInvalid,
  );
  const noTopic = await assertRefused(STOP, context(), ErrorCode.ConfigInvalid, "");
  ok(noTopic.message.includes("No ntfy topic"), noTopic.message);
});

Deno.test("takeEvent() answers a skip with its reason and queues nothing", async () => {
  const { intake: value, accepted, logs } = intake(
    `${TOPIC}\n[hooks.events]\nPreToolUse = true\n\n[hooks.filters]\nPreToolUse = ["Bash"]\n`,
  );
  deepStrictEqual(
    await takeEvent(text.encode('{"hook_event_name":"PostToolUse"}'), context(), value),
    { skipped: "PostToolUse is not enabled (set hooks.events.PostToolUse = true)" },
  );
  deepStrictEqual(
    await takeEvent(
      text.encode('{"hook_event_name":"PreToolUse","tool_name":"Read"}'),
      context(),
      value,
    ),
    { skipped: '"Read" is not in hooks.filters.PreToolUse' },
  );
  deepStrictEqual(
    await takeEvent(STOP, context({ env: { CLAUDE_NTFY_ENABLED: "false" } }), value),
    { skipped: "notifications are off (hooks.enabled = false)" },
  );
  equal(accepted.length, 0);
  ok(logs.some((line) => line.includes("event skipped")), logs.join(""));
});

Deno.test("takeEvent() queues the task through acceptTask under the id given", async () => {
  const { intake: value, accepted } = intake();
  deepStrictEqual(
    await takeEvent(STOP, context(), value, "spool-000001700000000000-42-abcdef01"),
    { taskId: "spool-000001700000000000-42-abcdef01" },
  );
  equal(accepted.length, 1);
  equal(accepted[0]!.id, "spool-000001700000000000-42-abcdef01");
  equal(accepted[0]!.task.target.topic, "alerts");
  equal(accepted[0]!.task.origin.event, "Stop");
  equal(accepted[0]!.task.origin.project, "/src/webapp");
  deepStrictEqual(await takeEvent(STOP, context(), value), { taskId: "task-2" });
  equal(accepted[1]!.id, undefined, "without an id the daemon picks one");
});

Deno.test("takeEvent() resolves with the event's own variables and project bytes", async () => {
  const { intake: value, accepted } = intake();
  await takeEvent(
    STOP,
    context({
      env: { CLAUDE_NTFY_TOPIC: "from-env" },
      projectConfig: text.encode("[hooks.priorities]\nStop = 1\n"),
    }),
    value,
  );
  equal(accepted[0]!.task.target.topic, "from-env");
  equal(accepted[0]!.task.message.priority, 1);
});

Deno.test("takeEvent() lets acceptTask's refusal through unchanged", async () => {
  const full = new DaemonError(ErrorCode.QueueFull, "Queue is full", true);
  const { intake: value } = intake(TOPIC, () => Promise.reject(full));
  await rejects(takeEvent(STOP, context(), value), (error) => error === full);
});

Deno.test("takeEvent() logs config and template warnings and still queues", async () => {
  const { intake: value, accepted, logs } = intake(
    `${TOPIC}colour = "blue"\n\n[templates]\nuse_custom = true\n\n[templates.custom_templates]\n` +
      `Stop = "{{#if}}"\n`,
  );
  await takeEvent(STOP, context(), value);
  equal(accepted.length, 1);
  ok(logs.some((line) => line.includes("config") && line.includes("colour")), logs.join(""));
  ok(logs.some((line) => line.includes("template")), logs.join(""));
});

Deno.test("takeEvent() takes an event id once: a copy the hook also spooled is skipped as a duplicate", async () => {
  const { intake: value, accepted } = intake();
  const taken = { ...value, taken: new TakenEvents() };
  const first = await takeEvent(STOP, context({ eventId: "4242.1750000000000" }), taken);
  ok("taskId" in first);
  const copy = await takeEvent(STOP, context({ eventId: "4242.1750000000000" }), taken);
  ok("skipped" in copy && copy.skipped.includes("duplicate"), JSON.stringify(copy));
  const other = await takeEvent(STOP, context({ eventId: "4243.1750000000001" }), taken);
  ok("taskId" in other);
  equal(accepted.length, 2, "the copy queued nothing");
});

Deno.test("takeEvent() gives an event id back when the event could not be taken, so a copy can be", async () => {
  let refuse = true;
  const { intake: value, accepted } = intake(TOPIC, (task, id) => {
    if (refuse) return Promise.reject(new DaemonError(ErrorCode.QueueFull, "Full", true));
    accepted.push({ task, id });
    return Promise.resolve("queued");
  });
  const taken = { ...value, taken: new TakenEvents() };
  await rejects(takeEvent(STOP, context({ eventId: "e1" }), taken), DaemonError);
  refuse = false;
  deepStrictEqual(await takeEvent(STOP, context({ eventId: "e1" }), taken), { taskId: "queued" });
  equal(accepted.length, 1);
});
