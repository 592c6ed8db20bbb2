// takeEvent() with sessions: what the daemon decides and queues for a session's events,
// with a queue that records tasks and says whether a cancelled one was still held. Event
// times are the hooks' (context.receivedAt), so no clock is read and nothing sleeps.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { HookContext, NotificationTask } from "../../protocol/mod.ts";
import { type EventIntake, LATE_HOLD_MS, takeEvent } from "../../daemon/event_intake.ts";
import { Logger } from "../../daemon/log.ts";
import { SessionTracker } from "../../daemon/sessions/mod.ts";
import { sessionSequenceId } from "../../core/events/session_sequence_id.ts";
import { memoryConfigFor } from "../support/memory_config_for.ts";
import { fixtureBytes } from "../support/hook_fixtures.ts";

const SESSION = "2b6f0c1e-8a7d-4c3e-9f10-aa55bb66cc77";
const T0 = new Date(2026, 2, 10, 15, 0, 0).getTime();

/**
 * An intake over an in-memory config and a queue that holds every task with a `notBefore`
 * until `send()` (as if its time came) and sends the others at once.
 */
function daemon(toml = "", now?: () => number) {
  const { configFor } = memoryConfigFor(`[ntfy]\ndefault_topic = "alerts"\n${toml}`);
  const accepted: Array<{ id: string; task: NotificationTask }> = [];
  const held = new Set<string>();
  const cancelled: string[] = [];
  const sessions = new SessionTracker();
  const intake: EventIntake = {
    configFor,
    acceptTask(task, id) {
      const taskId = id ?? `task-${accepted.length + 1}`;
      accepted.push({ id: taskId, task });
      if (task.notBefore !== undefined) held.add(taskId);
      return Promise.resolve(taskId);
    },
    log: new Logger({ level: "error", sink: () => {} }),
    sessions,
    cancelTask(id) {
      if (!held.delete(id)) return Promise.resolve(false);
      cancelled.push(id);
      return Promise.resolve(true);
    },
    // A live daemon: its clock reads the time of the event it takes in.
    now: now ?? (() => at),
  };
  let at = T0;
  return {
    accepted,
    cancelled,
    sessions,
    held,
    /** Sends the held tasks, as if their time came. */
    send: () => held.clear(),
    /** One hook event, one second after the previous one. */
    async event(name: string, change: Record<string, unknown> = {}) {
      at += 1_000;
      const payload = { ...JSON.parse(new TextDecoder().decode(fixtureBytes(name))), ...change };
      const context: HookContext = { cwd: "/home/user/webapp", env: {}, receivedAt: at };
      return await takeEvent(new TextEncoder().encode(JSON.stringify(payload)), context, intake);
    },
  };
}

const publishes = (tasks: ReadonlyArray<{ task: NotificationTask }>) =>
  tasks.filter(({ task }) => (task.operation ?? "publish") === "publish");

Deno.test("takeEvent() holds a dialog's notification and cancels it when the user answers at the terminal", async () => {
  const d = daemon();
  await d.event("pre_tool_use_bash.json", { tool_input: { command: "rm -rf dist" } });
  const asked = await d.event("permission_request.json");
  ok("taskId" in asked);
  const [{ task }] = d.accepted;
  equal(task.notBefore, T0 + 2_000 + 30_000, "held 30 s from the event");
  equal(task.message.sequenceId, sessionSequenceId(SESSION));
  const answered = await d.event("post_tool_use_bash.json", {
    tool_input: { command: "rm -rf dist", description: "Clean build output" },
  });
  deepEqual(answered, {
    skipped: "PostToolUse is not enabled (set hooks.events.PostToolUse = true) " +
      "(cancelled 1 held notification: the session is active)",
  });
  deepEqual(d.cancelled, [asked.taskId]);
  equal(d.accepted.length, 1, "no clear: it was never sent");
});

Deno.test("takeEvent() asks ntfy to clear a notification already sent when the user comes back", async () => {
  const d = daemon("[hooks]\ndelay_secs = 0\n");
  await d.event("stop.json");
  equal(d.accepted[0]!.task.notBefore, undefined, "0 sends at once");
  d.send();
  await d.event("notification_idle.json");
  const back = await d.event("user_prompt_submit.json");
  match("skipped" in back ? back.skipped : "", /cleared 1 sent one: the session is active/);
  const clear = d.accepted.at(-1)!.task;
  deepEqual(
    { operation: clear.operation, sequenceId: clear.message.sequenceId, body: clear.message.body },
    { operation: "clear", sequenceId: sessionSequenceId(SESSION), body: "" },
  );
  equal(clear.notBefore, undefined, "a clear never waits");
  equal(publishes(d.accepted).length, 1, "the idle reminder was merged into the Stop");
  // Nothing more to clear on the next activity.
  await d.event("pre_tool_use_bash.json");
  equal(d.accepted.length, 2);
});

