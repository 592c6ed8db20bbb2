// takeEvent() and approvals: every event taken in, sent or skipped, is shown to observe();
// a task to send goes to approve() first, whose outcome (with its decision) is the answer,
// and to acceptTask only when approve() declines.
import { deepStrictEqual, equal } from "node:assert/strict";
import type { NotificationTask } from "../../protocol/mod.ts";
import { type EventIntake, type EventToSend, takeEvent } from "../../daemon/event_intake.ts";
import { Logger } from "../../daemon/log.ts";
import { memoryConfigFor } from "../support/memory_config_for.ts";
import { fixtureBytes } from "../support/hook_fixtures.ts";

const CONFIG = '[ntfy]\ndefault_topic = "alerts"\n\n[approval]\nenabled = true\n';
const CONTEXT = { cwd: "/home/user/webapp", env: {}, receivedAt: 1 };

function intake(change: Partial<EventIntake> = {}) {
  const accepted: NotificationTask[] = [];
  const observed: string[] = [];
  const value: EventIntake = {
    configFor: memoryConfigFor(CONFIG).configFor,
    acceptTask: (task) => {
      accepted.push(task);
      return Promise.resolve(`task-${accepted.length}`);
    },
    log: new Logger({ sink: () => {} }),
    observe: (event) => observed.push(event.name),
    ...change,
  };
  return { intake: value, accepted, observed };
}

Deno.test("takeEvent() shows every event to observe(), skipped ones too", async () => {
  const { intake: value, observed } = intake();
  deepStrictEqual(await takeEvent(fixtureBytes("post_tool_batch_denied.json"), CONTEXT, value), {
    skipped: "PostToolBatch is not enabled (set hooks.events.PostToolBatch = true)",
  });
  await takeEvent(fixtureBytes("stop.json"), CONTEXT, value);
  deepStrictEqual(observed, ["PostToolBatch", "Stop"]);
});

Deno.test("takeEvent() answers with approve()'s outcome and its decision, queueing nothing itself", async () => {
  const asked: EventToSend[] = [];
  const { intake: value, accepted } = intake({
    approve: (toSend) => {
      asked.push(toSend);
      return Promise.resolve({ taskId: "approval-1", decision: { behavior: "allow" } });
    },
  });
  const outcome = await takeEvent(fixtureBytes("permission_request.json"), CONTEXT, value);
  deepStrictEqual(outcome, { taskId: "approval-1", decision: { behavior: "allow" } });
  equal(accepted.length, 0);
  equal(asked[0]!.event.name, "PermissionRequest");
  equal(asked[0]!.task.target.topic, "alerts");
  equal(asked[0]!.config.approval.enabled, true, "with the configuration the event resolved with");
});

Deno.test("takeEvent() queues through acceptTask when approve() declines", async () => {
  const { intake: value, accepted } = intake({ approve: () => Promise.resolve(undefined) });
  deepStrictEqual(await takeEvent(fixtureBytes("permission_request.json"), CONTEXT, value), {
    taskId: "task-1",
  });
  equal(accepted.length, 1);
});
