// The session tracker as a specification, on the captured hook payloads with times given
// by the test: what ends a held notification (the user back at the terminal, Claude going
// on), what does not (a subagent, a tool beside an open dialog, an older event), and which
// notifications would be a second buzz for the same wait.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { HookEvent } from "../../../core/events/hook_event.ts";
import { SessionTracker, type TrackedNotification } from "../../../daemon/sessions/mod.ts";
import { labelFromPrompt } from "../../../daemon/sessions/session_label.ts";
import { fixtureEvent } from "../../support/hook_fixtures.ts";
import { toolCallKey } from "../../../core/events/session_signal.ts";

const SESSION = "2b6f0c1e-8a7d-4c3e-9f10-aa55bb66cc77";
const TARGET = { serverUrl: "https://ntfy.sh", topic: "t" };

function event(name: string, change: Record<string, unknown> = {}): HookEvent {
  const fixture = fixtureEvent(name);
  return { ...fixture, payload: { ...fixture.payload, ...change } };
}

/** A tracker and a clock; `see` observes an event one second after the last. */
function scenario() {
  const tracker = new SessionTracker();
  let at = 1_000_000;
  let next = 0;
  return {
    tracker,
    see(name: string, change: Record<string, unknown> = {}) {
      at += 1_000;
      return tracker.observe(event(name, change), { at, projectDir: "/home/user/webapp" });
    },
    /** Tracks a notification for the last event, as the intake does after queueing it. */
    hold(kind: TrackedNotification["kind"], extra: Partial<TrackedNotification> = {}): string {
      const taskId = `t-${++next}`;
      tracker.track(SESSION, { taskId, kind, target: TARGET, at, ...extra });
      return taskId;
    },
    ended(observation: { ended: readonly TrackedNotification[] }): string[] {
      return observation.ended.map((notification) => notification.taskId);
    },
  };
}

const RM_DIST = toolCallKey("Bash", { command: "rm -rf dist", description: "Clean build output" });

Deno.test("SessionTracker: a dialog answered at the terminal ends its held notification", () => {
  const s = scenario();
  s.see("pre_tool_use_bash.json", { tool_input: { command: "rm -rf dist" } });
  const asked = s.see("permission_request.json");
  equal(asked.session?.state, "waiting_permission");
  deepEqual(s.ended(asked), []);
  const id = s.hold("permission", { toolCall: asked.signal.toolCall });
  equal(asked.signal.toolCall, RM_DIST);
  const ran = s.see("post_tool_use_bash.json", {
    tool_input: { command: "rm -rf dist", description: "Clean build output" },
  });
  deepEqual(s.ended(ran), [id]);
  equal(ran.session?.state, "working");
  deepEqual(s.tracker.get(SESSION)?.notifications, []);
});

Deno.test("SessionTracker: a tool beside an open dialog leaves it; the batch's end closes it", () => {
  const s = scenario();
  const asked = s.see("permission_request.json");
  const id = s.hold("permission", { toolCall: asked.signal.toolCall });
  // A read-only tool of the same batch runs while the dialog waits.
  const beside = s.see("post_tool_use_write.json");
  deepEqual(s.ended(beside), []);
  equal(beside.session?.state, "waiting_permission", "still waiting for the dialog");
  deepEqual(s.ended(s.see("post_tool_batch_denied.json")), [id]);
});

Deno.test("SessionTracker: a prompt, a session resumed or ended by the user ends what waits", () => {
  for (
    const [name, change] of [
      ["user_prompt_submit.json", {}],
      ["session_start_resume.json", {}],
      ["session_end.json", { reason: "prompt_input_exit" }],
      ["pre_compact.json", {}],
    ] as const
  ) {
    const s = scenario();
    s.see("stop.json");
    const id = s.hold("input");
    deepEqual(s.ended(s.see(name, change)), [id], name);
  }
});

