// resolveHookEvent(): the one resolution of a raw event, run by the daemon for every event
// and by `hook --dry-run` locally. Bad input fails with a typed error before any
// configuration is loaded; the project comes from the hook's context or the payload.
import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import type { HookContext } from "../../../protocol/mod.ts";
import { validateTask } from "../../../protocol/mod.ts";
import { resolveHookEvent } from "../../../core/events/resolve_hook_event.ts";
import { HookInputError } from "../../../core/events/hook_input_error.ts";
import { ConfigError } from "../../../core/config/config_error.ts";
import { memoryConfigFor } from "../../support/memory_config_for.ts";
import { fixtureBytes } from "../../support/hook_fixtures.ts";

const text = new TextEncoder();
const TOPIC = '[ntfy]\ndefault_topic = "alerts"\n';
const RECEIVED_AT = 1_750_000_000_000;

function context(change: Partial<HookContext> = {}): HookContext {
  return { cwd: "/work/shell", env: {}, receivedAt: RECEIVED_AT, ...change };
}

function json(value: unknown): Uint8Array {
  return text.encode(JSON.stringify(value));
}

function assertInputError(payload: Uint8Array, code: string, ctx = context()): void {
  const { configFor, calls } = memoryConfigFor(TOPIC);
  throws(
    () => resolveHookEvent(payload, ctx, configFor),
    (error) => error instanceof HookInputError && error.code === code,
    `expected ${code}`,
  );
  equal(calls.length, 0, "no configuration is loaded for input that is no event");
}

Deno.test("resolveHookEvent() turns bad input into HookInputError with its code", () => {
  assertInputError(new Uint8Array(), "EMPTY_INPUT");
  assertInputError(text.encode(" \n\t"), "EMPTY_INPUT");
  assertInputError(text.encode("not json"), "INVALID_JSON");
  assertInputError(text.encode('{"hook_event_name":"Stop",'), "INVALID_JSON");
  assertInputError(text.encode("[1,2]"), "NOT_AN_OBJECT");
  assertInputError(text.encode("null"), "NOT_AN_OBJECT");
  assertInputError(json({ session_id: "s1" }), "NO_EVENT_NAME");
  assertInputError(json({ hook_event_name: "../../etc/passwd" }), "INVALID_EVENT_NAME");
  assertInputError(json({}), "INVALID_EVENT_NAME", context({ hookName: "not a name" }));
});

Deno.test("resolveHookEvent() takes the event name from the context when the payload has none", () => {
  const { configFor } = memoryConfigFor(TOPIC);
  const { event, resolution } = resolveHookEvent(
    json({ message: "hi" }),
    context({ hookName: "Stop" }),
    configFor,
  );
  equal(event.name, "Stop");
  equal(resolution.kind, "send");
  const named = resolveHookEvent(
    json({ hook_event_name: "Notification", message: "hi" }),
    context({ hookName: "Stop" }),
    configFor,
  );
  equal(named.event.name, "Notification", "the payload's name wins over the context's");
});

Deno.test("resolveHookEvent() recovers an event cut at the size limit when the context says so", () => {
  const { configFor } = memoryConfigFor(TOPIC);
  const cut = text.encode('{"hook_event_name":"Notification","message":"Claude needs you","x":"');
  assertInputError(cut, "INVALID_JSON");
  const { event, resolution } = resolveHookEvent(cut, context({ truncated: true }), configFor);
  equal(event.name, "Notification");
  equal(event.truncated, true);
  equal(event.payload.message, "Claude needs you");
  equal(resolution.kind, "send");
});

