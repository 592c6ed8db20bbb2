// The approval desk as a specification, with a real reply subscription to a loopback ntfy
// server and the test playing the phone: only a fresh answer with the request's nonce and
// an offered choice decides; every other end of the wait (timeout, the terminal, the hook
// going away, the daemon stopping) decides nothing; the notification is cleared each time.
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import {
  ApprovalDesk,
  type ApprovalOutcome,
  type ApprovalRequest,
  DENIED_MESSAGE,
  REPLY_TOPIC_FILE,
} from "../../../daemon/approval/mod.ts";
import { Logger } from "../../../daemon/log.ts";
import { defaultConfig } from "../../../core/config/config.ts";
import type { NotificationTask, NtfyAction } from "../../../protocol/mod.ts";
import { startNtfyServer } from "../../support/ntfy_server.ts";
import { fixtureEvent } from "../../support/hook_fixtures.ts";
import { tempDir } from "../../support/temp_dir.ts";
import { waitFor } from "../../support/wait_for.ts";

const REPLY_TOPIC = "claude-reply-desk";
const request = fixtureEvent("permission_request.json");

async function harness(options: { lingerMs?: number; now?: () => number } = {}) {
  const server = await startNtfyServer();
  const dir = await tempDir();
  const accepted: NotificationTask[] = [];
  const cancelled: string[] = [];
  const lines: string[] = [];
  let failNext: Error | undefined;
  const desk = new ApprovalDesk({
    acceptTask: (task) => {
      if (failNext) {
        const error = failNext;
        failNext = undefined;
        return Promise.reject(error);
      }
      accepted.push(task);
      return Promise.resolve(`t-${accepted.length}`);
    },
    cancelTask: (id) => {
      cancelled.push(id);
      return Promise.resolve(true);
    },
    log: new Logger({ level: "debug", sink: (line) => lines.push(line) }),
    stateDir: dir.path,
    lingerMs: options.lingerMs ?? 60_000,
    now: options.now,
    subscription: { retryMs: 20, maxRetryMs: 100 },
  });
  const config = defaultConfig();
  config.approval.enabled = true;
  config.approval.reply_topic = REPLY_TOPIC;
  const task = (topic = "claude-notify"): NotificationTask => ({
    target: { serverUrl: server.url, topic },
    message: { title: "webapp: allow Bash?", body: "$ rm -rf dist", priority: 4 },
    origin: { event: "PermissionRequest", createdAt: 0 },
  });
  const ask = (change: Partial<ApprovalRequest> = {}) => {
    const hook = new AbortController();
    const outcome = desk.ask({
      event: request,
      task: task(),
      config,
      waitLimitMs: 60_000,
      signal: hook.signal,
      ...change,
    });
    return { outcome, hook };
  };
  /** The n-th approval notification accepted (1-based), once it is. */
  const notification = async (n = 1) => {
    await waitFor(
      () => accepted.filter((task) => task.operation === undefined).length >= n,
      { what: `approval notification ${n}` },
    );
    return accepted.filter((task) => task.operation === undefined)[n - 1]!;
  };
  return {
    server,
    desk,
    accepted,
    cancelled,
    lines,
    config,
    task,
    ask,
    notification,
    stateDir: dir.path,
    failNextAccept(error: Error) {
      failNext = error;
    },
    async [Symbol.asyncDispose]() {
      await desk.close();
      await server.close();
      await dir[Symbol.asyncDispose]();
    },
  };
}

function button(task: NotificationTask, label: string): NtfyAction {
  const action = task.message.actions?.find((candidate) => candidate.label === label);
  if (action === undefined) throw new Error(`no button ${label}`);
  return action;
}

/** Does what the ntfy app does when a button is tapped. */
async function tap(action: NtfyAction, body = action.body): Promise<void> {
  const response = await fetch(action.url!, {
    method: action.method,
    headers: action.headers,
    body,
  });
  equal(response.status, 200);
  await response.body?.cancel();
}

/** The clears sent at once (not the one held against a crash), by sequence id. */
function clears(accepted: readonly NotificationTask[]): (string | undefined)[] {
  return accepted.filter((task) => task.operation === "clear" && task.notBefore === undefined)
    .map((task) => task.message.sequenceId);
}

