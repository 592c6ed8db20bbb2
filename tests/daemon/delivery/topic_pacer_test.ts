// TopicPacer on a fake clock: bursts fold into digests, a 429 pauses the whole server and
// one probe reopens it, and nothing is ever dropped except a task its sequence replaced.
import assert from "node:assert/strict";
import type { NotificationTask, NtfyTarget } from "../../../protocol/mod.ts";
import type { QueuedTask } from "../../../daemon/delivery/delivery_engine_options.ts";
import { type Delivery, TopicPacer } from "../../../daemon/delivery/topic_pacer.ts";
import { FakeClock } from "../../support/fake_clock.ts";

const TARGET: NtfyTarget = { serverUrl: "https://ntfy.example", topic: "alerts" };

let nextId = 0;
function entry(
  body: string,
  options: {
    target?: Partial<NtfyTarget>;
    project?: string;
    task?: Partial<NotificationTask>;
    message?: Partial<NotificationTask["message"]>;
  } = {},
): QueuedTask {
  const task: NotificationTask = {
    target: { ...TARGET, ...options.target },
    message: { title: `${options.project ?? "webapp"}: ${body}`, body, ...options.message },
    origin: { event: "test", project: `/home/me/${options.project ?? "webapp"}`, createdAt: 0 },
    ...options.task,
  };
  return { id: `t${++nextId}`, task, attempts: 0, acceptedAt: nextId };
}

function setup(digestAfter = 3, windowMs = 10_000) {
  const clock = new FakeClock();
  const released: Delivery[] = [];
  const pacer = new TopicPacer({
    digestAfter,
    windowMs,
    clock,
    rateLimitBackoffMs: 5_000,
    maxRateLimitBackoffMs: 20_000,
    release: (delivery) => released.push(delivery),
  });
  /** Admits each entry; returns the bodies of what went at once ("-" for held). */
  const admit = (...entries: QueuedTask[]) =>
    entries.map((e) => pacer.admit(e).delivery?.task.message.body ?? "-");
  return { clock, pacer, released, admit };
}

function bodies(delivery: Delivery): string[] {
  return delivery.entries.map((e) => e.task.message.body);
}

Deno.test("TopicPacer sends digestAfter tasks in a window, then one digest when the window allows", () => {
  const { clock, pacer, released, admit } = setup();
  const tasks = ["a", "b", "c", "d", "e", "f"].map((body, i) => entry(body, { project: `p${i}` }));
  assert.deepEqual(admit(...tasks), ["a", "b", "c", "-", "-", "-"]);
  assert.deepEqual(pacer.held, { queued: 3, rateLimited: 0 });
  for (const t of tasks.slice(0, 3)) pacer.succeeded({ entries: [t], task: t.task });
  clock.advance(9_999);
  assert.equal(released.length, 0, "the window has not passed");
  clock.advance(1);
  assert.equal(released.length, 1);
  assert.deepEqual(bodies(released[0]!), ["d", "e", "f"]);
  assert.equal(released[0]!.task.message.title, "3 notifications: p3, p4, p5");
  assert.equal(released[0]!.task.message.body, "p3: d\np4: e\np5: f");
  assert.deepEqual(pacer.held, { queued: 0, rateLimited: 0 });
  // The digest took one slot of the new window: two more go at once.
  assert.deepEqual(admit(entry("g"), entry("h"), entry("i")), ["g", "h", "-"]);
});

Deno.test("TopicPacer sends one held task by itself, not as a digest", () => {
  const { clock, released, admit } = setup(1);
  assert.deepEqual(admit(entry("a"), entry("b")), ["a", "-"]);
  clock.advance(10_000);
  assert.equal(released.length, 1);
  assert.equal(released[0]!.task.message.title, "webapp: b", "the task itself");
});

Deno.test("TopicPacer folds per topic and per credentials, and never clears, deletes or tasks with buttons", () => {
  const { clock, released, admit } = setup(1);
  const other = { target: { topic: "other" } };
  const bearer = { target: { auth: { type: "bearer" as const, token: "tk_x" } } };
  assert.deepEqual(admit(entry("a"), entry("b"), entry("c", other), entry("d", bearer)), [
    "a",
    "-",
    "c",
    "d",
  ]);
  const clear = entry("", { task: { operation: "clear" }, message: { sequenceId: "s" } });
  const buttons = entry("allow?", {
    message: { actions: [{ action: "view", label: "Open", url: "https://example.com" }] },
  });
  const delayed = entry("later", { message: { delay: "30m" } });
  assert.deepEqual(admit(clear, buttons, delayed), ["", "allow?", "later"], "not held");
  assert.deepEqual(admit(entry("e")), ["-"]);
  clock.advance(10_000);
  assert.deepEqual(released.map(bodies), [["b", "e"]]);
});

Deno.test("TopicPacer does not count a failed delivery in the window", () => {
  const { pacer, released, admit } = setup(1);
  const first = entry("a");
  const { delivery } = pacer.admit(first);
  assert.ok(delivery);
  assert.deepEqual(admit(entry("b")), ["-"]);
  pacer.failed(delivery); // A 500: nobody was buzzed, so b need not wait.
  assert.deepEqual(released.map(bodies), [["b"]]);
});

