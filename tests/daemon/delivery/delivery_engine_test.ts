// The delivery engine with the real publisher against the loopback ntfy server.
import { equal, ok, throws } from "node:assert/strict";
import { DeliveryEngine, type DeliveryEvent } from "../../../daemon/delivery/delivery_engine.ts";
import { publish } from "../../../core/ntfy/publisher.ts";
import { NtfyError } from "../../../core/ntfy/errors.ts";
import { DaemonError } from "../../../daemon/errors.ts";
import type { NotificationTask } from "../../../protocol/mod.ts";
import { startNtfyServer } from "../../support/ntfy_server.ts";

function task(serverUrl: string, n: number): NotificationTask {
  return {
    target: { serverUrl, topic: "engine", timeoutSecs: 1 },
    message: { body: `engine ${n}` },
    origin: { event: "test", createdAt: 0 },
  };
}

function engine(
  events: DeliveryEvent[],
  options: { concurrency?: number; maxQueueSize?: number; retryAttempts?: number } = {},
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

Deno.test("DeliveryEngine delivers every task and never exceeds its concurrency", async () => {
  const server = await startNtfyServer();
  const events: DeliveryEvent[] = [];
  const e = engine(events, { concurrency: 3 });
  let peak = 0;
  const watcher = setInterval(() => peak = Math.max(peak, e.inFlight), 1);
  try {
    for (let i = 0; i < 60; i++) e.submit(task(server.url, i));
    await server.waitForMessages(60, 10_000);
    ok(await e.drain(5_000));
    equal(e.delivered, 60);
    ok(peak <= 3, `peak in flight ${peak}`);
    equal(events.filter((event) => event.type === "delivered").length, 60);
  } finally {
    clearInterval(watcher);
    e.stop();
    await server.close();
  }
});

Deno.test("DeliveryEngine retries 500s and gives up permanent errors at once", async () => {
  const server = await startNtfyServer();
  const events: DeliveryEvent[] = [];
  const e = engine(events, { retryAttempts: 5 });
  try {
    server.failNext(2, { status: 500 });
    e.submit(task(server.url, 1));
    await server.waitForMessages(1, 5_000);
    equal(events.filter((event) => event.type === "retry").length, 2);
    server.failNext(1, { status: 400, code: 40007 });
    e.submit(task(server.url, 2));
    for (let i = 0; i < 100 && !events.some((event) => event.type === "dead"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const dead = events.find((event) => event.type === "dead");
    ok(dead && dead.type === "dead" && dead.reason.includes("40007"));
    equal(e.failed, 1);
  } finally {
    e.stop();
    await server.close();
  }
});

Deno.test("DeliveryEngine gives up after retryAttempts with the last error", async () => {
  const server = await startNtfyServer();
  server.setMode({ status: 500 });
  const events: DeliveryEvent[] = [];
  const e = engine(events, { retryAttempts: 2 });
  try {
    e.submit(task(server.url, 1));
    for (let i = 0; i < 200 && !events.some((event) => event.type === "dead"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const dead = events.find((event) => event.type === "dead");
    ok(
      dead && dead.type === "dead" && /gave up after 3 attempts/.test(dead.reason),
      JSON.stringify(dead),
    );
    equal(server.requests, 3);
  } finally {
    e.stop();
    await server.close();
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
  const server = await startNtfyServer();
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
    await server.close();
  }
});