Deno.test("Allow on the phone answers the hook with allow and clears the notification", async () => {
  await using h = await harness();
  const { outcome } = h.ask();
  const sent = await h.notification();
  equal(h.desk.waiting, 1);
  deepStrictEqual(sent.message.actions?.map((action) => action.label), [
    "Allow",
    "Deny",
    "Always allow",
  ]);
  await tap(button(sent, "Allow"));
  deepStrictEqual(await outcome, { taskId: "t-1", decision: { behavior: "allow" } });
  deepStrictEqual(clears(h.accepted), [sent.message.sequenceId]);
  equal(h.desk.waiting, 0);
  ok(h.lines.some((line) => line.includes('outcome="answered from the phone: allow"')));
});

Deno.test("Deny gives deny with a message; Always allow gives allow with the request's suggestions", async () => {
  await using h = await harness();
  const denied = h.ask();
  await tap(button(await h.notification(1), "Deny"));
  deepStrictEqual((await denied.outcome)?.decision, { behavior: "deny", message: DENIED_MESSAGE });
  const always = h.ask();
  await tap(button(await h.notification(2), "Always allow"));
  deepStrictEqual((await always.outcome)?.decision, {
    behavior: "allow",
    updatedPermissions: request.payload.permission_suggestions,
  });
});

Deno.test("without suggestions there is no Always allow, and an 'always' answer is ignored", async () => {
  await using h = await harness();
  const { permission_suggestions: _, ...payload } = request.payload;
  const { outcome } = h.ask({ event: { ...request, payload } });
  const sent = await h.notification();
  deepStrictEqual(sent.message.actions?.map((action) => action.label), ["Allow", "Deny"]);
  const allow = button(sent, "Allow");
  await tap(allow, allow.body!.replace('"choice":"allow"', '"choice":"always"'));
  await waitFor(() => h.lines.some((line) => line.includes("choice that was not offered")), {
    what: "the ignored answer in the log",
  });
  equal(h.desk.waiting, 1, "still waiting");
  await tap(button(sent, "Deny"));
  equal((await outcome)?.decision?.behavior, "deny");
});

Deno.test("an answer with a forged nonce decides nothing; the real one still does", async () => {
  await using h = await harness();
  const { outcome } = h.ask();
  const allow = button(await h.notification(), "Allow");
  const forged = allow.body!.replace(/"nonce":"[a-z2-7]+"/, `"nonce":"${"a".repeat(32)}"`);
  await tap(allow, forged);
  await waitFor(() => h.lines.some((line) => line.includes("wrong nonce")), {
    what: "the forged answer in the log",
  });
  equal(h.desk.waiting, 1);
  await tap(button(await h.notification(), "Deny"));
  equal((await outcome)?.decision?.behavior, "deny");
});

Deno.test("a replayed answer decides nothing for a later request", async () => {
  await using h = await harness();
  const first = h.ask();
  const allowFirst = button(await h.notification(1), "Allow");
  await tap(allowFirst);
  equal((await first.outcome)?.decision?.behavior, "allow");
  const second = h.ask();
  const sent = await h.notification(2);
  await tap(allowFirst);
  await waitFor(() => h.lines.some((line) => line.includes("no longer waiting")), {
    what: "the replay in the log",
  });
  equal(h.desk.waiting, 1, "the second request still waits");
  await tap(button(sent, "Deny"));
  equal((await second.outcome)?.decision?.behavior, "deny");
});

Deno.test("an answer naming no request, or no answer at all, is logged and ignored", async () => {
  await using h = await harness();
  const { outcome, hook } = h.ask();
  const allow = button(await h.notification(), "Allow");
  await tap(allow, allow.body!.replace(/"request":"perm-[a-z2-7]+"/, '"request":"perm-unknown"'));
  await tap(allow, "just a message");
  await waitFor(
    () =>
      h.lines.some((line) => line.includes("no waiting request (replayed or forged)")) &&
      h.lines.some((line) => line.includes("no answer")),
    { what: "both in the log" },
  );
  equal(h.desk.waiting, 1);
  hook.abort();
  equal((await outcome)?.decision, undefined);
});

