// Tasks with a notBefore: the engine holds them until then, and gives back any task that
// has not started delivering when asked to cancel it. Waits end on facts (a sentinel task
// delivered after the one under test, a publish call), never on a sleep.
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  DeliveryEngine,
  type DeliveryEngineOptions,
} from "../../../daemon/delivery/delivery_engine.ts";
import type { NotificationTask } from "../../../protocol/mod.ts";
import { waitFor } from "../../support/wait_for.ts";

function task(body: string, notBefore?: number): NotificationTask {
  return {
    target: { serverUrl: "http://127.0.0.1:9", topic: "held" },
    message: { body },
    origin: { event: "test", createdAt: 0 },
    ...(notBefore === undefined ? {} : { notBefore }),
  };
}

/** An engine whose publish records each body with the wall time it was published at. */
function recordingEngine(options: Partial<DeliveryEngineOptions> = {}) {
  const published: Array<{ body: string; at: number }> = [];
  const engine = new DeliveryEngine({
    publish: (t) => {
      published.push({ body: t.message.body, at: Date.now() });
      return Promise.resolve({ id: `ntfy-${published.length}` });
    },
    classify: (error) => ({ retryable: true, message: String(error) }),
    retryDelayMs: () => 10,
    ...options,
  });
  return { engine, published };
}

Deno.test("DeliveryEngine holds a task until its notBefore, then delivers it", async () => {
  const { engine, published } = recordingEngine();
  try {
    const notBefore = Date.now() + 80;
    engine.submit(task("later", notBefore));
    engine.submit(task("now"));
    equal(engine.held, 1);
    equal(engine.size, 2, "a held task counts against the limit");
    await waitFor(() => engine.delivered === 2, { what: "both deliveries" });
    deepEqual(published.map((entry) => entry.body), ["now", "later"]);
    ok(published[1]!.at >= notBefore, `published ${notBefore - published[1]!.at} ms early`);
    equal(engine.held, 0);
  } finally {
    engine.stop();
  }
});

Deno.test("DeliveryEngine.cancel() takes back a held task, which is never published", async () => {
  const { engine, published } = recordingEngine();
  try {
    const start = Date.now();
    const id = engine.submit(task("cancelled", start + 40));
    // Delivered after the cancelled task's time: once it is, the other would have been too.
    engine.submit(task("sentinel", start + 80));
    const taken = engine.cancel(id);
    equal(taken?.id, id);
    equal(engine.cancel(id), undefined, "a second cancel finds nothing");
    await waitFor(() => engine.delivered === 1, { what: "the sentinel" });
    deepEqual(published.map((entry) => entry.body), ["sentinel"]);
    equal(engine.size, 0);
  } finally {
    engine.stop();
  }
});

Deno.test("DeliveryEngine.cancel() takes a queued task but is too late for one in flight", async () => {
  let release!: () => void;
  const engine = new DeliveryEngine({
    publish: () => new Promise((resolve) => release = () => resolve({ id: "x" })),
    classify: (error) => ({ retryable: true, message: String(error) }),
    retryDelayMs: () => 10,
    concurrency: 1,
  });
  try {
    const first = engine.submit(task("in flight"));
    const second = engine.submit(task("queued"));
    await waitFor(() => engine.inFlight === 1, { what: "the first publish" });
    equal(engine.queued, 1);
    equal(engine.cancel(first), undefined, "in flight: too late");
    equal(engine.cancel(second)?.task.message.body, "queued");
    equal(engine.queued, 0);
    release();
    await waitFor(() => engine.delivered === 1, { what: "the first delivery" });
    equal(engine.size, 0);
  } finally {
    engine.stop();
  }
});

Deno.test("DeliveryEngine lists held tasks and a stop leaves no timer behind", () => {
  const { engine } = recordingEngine();
  const id = engine.submit(task("tomorrow", Date.now() + 86_400_000));
  deepEqual(engine.list().map(({ entry, state }) => [entry.id, state]), [[id, "held"]]);
  // The test's sanitizer fails it if a timer outlives stop().
  engine.stop();
  equal(engine.held, 0);
});

Deno.test("DeliveryEngine waits by its own clock: a task due by it goes at once", async () => {
  let now = 1_000_000;
  const { engine, published } = recordingEngine({ now: () => now });
  try {
    engine.submit(task("due", 999_999));
    engine.submit(task("ahead", 1_000_500));
    equal(engine.held, 1);
    await waitFor(() => engine.delivered === 1, { what: "the due task" });
    now = 2_000_000;
    // The held task's timer (500 ms) finds the clock past its time and delivers.
    await waitFor(() => engine.delivered === 2, { what: "the held task", timeoutMs: 2_000 });
    deepEqual(published.map((entry) => entry.body), ["due", "ahead"]);
  } finally {
    engine.stop();
  }
});