Deno.test("SessionTracker: subagents, `claude -p` ending and older events end nothing", () => {
  const s = scenario();
  s.see("stop.json");
  const id = s.hold("input");
  deepEqual(s.ended(s.see("subagent_start.json")), []);
  deepEqual(
    s.ended(s.see("pre_tool_use_bash.json", { agent_id: "a1", agent_type: "Explore" })),
    [],
  );
  deepEqual(s.ended(s.see("subagent_stop.json")), []);
  // `claude -p` ends every run with reason "other": nobody came back.
  deepEqual(s.ended(s.see("session_end.json")), []);
  ok(s.tracker.get(SESSION) !== undefined, "kept: it still holds a notification");
  // An event from before the notification (a spooled one taken in late) does not end it.
  const late = s.tracker.observe(event("user_prompt_submit.json"), { at: 0 });
  deepEqual(s.ended(late), []);
  deepEqual(s.tracker.get(SESSION)?.notifications, [id]);
});

Deno.test("SessionTracker: a subagent's dialog ends with its own tool call's outcome", () => {
  const s = scenario();
  const asked = s.see("permission_request.json", { agent_id: "a1" });
  equal(asked.session?.state, "waiting_permission");
  const id = s.hold("permission", { toolCall: asked.signal.toolCall });
  const other = s.see("post_tool_use_bash.json", { agent_id: "a1" });
  deepEqual(s.ended(other), [], "another call of the subagent");
  const own = s.see("post_tool_use_bash.json", {
    agent_id: "a1",
    tool_input: { command: "rm -rf dist", description: "Clean build output" },
  });
  deepEqual(s.ended(own), [id]);
});

Deno.test("SessionTracker: PermissionRequest and the dialog's Notification are one buzz, either way round", () => {
  const s = scenario();
  s.see("permission_request.json");
  const first = s.hold("permission");
  const notification = s.see("notification_permission.json");
  match(notification.duplicateOf ?? "", new RegExp(`permission dialog \\(task ${first}\\)`));

  const r = scenario();
  equal(r.see("notification_permission.json").duplicateOf, undefined);
  r.hold("permission");
  ok(r.see("permission_request.json").duplicateOf !== undefined);
});

Deno.test("SessionTracker: Stop then idle_prompt is one buzz; idle_prompts repeat once per wait", () => {
  const s = scenario();
  const stop = s.see("stop.json");
  equal(stop.session?.state, "done");
  equal(stop.duplicateOf, undefined);
  s.hold("input");
  const idle = s.see("notification_idle.json");
  ok(idle.duplicateOf !== undefined, "idle_prompt after Stop");
  equal(idle.session?.state, "waiting_input");
  ok(s.see("notification_idle.json").duplicateOf !== undefined, "the reminder repeats");
  // The user answers: a new wait may notify again, once.
  s.see("user_prompt_submit.json");
  equal(s.see("notification_idle.json").duplicateOf, undefined);
  s.hold("input");
  ok(s.see("notification_idle.json").duplicateOf !== undefined);
  // A question is another kind of wait than the idle reminder.
  equal(s.see("notification_elicitation_dialog.json").duplicateOf, undefined);
});

Deno.test("SessionTracker: Stop with background work running leaves the session waiting, not done", () => {
  const s = scenario();
  const stop = s.see("stop_background_tasks.json");
  equal(stop.session?.state, "waiting_input");
  equal(stop.signal.backgroundRunning, 1);
  s.hold("input");
  // The task finishing comes back as a prompt: Claude works again, the wait is over.
  const back = s.see("user_prompt_submit_task_notification.json");
  equal(back.ended.length, 1);
  equal(s.tracker.get(SESSION)?.label, undefined, "a task notification is not the user's prompt");
  equal(s.see("stop.json").session?.state, "done");
});

Deno.test("SessionTracker remembers the label, the last reply and the pending tool call", () => {
  const s = scenario();
  s.see("user_prompt_submit.json", { prompt: "/clear" });
  s.see("user_prompt_submit.json", { prompt: "Fix the **login form** validation, then run tests" });
  s.see("user_prompt_submit.json", { prompt: "A later prompt" });
  s.see("pre_tool_use_bash.json", { tool_input: { command: "npm test" } });
  const asked = s.see("notification_permission.json");
  deepEqual(asked.session, {
    label: "Fix the login form…",
    state: "waiting_permission",
    pendingTool: "$ npm test",
  });
  s.see("stop.json");
  equal(s.tracker.get(SESSION)?.lastMessage, "The shell works: `echo hi` printed hi.");
  s.see("subagent_stop.json");
  equal(
    s.tracker.get(SESSION)?.lastMessage,
    "The shell works: `echo hi` printed hi.",
    "a subagent's reply is not Claude's",
  );
});