Deno.test("no answer within the timeout: no decision, and the notification is cleared", async () => {
  await using h = await harness();
  h.config.approval.timeout_secs = 1;
  const started = performance.now();
  const { outcome } = h.ask();
  const sent = await h.notification();
  deepStrictEqual(await outcome, { taskId: "t-1" });
  ok(performance.now() - started >= 950);
  deepStrictEqual(clears(h.accepted), [sent.message.sequenceId]);
  ok(h.lines.some((line) => line.includes('outcome="no answer in time"')));
});

Deno.test("the hook's own limit shortens the wait, with a margin", async () => {
  await using h = await harness();
  const started = performance.now();
  const { outcome } = h.ask({ waitLimitMs: 4_200 });
  await h.notification();
  deepStrictEqual(await outcome, { taskId: "t-1" });
  const waited = performance.now() - started;
  ok(waited >= 1_150 && waited < 3_000, `waited ${waited} ms`);
});

Deno.test("the session moving on at the terminal ends the wait without a decision", async () => {
  await using h = await harness();
  const { outcome } = h.ask();
  const sent = await h.notification();
  h.desk.observe(fixtureEvent("notification_permission.json"));
  equal(h.desk.waiting, 1, "the dialog's own notification does not count");
  h.desk.observe(fixtureEvent("post_tool_batch_denied.json"));
  deepStrictEqual(await outcome, { taskId: "t-1" });
  deepStrictEqual(clears(h.accepted), [sent.message.sequenceId]);
  ok(h.lines.some((line) => line.includes("answered at the terminal")));
  await tap(button(sent, "Allow"));
  await waitFor(() => h.lines.some((line) => line.includes("no longer waiting")), {
    what: "the late answer in the log",
  });
});

Deno.test("the hook going away, or the desk closing, ends the wait without a decision", async () => {
  await using h = await harness();
  const gone = h.ask();
  await h.notification(1);
  gone.hook.abort();
  deepStrictEqual(await gone.outcome, { taskId: "t-1" });
  const stopping = h.ask();
  await h.notification(2);
  await h.desk.close();
  equal((await stopping.outcome)?.decision, undefined);
  equal(clears(h.accepted).length, 2);
  equal(h.server.openStreams, 0, "the subscription is closed");
  equal(await h.ask().outcome, undefined, "a closed desk asks nothing");
});

Deno.test("two requests wait at once; each gets its own answer", async () => {
  await using h = await harness();
  const first = h.ask();
  const firstSent = await h.notification(1);
  const second = h.ask();
  const secondSent = await h.notification(2);
  equal(h.desk.waiting, 2);
  await tap(button(secondSent, "Deny"));
  equal((await second.outcome)?.decision?.behavior, "deny");
  equal(h.desk.waiting, 1);
  await tap(button(firstSent, "Allow"));
  equal((await first.outcome)?.decision?.behavior, "allow");
  equal(h.server.subscriptions.length, 1, "one subscription served both");
});

Deno.test("the subscription lingers, then stops; the next one starts after the last message read", async () => {
  await using h = await harness({ lingerMs: 50 });
  const first = h.ask();
  await tap(button(await h.notification(1), "Allow"));
  await first.outcome;
  await waitFor(() => h.server.openStreams === 0 && h.desk.subscriptions === 0, {
    what: "the subscription to stop",
  });
  const second = h.ask();
  await tap(button(await h.notification(2), "Allow"));
  equal((await second.outcome)?.decision?.behavior, "allow");
  equal(h.server.subscriptions.length, 2);
  const answered = h.server.messages.find((message) => message.topic === REPLY_TOPIC)!;
  equal(h.server.subscriptions[1]!.since, answered.id);
});

