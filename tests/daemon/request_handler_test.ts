// Each request type's answer, with the daemon's parts replaced by recording fakes.
import { deepStrictEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { createRequestHandler, type RequestHandlerDeps } from "../../daemon/request_handler.ts";
import { DaemonError } from "../../daemon/errors.ts";
import type { DaemonStatus, NotificationTask } from "../../protocol/mod.ts";

const task: NotificationTask = {
  target: { serverUrl: "https://ntfy.sh", topic: "t" },
  message: { body: "hi" },
  origin: { event: "test", createdAt: 0 },
};

function fakes(overrides: Partial<RequestHandlerDeps> = {}) {
  const calls: unknown[][] = [];
  const shutdown = new AbortController();
  const deps: RequestHandlerDeps = {
    acceptTask: (accepted, id) => {
      calls.push(["acceptTask", accepted, id]);
      return Promise.resolve("t-1");
    },
    takeEvent: (payload, context, id) => {
      calls.push(["takeEvent", payload, context, id]);
      return Promise.resolve({ skipped: "not enabled" });
    },
    queue: {
      list: () => ({ tasks: [], dead: [] }),
      retryDeadLetters: (ids) => {
        calls.push(["retryDeadLetters", ids]);
        return Promise.resolve(ids?.length ?? 7);
      },
      purgeDeadLetters: () => Promise.resolve(3),
    },
    status: () => ({ pid: 99 }) as DaemonStatus,
    reload: () => void calls.push(["reload"]),
    shutdown,
    ...overrides,
  };
  return { handle: createRequestHandler(deps), calls, shutdown };
}

Deno.test("ping, status, reload and queue are answered at once, not through a promise", () => {
  const { handle, calls } = fakes();
  deepStrictEqual(handle({ type: "ping", id: 1 }), { type: "ok", id: 1 });
  deepStrictEqual(handle({ type: "status", id: 2 }), {
    type: "status",
    id: 2,
    status: { pid: 99 },
  });
  deepStrictEqual(handle({ type: "reload", id: 3 }), { type: "ok", id: 3 });
  deepStrictEqual(handle({ type: "queue", id: 4 }), { type: "queue", id: 4, tasks: [], dead: [] });
  deepStrictEqual(calls, [["reload"]]);
});

Deno.test("submit hands the task to acceptTask and answers with its id", async () => {
  const { handle, calls } = fakes();
  deepStrictEqual(await handle({ type: "submit", id: 5, task }), {
    type: "ok",
    id: 5,
    taskId: "t-1",
  });
  deepStrictEqual(calls, [["acceptTask", task, undefined]]);
});

Deno.test("submit passes acceptTask's error on", async () => {
  const refused = new DaemonError("QUEUE_FULL", "Queue is full: 1 tasks held, limit 1", true);
  const { handle } = fakes({ acceptTask: () => Promise.reject(refused) });
  await rejects(Promise.resolve(handle({ type: "submit", id: 6, task })), refused);
});

Deno.test("a reload that fails throws, so the connection answers with an error", () => {
  const { handle } = fakes({
    reload: () => {
      throw new Error("bad config");
    },
  });
  throws(() => handle({ type: "reload", id: 7 }), /bad config/);
});

Deno.test("shutdown answers ok and aborts the daemon's signal with its reason", () => {
  const { handle, shutdown } = fakes();
  deepStrictEqual(handle({ type: "shutdown", id: 8 }), { type: "ok", id: 8 });
  ok(shutdown.signal.aborted);
  equal(shutdown.signal.reason, "shutdown request");
});

Deno.test("retry asks for all dead letters, the ids given, or none", async () => {
  const { handle, calls } = fakes();
  deepStrictEqual(await handle({ type: "retry", id: 9, all: true }), {
    type: "ok",
    id: 9,
    count: 7,
  });
  deepStrictEqual(await handle({ type: "retry", id: 10, taskIds: ["a", "b"] }), {
    type: "ok",
    id: 10,
    count: 2,
  });
  await handle({ type: "retry", id: 11 });
  deepStrictEqual(calls, [["retryDeadLetters", undefined], ["retryDeadLetters", ["a", "b"]], [
    "retryDeadLetters",
    [],
  ]]);
});

Deno.test("purge answers with how many dead letters it deleted", async () => {
  const { handle } = fakes();
  deepStrictEqual(await handle({ type: "purge", id: 12 }), { type: "ok", id: 12, count: 3 });
});

Deno.test("an event is answered with what takeEvent made of it", async () => {
  const { handle, calls } = fakes();
  const payload = new TextEncoder().encode("{}");
  const context = { cwd: "/src", env: {}, receivedAt: 1 };
  deepStrictEqual(await handle({ type: "event", id: 9, payload, context }), {
    type: "ok",
    id: 9,
    skipped: "not enabled",
  });
  deepStrictEqual(calls, [["takeEvent", payload, context, undefined]]);
});