Deno.test("takeEvent() merges PermissionRequest and the dialog's Notification into one", async () => {
  const d = daemon();
  await d.event("permission_request.json");
  const second = await d.event("notification_permission.json");
  match(
    "skipped" in second ? second.skipped : "",
    /^merged: the session already has a notification for this permission dialog/,
  );
  equal(publishes(d.accepted).length, 1);
});

Deno.test("takeEvent() sends Stop's reply once; idle reminders merge until the user is back", async () => {
  const d = daemon();
  await d.event("stop.json");
  for (let i = 0; i < 3; i++) {
    const idle = await d.event("notification_idle.json");
    ok("skipped" in idle && idle.skipped.startsWith("merged"), JSON.stringify(idle));
  }
  equal(publishes(d.accepted).length, 1);
  const stop = d.accepted[0]!.task;
  equal(stop.message.body, "The shell works: `echo hi` printed hi.");
  equal(stop.message.markdown, true);
  equal(stop.message.title, "webapp · 2b6f0c1e: Claude finished");
  // Back at the terminal: the held Stop is dropped, and the next wait notifies again.
  await d.event("user_prompt_submit.json");
  deepEqual(d.cancelled, [d.accepted[0]!.id]);
  await d.event("notification_idle.json");
  equal(publishes(d.accepted).length, 2);
  equal(d.accepted[1]!.task.message.title, "webapp · Check that the shell…: waiting for you");
});

Deno.test("takeEvent() says paused, not finished, while background tasks run", async () => {
  const d = daemon();
  await d.event("stop_background_tasks.json");
  const { task } = d.accepted[0]!;
  equal(task.message.title, "webapp · 2b6f0c1e: paused, 1 background task running");
  deepEqual(task.message.tags, ["hourglass_flowing_sand"]);
  // The task finishes (it comes back as a prompt): the pause is over before anyone saw it.
  await d.event("user_prompt_submit_task_notification.json");
  deepEqual(d.cancelled, [d.accepted[0]!.id]);
  await d.event("stop.json");
  equal(d.accepted.at(-1)!.task.message.title, "webapp · 2b6f0c1e: Claude finished");
});

Deno.test("takeEvent() keeps subagents quiet and lets them end nothing", async () => {
  const d = daemon("[hooks.events]\nSubagentStop = false\n");
  await d.event("stop.json");
  const sub = { agent_id: "a9e5b0a12e7e83431", agent_type: "Explore" };
  const failure = await d.event("post_tool_use_failure.json", sub);
  match("skipped" in failure ? failure.skipped : "", /comes from a subagent/);
  await d.event("subagent_stop.json");
  equal(d.accepted.length, 1, "only the main agent's Stop");
  deepEqual(d.cancelled, [], "the Stop is still held");
});

Deno.test("headless: PermissionRequest then PostToolBatch within milliseconds sends nothing", async () => {
  const d = daemon();
  await d.event("user_prompt_submit.json");
  await d.event("pre_tool_use_bash.json");
  await d.event("permission_request.json");
  await d.event("post_tool_batch_denied.json");
  deepEqual(d.cancelled, [d.accepted[0]!.id]);
  equal(d.held.size, 0);
});

Deno.test("takeEvent() holds an event taken in late up to LATE_HOLD_MS from now", async () => {
  const late = T0 + 3_600_000;
  const d = daemon("[hooks]\ndelay_secs = 5\n", () => late);
  await d.event("permission_request.json");
  equal(d.accepted[0]!.task.notBefore, late + LATE_HOLD_MS);
  const prompt = daemon("[hooks]\ndelay_secs = 0.3\n", () => late);
  await prompt.event("stop.json");
  equal(prompt.accepted[0]!.task.notBefore, late + 300, "a shorter hold stays as short");
  const live = daemon("[hooks]\ndelay_secs = 5\n", () => T0 + 1_010);
  await live.event("stop.json");
  equal(live.accepted[0]!.task.notBefore, T0 + 1_000 + 5_000, "on time: the hold as it is");
});

Deno.test("takeEvent() masks a secret in the command and the prompt before it is queued", async () => {
  const d = daemon("[hooks]\ndelay_secs = 0\n");
  await d.event("user_prompt_submit.json", { prompt: "TOKEN=hunter2 deploy it" });
  await d.event("permission_request.json", {
    tool_input: { command: "curl -u deploy:S3cr3tPass https://api.example.com/release" },
  });
  const { task } = d.accepted[0]!;
  equal(task.message.title, "webapp · TOKEN=*** deploy it: allow Bash?");
  match(task.message.body, /^\$ curl -u deploy:\*\*\* https:\/\/api\.example\.com\/release$/m);
  ok(!JSON.stringify(d.accepted).includes("S3cr3tPass"));
  ok(!JSON.stringify(d.accepted).includes("hunter2"));
});