Deno.test("resolveHookEvent() asks for the configuration of the context's project first, then the payload's cwd, then the cwd", () => {
  const { configFor, calls } = memoryConfigFor(TOPIC);
  const payload = json({ hook_event_name: "Stop", cwd: "/src/from-payload/" });
  equal(
    resolveHookEvent(payload, context({ projectDir: "/src/from-flag" }), configFor).projectDir,
    "/src/from-flag",
  );
  equal(resolveHookEvent(payload, context(), configFor).projectDir, "/src/from-payload");
  equal(
    resolveHookEvent(json({ hook_event_name: "Stop" }), context(), configFor).projectDir,
    "/work/shell",
  );
  equal(
    resolveHookEvent(json({ hook_event_name: "Stop", cwd: "sub" }), context(), configFor)
      .projectDir,
    "/work/shell/sub",
    "a relative cwd is taken from the hook's cwd",
  );
  deepStrictEqual(calls.map((call) => call.projectDir), [
    "/src/from-flag",
    "/src/from-payload",
    "/work/shell",
    "/work/shell/sub",
  ]);
});

Deno.test("resolveHookEvent() resolves a task with the configuration for the event", () => {
  const { configFor, calls } = memoryConfigFor(TOPIC);
  const ctx = context({
    env: { CLAUDE_NTFY_TOPIC: "from-env" },
    projectConfig: text.encode("[hooks.priorities]\nStop = 5\n"),
  });
  const { event, resolution, configWarnings } = resolveHookEvent(
    fixtureBytes("stop.json"),
    ctx,
    configFor,
  );
  equal(event.name, "Stop");
  deepStrictEqual(configWarnings, []);
  equal(calls.length, 1);
  equal(calls[0]!.context, ctx, "the whole context is handed to the configuration");
  ok(resolution.kind === "send");
  deepStrictEqual(validateTask(resolution.task), resolution.task);
  equal(resolution.task.target.topic, "from-env");
  equal(resolution.task.message.priority, 5);
  equal(resolution.task.origin.createdAt, RECEIVED_AT, "the time is when the hook read it");
  equal(resolution.task.origin.event, "Stop");
});

Deno.test("resolveHookEvent() says why an event sends nothing", () => {
  const { configFor } = memoryConfigFor(
    `${TOPIC}\n[hooks.events]\nPreToolUse = true\n\n[hooks.filters]\nPreToolUse = ["!Bash"]\n`,
  );
  const reason = (payload: Uint8Array, ctx = context()) => {
    const { resolution } = resolveHookEvent(payload, ctx, configFor);
    ok(resolution.kind === "skip", "expected a skip");
    return resolution.reason;
  };
  equal(
    reason(json({ hook_event_name: "PostToolUse", tool_name: "Write" })),
    "PostToolUse is not enabled (set hooks.events.PostToolUse = true)",
  );
  equal(
    reason(json({ hook_event_name: "PreToolUse", tool_name: "Bash" })),
    '"Bash" is excluded by hooks.filters.PreToolUse ("!Bash")',
  );
  equal(
    reason(json({ hook_event_name: "Stop" }), context({ env: { CLAUDE_NTFY_ENABLED: "0" } })),
    "notifications are off (hooks.enabled = false)",
  );
});

Deno.test("resolveHookEvent() passes configuration errors and warnings through", () => {
  const broken = memoryConfigFor("[ntfy\n");
  throws(
    () => resolveHookEvent(json({ hook_event_name: "Stop" }), context(), broken.configFor),
    (error) => error instanceof ConfigError && error.code === "CONFIG_SYNTAX",
  );
  const noTopic = memoryConfigFor();
  throws(
    () => resolveHookEvent(json({ hook_event_name: "Stop" }), context(), noTopic.configFor),
    (error) => error instanceof ConfigError && error.code === "CONFIG_NO_TOPIC",
  );
  const unknownKey = memoryConfigFor(`${TOPIC}colour = "blue"\n`);
  const { configWarnings } = resolveHookEvent(
    json({ hook_event_name: "Stop" }),
    context(),
    unknownKey.configFor,
  );
  equal(configWarnings.length, 1);
  ok(configWarnings[0]!.includes("colour"), configWarnings[0]);
});
