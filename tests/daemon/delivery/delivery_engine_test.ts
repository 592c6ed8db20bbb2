// The delivery engine with the real publisher against the loopback ntfy server.
import { equal, ok, throws } from "node:assert/strict";
import {
  DeliveryEngine,
  type DeliveryEngineOptions,
  type DeliveryEvent,
} from "../../../daemon/delivery/delivery_engine.ts";
import { publish } from "../../../core/ntfy/publisher.ts";
import { NtfyError } from "../../../core/ntfy/errors.ts";
import { DaemonError } from "../../../daemon/errors.ts";
import type { NotificationTask } from "../../../protocol/mod.ts";
import { startNtfyServer } from "../../support/ntfy_server.ts";
import { waitFor } from "../../support/wait_for.ts";

function task(serverUrl: string, n: number): NotificationTask {
  return {
    target: { serverUrl, topic: "engine", timeoutSecs: 1 },
    message: { body: `engine ${n}` },
    origin: { event: "test", createdAt: 0 },
  };
}

function engine(
  events: DeliveryEvent[],
  options: {
    concurrency?: number;
    maxQueueSize?: number;
    retryAttempts?: number;
    publish?: DeliveryEngineOptions["publish"];
  } = {},
) {
  return new DeliveryEngine({
    publish: (t, signal) => publish(t, { signal }),
    classify: (error) =>
      error instanceof NtfyError
        ? { retryable: error.retryable, message: error.message }
        : { retryable: true, message: String(error) },
    retryDelayMs: () => 20,
    onEvent: (event) => events.push(event),
    ...options,
  });
}

/**
 * The real publisher, counting the calls under way: up on entry, down on exit. The peak is
 * exact, whatever the engine's own bookkeeping says and however short a call is.
 */
function countingPublish(): {
  publish: DeliveryEngineOptions["publish"];
  readonly calls: { now: number; peak: number };
} {
  const calls = { now: 0, peak: 0 };
  return {
    calls,
    async publish(t, signal) {
      calls.now += 1;
      calls.peak = Math.max(calls.peak, calls.now);
      try {
        return await publish(t, { signal });
      } finally {
        calls.now -= 1;
      }
    },
  };
}

Deno.test("DeliveryEngine delivers every task and never exceeds its concurrency", async () => {
  await using server = await startNtfyServer();
  const events: DeliveryEvent[] = [];
  const counting = countingPublish();
  const e = engine(events, { concurrency: 3, publish: counting.publish });
  try {
    for (let i = 0; i < 60; i++) e.submit(task(server.url, i));
    await server.waitForMessages(60, 10_000);
    ok(await e.drain(5_000));
    equal(e.delivered, 60);
    // Exactly 3: more breaks the limit, fewer means 60 tasks at once did not use it.
    equal(counting.calls.peak, 3, `peak publish calls at once: ${counting.calls.peak}`);
    equal(counting.calls.now, 0, "no publish call left running after drain()");
    equal(events.filter((event) => event.type === "delivered").length, 60);
  } finally {
    e.stop();
  }
});

Deno.test("DeliveryEngine retries 500s and gives up permanent errors at once", async () => {
  await using server = await startNtfyServer();
  const events: DeliveryEvent[] = [];
  const e = engine(events, { retryAttempts: 5 });
  try {
    server.failNext(2, { status: 500 });
    e.submit(task(server.url, 1));
    await server.waitForMessages(1, 5_000);
    equal(events.filter((event) => event.type === "retry").length, 2);
    server.failNext(1, { status: 400, code: 40007 });
    e.submit(task(server.url, 2));
    await waitFor(() => events.some((event) => event.type === "dead"), { what: "a dead task" });
    const dead = events.find((event) => event.type === "dead");
    ok(dead && dead.type === "dead" && dead.reason.includes("40007"), JSON.stringify(dead));
    equal(e.failed, 1);
  } finally {
    e.stop();
  }
});

