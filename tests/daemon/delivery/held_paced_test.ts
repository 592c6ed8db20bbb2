// Holds (notBefore, from the sessions) and pacing (digest windows, from the TopicPacer)
// together: a held task waits for its time first and only then meets its topic's window,
// and a cancel reaches a task wherever it waits. The hold runs on the engine's clock, the
// pacer on a fake one, so each wait is a barrier on a count.
import { deepEqual, equal } from "node:assert/strict";
import { DeliveryEngine } from "../../../daemon/delivery/delivery_engine.ts";
import type { NotificationTask } from "../../../protocol/mod.ts";
import { FakeClock } from "../../support/fake_clock.ts";
import { waitFor } from "../../support/wait_for.ts";

function task(body: string, notBefore?: number): NotificationTask {
  return {
    target: { serverUrl: "http://127.0.0.1:9", topic: "paced" },
    message: { title: `webapp: ${body}`, body },
    origin: { event: "test", project: "/home/me/webapp", createdAt: 0 },
    ...(notBefore === undefined ? {} : { notBefore }),
  };
}

/** One notification per 10 s window to a topic; the rest wait for a digest. */
function pacedEngine() {
  const clock = new FakeClock();
  const published: string[] = [];
  const engine = new DeliveryEngine({
    publish: (t) => {
      published.push(t.message.body);
      return Promise.resolve({ id: `ntfy-${published.length}` });
    },
    classify: (error) => ({ retryable: true, message: String(error) }),
    retryDelayMs: () => 10,
    pacing: { digestAfter: 1, windowMs: 10_000, clock },
  });
  return { engine, clock, published };
}

Deno.test("DeliveryEngine: a held task enters pacing only once its notBefore has passed", async () => {
  const { engine, clock, published } = pacedEngine();
  try {
    engine.submit(task("first"));
    await waitFor(() => engine.delivered === 1, { what: "the first delivery" });
    engine.submit(task("held", Date.now() + 50));
    equal(engine.held, 1, "held for its time, not yet in the pacer");
    equal(engine.queued, 0);
    await waitFor(() => engine.held === 0, { what: "the hold to end" });
    equal(engine.queued, 1, "its time came inside the topic's window: the pacer holds it");
    deepEqual(published, ["first"]);
    clock.advance(10_000);
    await waitFor(() => engine.delivered === 2, { what: "the held task after the window" });
    deepEqual(published, ["first", "held"]);
  } finally {
    engine.stop();
  }
});

Deno.test("DeliveryEngine.cancel() takes back a task the pacer holds for its window", async () => {
  const { engine, clock, published } = pacedEngine();
  try {
    engine.submit(task("first"));
    await waitFor(() => engine.delivered === 1, { what: "the first delivery" });
    const id = engine.submit(task("second"));
    await waitFor(() => engine.queued === 1 && engine.inFlight === 0, {
      what: "the pacer to hold the second",
    });
    equal(engine.cancel(id)?.task.message.body, "second");
    equal(engine.size, 0);
    equal(engine.cancel(id), undefined, "a second cancel finds nothing");
    clock.advance(10_000);
    engine.submit(task("sentinel"));
    await waitFor(() => engine.delivered === 2, { what: "the sentinel" });
    deepEqual(published, ["first", "sentinel"]);
  } finally {
    engine.stop();
  }
});