Deno.test("TopicPacer pauses the server after a 429, probes once, doubles the pause, then sends the rest", () => {
  const { clock, pacer, released, admit } = setup(100);
  const [a, b, c] = [entry("a", { project: "p1" }), entry("b", { project: "p2" }), entry("c")];
  const inFlight = [a, b].map((e) => pacer.admit(e).delivery!);
  assert.deepEqual(pacer.rateLimited(inFlight[0]!), { waitMs: 5_000, paused: true });
  assert.deepEqual(
    pacer.rateLimited(inFlight[1]!),
    { waitMs: 5_000, paused: false },
    "already under way: the same pause",
  );
  const otherTopic = entry("x", { target: { topic: "other" } });
  assert.deepEqual(admit(c, otherTopic), ["-", "-"], "the whole server waits");
  assert.deepEqual(pacer.held, { queued: 0, rateLimited: 4 });
  assert.deepEqual(pacer.list().map((h) => h.state), Array(4).fill("retrying"));

  clock.advance(4_999);
  assert.equal(released.length, 0);
  clock.advance(1);
  assert.equal(released.length, 1, "one probe");
  const probe = released[0]!;
  assert.deepEqual(bodies(probe), ["a", "b", "c"], "a digest of the oldest topic, in order");
  assert.equal(pacer.rateLimited(probe).waitMs, 10_000, "refused again: twice the pause");
  clock.advance(10_000);
  assert.equal(released.length, 2);
  assert.equal(pacer.rateLimited(released[1]!).waitMs, 20_000);
  clock.advance(20_000);
  assert.equal(pacer.rateLimited(released[2]!).waitMs, 20_000, "capped");
  clock.advance(20_000);
  const accepted = released[3]!;
  assert.equal(released.length, 4, "nothing else while the probe is out");
  pacer.succeeded(accepted);
  assert.deepEqual(released.slice(4).map(bodies), [["x"]], "the other topic follows");
  assert.deepEqual(pacer.held, { queued: 0, rateLimited: 0 });
  assert.deepEqual(admit(entry("y")), ["y"], "open again");
});

Deno.test("TopicPacer waits as long as Retry-After asks", () => {
  const { clock, pacer, released } = setup();
  const delivery = pacer.admit(entry("a")).delivery!;
  assert.equal(pacer.rateLimited(delivery, 42_000).waitMs, 42_000);
  clock.advance(41_999);
  assert.equal(released.length, 0);
  clock.advance(1);
  assert.deepEqual(released.map(bodies), [["a"]]);
});

Deno.test("TopicPacer drops a held message that a later task of its sequence updates or clears", () => {
  const { pacer, admit } = setup(1);
  assert.deepEqual(admit(entry("first")), ["first"]);
  const waiting = entry("waiting", { message: { sequenceId: "s1" } });
  const other = entry("other", { message: { sequenceId: "s2" } });
  assert.deepEqual(admit(waiting, other), ["-", "-"]);
  const update = entry("still waiting", { message: { sequenceId: "s1" } });
  const admitted = pacer.admit(update);
  assert.deepEqual(admitted.superseded, [waiting]);
  const clear = entry("", { task: { operation: "clear" }, message: { sequenceId: "s1" } });
  const cleared = pacer.admit(clear);
  assert.deepEqual(cleared.superseded, [update]);
  assert.equal(cleared.delivery?.task.operation, "clear", "the clear itself goes");
  assert.deepEqual(pacer.list().map((h) => h.entry), [other]);
  const off = entry("x", { target: { sequence: "off" }, message: { sequenceId: "s2" } });
  assert.deepEqual(pacer.admit(off).superseded, [], "no sequences, no replacing");
});

Deno.test("TopicPacer with digestAfter 0 never holds, and drain() releases what a window holds", () => {
  const never = setup(0);
  assert.deepEqual(never.admit(entry("a"), entry("b"), entry("c"), entry("d")), [
    "a",
    "b",
    "c",
    "d",
  ]);
  const { pacer, released, admit } = setup(1);
  assert.deepEqual(admit(entry("a"), entry("b"), entry("c")), ["a", "-", "-"]);
  pacer.drain();
  assert.deepEqual(released.map(bodies), [["b", "c"]]);
  assert.deepEqual(admit(entry("d")), ["d"], "draining: nothing waits for a window");
});

Deno.test("TopicPacer stop() cancels its timers and hands back every held task", () => {
  const { clock, pacer, released, admit } = setup(1);
  admit(entry("a"), entry("b"));
  pacer.rateLimited(pacer.admit(entry("c", { target: { topic: "t2" } })).delivery!);
  admit(entry("d", { target: { topic: "t2" } }));
  const left = pacer.stop().map((e) => e.task.message.body).sort();
  assert.deepEqual(left, ["b", "c", "d"]);
  assert.equal(clock.pending, 0);
  clock.advance(60_000);
  assert.equal(released.length, 0);
});