Deno.test("DeliveryEngine gives up after retryAttempts with the last error", async () => {
  await using server = await startNtfyServer();
  server.setMode({ status: 500 });
  const events: DeliveryEvent[] = [];
  const e = engine(events, { retryAttempts: 2 });
  try {
    e.submit(task(server.url, 1));
    await waitFor(() => events.some((event) => event.type === "dead"), { what: "a dead task" });
    const dead = events.find((event) => event.type === "dead");
    ok(
      dead && dead.type === "dead" && /gave up after 3 attempts/.test(dead.reason),
      JSON.stringify(dead),
    );
    equal(server.requests, 3);
  } finally {
    e.stop();
  }
});

Deno.test("DeliveryEngine refuses past maxQueueSize and after stopAccepting, with stable codes", () => {
  const e = engine([], { maxQueueSize: 2, concurrency: 0 });
  e.submit(task("http://127.0.0.1:9", 1));
  e.submit(task("http://127.0.0.1:9", 2));
  throws(
    () => e.submit(task("http://127.0.0.1:9", 3)),
    (error: unknown) =>
      error instanceof DaemonError && error.code === "QUEUE_FULL" && error.retryable,
  );
  e.submit(task("http://127.0.0.1:9", 4), { admitted: true });
  equal(e.size, 3, "an admitted (journaled) task is never refused");
  e.stopAccepting();
  throws(
    () => e.submit(task("http://127.0.0.1:9", 5)),
    (error: unknown) => error instanceof DaemonError && error.code === "SHUTTING_DOWN",
  );
  // Journaled while the shutdown began: kept (it is replayed on the next start anyway).
  e.submit(task("http://127.0.0.1:9", 6), { admitted: true });
  equal(e.list().length, 4);
  e.stop();
});

Deno.test("drain() waits for deliveries in flight but not for tasks waiting on a retry", async () => {
  await using server = await startNtfyServer();
  const events: DeliveryEvent[] = [];
  const e = new DeliveryEngine({
    publish: (t, signal) => publish(t, { signal }),
    classify: () => ({ retryable: true, message: "down" }),
    retryDelayMs: () => 60_000,
    onEvent: (event) => events.push(event),
  });
  try {
    server.failNext(1, { status: 503 });
    e.submit(task(server.url, 1));
    e.submit(task(server.url, 2));
    await server.waitForMessages(1, 5_000);
    const started = performance.now();
    ok(await e.drain(2_000), "drained: nothing queued or in flight");
    ok(performance.now() - started < 1_000, "did not wait for the 60 s retry");
    equal(e.retrying, 1);
    equal(e.list()[0]?.state, "retrying");
  } finally {
    e.stop();
  }
});

Deno.test("DeliveryEngine starts a delivery after the submitter's promise reactions, and before any timer", async () => {
  const server = await startNtfyServer();
  const started: string[] = [];
  const events: DeliveryEvent[] = [];
  const delivery = engine(events, {
    publish: (t, signal) => {
      started.push(t.message.body);
      return publish(t, { signal });
    },
  });
  try {
    // A zero timer set first: a delivery waiting for a timer of its own starts after it.
    const zeroTimer = new Promise((resolve) => setTimeout(resolve, 0));
    delivery.submit(task(server.url, 1));
    // The answer to the request that queued it (a hook's acknowledgment) is written in the
    // reactions that follow: fetch's setup must not run ahead of them.
    for (let reaction = 0; reaction < 50; reaction++) await Promise.resolve();
    equal(started.length, 0, "started among the submitter's promise reactions");
    // But without waiting a timer's granularity (a millisecond or two in Deno) either.
    await zeroTimer;
    equal(started.join(), "engine 1", "not started before a zero timer fired");
    await waitFor(() => events.some((event) => event.type === "delivered"), {
      what: "the delivery",
    });
  } finally {
    delivery.stop();
    await server.close();
  }
});
