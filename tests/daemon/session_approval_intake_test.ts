// takeEvent() with sessions and an approval desk at once: a permission request the desk
// takes is the desk's (sent at once, never held, cancelled or cleared by the session's
// activity), its wait does not hold up the session's later events, and the dialog's own
// Notification is merged into it. The desk is a stand-in that reports sending and answers
// when the test says.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { HookContext, NotificationTask, PermissionDecision } from "../../protocol/mod.ts";
import { type EventIntake, type EventToSend, takeEvent } from "../../daemon/event_intake.ts";
import { Logger } from "../../daemon/log.ts";
import { SessionTracker } from "../../daemon/sessions/mod.ts";
import { approvalNotification } from "../../daemon/approval/approval_notification.ts";
import { memoryConfigFor } from "../support/memory_config_for.ts";
import { fixtureBytes } from "../support/hook_fixtures.ts";

const T0 = new Date(2026, 2, 10, 15, 0, 0).getTime();

function daemon() {
  const { configFor } = memoryConfigFor('[ntfy]\ndefault_topic = "alerts"\n');
  const accepted: NotificationTask[] = [];
  const cancelAsked: string[] = [];
  const asked: EventToSend[] = [];
  let answer!: (decision: PermissionDecision) => void;
  let at = T0;
  const intake: EventIntake = {
    configFor,
    acceptTask(task) {
      accepted.push(task);
      return Promise.resolve(`task-${accepted.length}`);
    },
    log: new Logger({ level: "error", sink: () => {} }),
    sessions: new SessionTracker(),
    cancelTask(id) {
      cancelAsked.push(id);
      return Promise.resolve(false);
    },
    now: () => at,
    approve(toSend) {
      if (toSend.event.name !== "PermissionRequest") return Promise.resolve(undefined);
      asked.push(toSend);
      toSend.onSent?.("approval-1");
      return new Promise((resolve) => {
        answer = (decision) => resolve({ taskId: "approval-1", decision });
      });
    },
  };
  return {
    accepted,
    cancelAsked,
    asked,
    answer: (decision: PermissionDecision) => answer(decision),
    /** One hook event, one second after the previous one. */
    event(name: string, change: Record<string, unknown> = {}) {
      at += 1_000;
      const payload = { ...JSON.parse(new TextDecoder().decode(fixtureBytes(name))), ...change };
      const context: HookContext = { cwd: "/home/user/webapp", env: {}, receivedAt: at };
      return takeEvent(new TextEncoder().encode(JSON.stringify(payload)), context, intake);
    },
  };
}

Deno.test("takeEvent() leaves an approval to the desk: the session's events go on while it waits, the dialog's Notification is merged, activity cancels nothing", async () => {
  const d = daemon();
  const waiting = d.event("permission_request.json");
  // Taken in while the approval still waits: the session's turn is not held by the wait.
  const prompt = await d.event("notification_permission.json");
  ok("skipped" in prompt, JSON.stringify(prompt));
  match(prompt.skipped, /^merged: .*task approval-1/);
  const toolRan = await d.event("post_tool_use_bash.json");
  ok("skipped" in toolRan);
  deepEqual(d.cancelAsked, [], "the approval's notification is not the session's to cancel");
  deepEqual(d.accepted, [], "nor to clear: the desk clears it");
  d.answer({ behavior: "allow" });
  deepEqual(await waiting, { taskId: "approval-1", decision: { behavior: "allow" } });
  equal(d.asked.length, 1);
});

Deno.test("approvalNotification() drops the hold the event's settings asked for: the hook is waiting", () => {
  const task: NotificationTask = {
    target: { serverUrl: "https://ntfy.example", topic: "alerts" },
    message: { title: "webapp: allow Bash?", body: "$ ls" },
    origin: { event: "PermissionRequest", createdAt: T0 },
    notBefore: T0 + 30_000,
  };
  const sent = approvalNotification(task, {
    request: "perm-1",
    nonce: "n",
    replyUrl: "https://ntfy.example/reply",
    choices: ["allow", "deny"],
    timeoutSecs: 60,
  });
  equal(sent.notBefore, undefined);
  equal("notBefore" in sent, false);
});