Deno.test("SessionTracker keeps at most maxSessions, the least recently active going first", () => {
  const tracker = new SessionTracker({ maxSessions: 3 });
  const stop = (id: string, at: number) =>
    tracker.observe(event("stop.json", { session_id: id }), { at });
  stop("a", 1);
  stop("b", 2);
  stop("c", 3);
  stop("a", 4);
  stop("d", 5);
  equal(tracker.size, 3);
  equal(tracker.get("b"), undefined, "b was the least recently active");
  ok(tracker.get("a") && tracker.get("c") && tracker.get("d"));
});

Deno.test("SessionTracker forgets a session idle for longer than idleMs", () => {
  const tracker = new SessionTracker({ idleMs: 3_600_000 });
  tracker.observe(event("stop.json", { session_id: "old" }), { at: 0 });
  tracker.observe(event("stop.json", { session_id: "new" }), { at: 3_000_000 });
  tracker.observe(event("stop.json", { session_id: "new" }), { at: 3_700_000 });
  equal(tracker.get("old"), undefined);
  ok(tracker.get("new"));
  // A session ended by the user with nothing held is forgotten at once.
  tracker.observe(event("session_end.json", { session_id: "new", reason: "clear" }), {
    at: 3_800_000,
  });
  equal(tracker.get("new"), undefined);
});

Deno.test("SessionTracker.adopt() takes back held tasks after a restart so activity still ends them", () => {
  const tracker = new SessionTracker();
  const task = (event: string, sequenceId?: string) => ({
    target: TARGET,
    message: sequenceId === undefined ? {} : { sequenceId },
    origin: { event, sessionId: SESSION, project: "/home/user/webapp", createdAt: 5_000 },
  });
  tracker.adopt([
    { id: "held-stop", task: task("Stop", "cn-x") },
    { id: "held-note", task: task("Notification", "cn-x") },
    { id: "no-session", task: { ...task("Stop"), origin: { event: "Stop", createdAt: 5_000 } } },
    // An approval's clear, held against a crash: no notification, and nothing may cancel it.
    { id: "held-clear", task: { ...task("PermissionRequest", "perm-1"), operation: "clear" } },
  ]);
  equal(tracker.size, 1);
  deepEqual(tracker.get(SESSION)?.notifications, ["held-stop", "held-note"]);
  // What a Notification waited for was lost: it stands for any kind.
  ok(tracker.observe(event("notification_permission.json"), { at: 6_000 }).duplicateOf);
  const back = tracker.observe(event("user_prompt_submit.json"), { at: 7_000 });
  deepEqual(back.ended.map((n) => [n.taskId, n.sequenceId]), [
    ["held-stop", "cn-x"],
    ["held-note", "cn-x"],
  ]);
});

Deno.test("SessionTracker.serialize() runs one session's work in order, others at once", async () => {
  const tracker = new SessionTracker();
  const order: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const first = tracker.serialize("s", async () => {
    await gate;
    order.push("s1");
  });
  const second = tracker.serialize("s", () => {
    order.push("s2");
    return Promise.resolve();
  });
  await tracker.serialize("other", () => {
    order.push("other");
    return Promise.resolve();
  });
  await tracker.serialize(undefined, () => {
    order.push("none");
    return Promise.resolve();
  });
  deepEqual(order, ["other", "none"], "not held up by session s");
  release();
  await Promise.all([first, second]);
  deepEqual(order, ["other", "none", "s1", "s2"]);
  const failed = tracker.serialize("s", () => Promise.reject(new Error("boom")));
  await failed.catch(() => {});
  let ran = false;
  await tracker.serialize("s", () => Promise.resolve(ran = true));
  ok(ran, "a failure does not stop the session's next work");
});

Deno.test("labelFromPrompt() takes the first words, without Markdown or a slash command", () => {
  equal(
    labelFromPrompt("Fix the **login form** validation, then run tests"),
    "Fix the login form…",
  );
  equal(labelFromPrompt("  deploy  "), "deploy");
  equal(labelFromPrompt("/review the diff"), undefined);
  equal(labelFromPrompt("```\ncode only\n```"), undefined);
  equal(labelFromPrompt("Supercalifragilisticexpialidocious-and-more"), "Supercalifragilisticexp…");
  equal(labelFromPrompt("Clean the build output"), "Clean the build output");
});