Deno.test("approvals do not apply: off, not a PermissionRequest, reply topic = notification topic, a short wait", async () => {
  await using h = await harness();
  const off = defaultConfig();
  equal(await h.ask({ config: off }).outcome, undefined);
  equal(
    await h.ask({ event: fixtureEvent("notification_permission.json") }).outcome,
    undefined,
  );
  equal(await h.ask({ task: h.task(REPLY_TOPIC) }).outcome, undefined);
  equal(await h.ask({ waitLimitMs: 3_500 }).outcome, undefined);
  deepStrictEqual(h.accepted, []);
  equal(h.server.subscriptions.length, 0);
  ok(h.lines.some((line) => line.includes("reply_topic is the notification topic")));
});

Deno.test("without a reply topic in the config, one is made and kept in the state folder", async () => {
  await using h = await harness();
  delete h.config.approval.reply_topic;
  const { outcome, hook } = h.ask();
  const sent = await h.notification();
  const kept = Deno.readTextFileSync(`${h.stateDir}/${REPLY_TOPIC_FILE}`).trim();
  equal(button(sent, "Allow").url, `${h.server.url}/${kept}`);
  hook.abort();
  await outcome;
});

Deno.test("the buttons carry approval.reply_token, else the target's credentials", async () => {
  await using h = await harness();
  h.config.approval.reply_token = "tk_write_only";
  const withToken = h.ask();
  equal(button(await h.notification(1), "Allow").headers?.Authorization, "Bearer tk_write_only");
  withToken.hook.abort();
  await withToken.outcome;
  delete h.config.approval.reply_token;
  const withTarget = h.ask({
    task: {
      ...h.task(),
      target: { ...h.task().target, auth: { type: "basic", username: "u", password: "p" } },
    },
  });
  equal(button(await h.notification(2), "Allow").headers?.Authorization, `Basic ${btoa("u:p")}`);
  withTarget.hook.abort();
  await withTarget.outcome;
});

Deno.test("when the notification cannot be queued, ask() fails and nothing waits", async () => {
  await using h = await harness();
  h.failNextAccept(new Error("queue full"));
  await rejects(h.ask().outcome as Promise<ApprovalOutcome>, /queue full/);
  equal(h.desk.waiting, 0);
});

Deno.test("an earlier run's answer, replayed by the first connection, is ignored quietly", async () => {
  // The daemon's clock runs 5 s ahead: the cached answer is from before it subscribed.
  await using h = await harness({ now: () => Date.now() + 5_000 });
  const earlier = JSON.stringify({
    kind: "claude-ntfy-approval",
    request: "perm-fromanearlierrun00",
    nonce: "x",
    choice: "allow",
  });
  await (await fetch(`${h.server.url}/${REPLY_TOPIC}`, { method: "POST", body: earlier })).body
    ?.cancel();
  const { outcome, hook } = h.ask();
  await h.notification();
  await waitFor(() => h.lines.some((line) => line.includes("from before this subscription")), {
    what: "the replayed answer in the log",
  });
  ok(!h.lines.some((line) => line.includes("WARN")), h.lines.join("\n"));
  equal(h.desk.waiting, 1);
  hook.abort();
  equal((await outcome)?.decision, undefined);
});

Deno.test("a clear held until the wait's end goes in with the notification, and is cancelled when the wait ends", async () => {
  let clock = 1_000_000;
  await using h = await harness({ now: () => clock });
  const { outcome } = h.ask({ waitLimitMs: 63_000 });
  const sent = await h.notification();
  // Queued together, the notification first: a daemon killed while the request waits
  // replays the clear after its restart and takes the buttons off the phone then.
  const held = h.accepted.filter((task) => task.notBefore !== undefined);
  equal(held.length, 1);
  equal(held[0]!.operation, "clear");
  equal(held[0]!.message.sequenceId, sent.message.sequenceId);
  equal(held[0]!.notBefore, clock + 60_000, "held for the whole wait (63 s less the margin)");
  deepStrictEqual(h.accepted.slice(0, 2), [sent, held[0]]);
  clock += 5_000;
  await tap(button(sent, "Deny"));
  equal((await outcome)?.decision?.behavior, "deny");
  deepStrictEqual(h.cancelled, ["t-2"], "the held clear is cancelled");
  deepStrictEqual(clears(h.accepted), [sent.message.sequenceId], "and one goes at once");
});
