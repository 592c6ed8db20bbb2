// The durable queue as a specification, on real journal files: a task is journaled before it
// is queued and replayed after a restart, one count limits what is held (tasks being
// journaled included), dead letters are retried all-or-nothing, listings are masked.
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { DurableQueue } from "../../../daemon/queue/durable_queue.ts";
import type { Durability, QueueDelivery } from "../../../daemon/queue/durable_queue_options.ts";
import { DaemonError } from "../../../daemon/errors.ts";
import { Logger } from "../../../daemon/log.ts";
import type { NotificationTask } from "../../../protocol/mod.ts";
import { waitFor } from "../../support/wait_for.ts";
import { sampleTask, withTempDir } from "./_tasks.ts";
import { errorMessage } from "../../../protocol/error_message.ts";

/** Never settles: tasks stay in flight. */
const stalled: QueueDelivery["publish"] = () => new Promise(() => {});
/** Rejects at once; with `permanent` below the task goes straight to the dead letters. */
const refused: QueueDelivery["publish"] = () => Promise.reject(new Error("HTTP 403"));

function delivery(publish: QueueDelivery["publish"]): QueueDelivery {
  return {
    publish,
    classify: (error) => ({ retryable: false, message: errorMessage(error) }),
    retryDelayMs: () => null,
  };
}

function open(
  dir: string,
  options: {
    publish?: QueueDelivery["publish"];
    maxQueueSize?: number;
    durability?: Durability;
    lines?: string[];
  } = {},
): Promise<DurableQueue> {
  return DurableQueue.open({
    journalDir: `${dir}/journal`,
    deadLetterPath: `${dir}/dead-letters.jsonl`,
    durability: options.durability ?? "write",
    delivery: delivery(options.publish ?? stalled),
    settings: { maxQueueSize: options.maxQueueSize ?? 100, retryAttempts: 0, retryDelaySecs: 1 },
    concurrency: 2,
    log: new Logger({ level: "debug", sink: (line) => options.lines?.push(line) }),
  });
}

const errorCode = (code: string) => (error: unknown) =>
  error instanceof DaemonError && error.code === code;

async function deadLetters(queue: DurableQueue, count: number): Promise<void> {
  await waitFor(() => queue.counts().dead === count, {
    timeoutMs: 5_000,
    what: `${count} dead letters`,
  });
}

Deno.test("DurableQueue replays what it admitted but did not deliver after a restart", async () => {
  await withTempDir(async (dir) => {
    const first = await open(dir);
    const a = await first.admit(sampleTask("a"));
    await first.admit(sampleTask("b"), "chosen-id");
    ok(first.has(a) && first.has("chosen-id"));
    await first.close(10);

    const delivered: string[] = [];
    const second = await open(dir, {
      publish: (task) => {
        delivered.push(task.message.body);
        return Promise.resolve({ id: "ntfy" });
      },
    });
    await waitFor(() => second.counts().delivered === 2, {
      timeoutMs: 5_000,
      what: "2 deliveries",
    });
    deepEqual(delivered, ["task a", "task b"]);
    await second.close(1_000);

    const third = await open(dir);
    equal(third.size, 0, "delivered tasks are not replayed");
    await third.close(10);
  });
});

Deno.test("DurableQueue counts tasks being journaled against the limit", async () => {
  await withTempDir(async (dir) => {
    const queue = await open(dir, { maxQueueSize: 2 });
    // Not awaited: both are still being journaled when the third arrives.
    const admitted = [queue.admit(sampleTask(1)), queue.admit(sampleTask(2))];
    equal(queue.size, 2);
    await rejects(queue.admit(sampleTask(3)), errorCode("QUEUE_FULL"));
    await Promise.all(admitted);
    equal(queue.size, 2);
    await rejects(queue.admit(sampleTask(4)), errorCode("QUEUE_FULL"));
    queue.configure({ maxQueueSize: 3, retryAttempts: 0, retryDelaySecs: 1 });
    await queue.admit(sampleTask(5));
    equal(queue.size, 3);
    await queue.close(10);
  });
});

Deno.test("DurableQueue refuses with SHUTTING_DOWN once it stops accepting", async () => {
  await withTempDir(async (dir) => {
    const queue = await open(dir);
    queue.stopAccepting();
    await rejects(queue.admit(sampleTask(1)), errorCode("SHUTTING_DOWN"));
    await queue.close(10);
  });
});

Deno.test("DurableQueue moves a permanent failure to the dead letters, on disk", async () => {
  await withTempDir(async (dir) => {
    const queue = await open(dir, { publish: refused });
    const id = await queue.admit(sampleTask("a"));
    await deadLetters(queue, 1);
    equal(queue.counts().failed, 1);
    await queue.close(10);

    const reopened = await open(dir);
    equal(reopened.size, 0, "a dead task is not replayed");
    deepEqual(reopened.list().dead.map((letter) => [letter.id, letter.reason]), [[id, "HTTP 403"]]);
    await reopened.close(10);
  });
});

Deno.test("DurableQueue.retryDeadLetters() queues them again and removes them", async () => {
  await withTempDir(async (dir) => {
    const failing = await open(dir, { publish: refused });
    for (const name of ["a", "b", "c"]) await failing.admit(sampleTask(name), name);
    await deadLetters(failing, 3);
    await failing.close(10);

    const queue = await open(dir);
    await rejects(queue.retryDeadLetters(["a", "nope"]), errorCode("INVALID_TASK"));
    equal(queue.counts().dead, 3, "nothing retried when one id is unknown");
    equal(await queue.retryDeadLetters(["b"]), 1);
    deepEqual(queue.list().tasks.map((task) => task.id), ["b"]);
    equal(await queue.retryDeadLetters(), 2);
    equal(queue.counts().dead, 0);
    equal(queue.size, 3);
    await queue.close(10);

    const reopened = await open(dir);
    equal(reopened.size, 3, "retried tasks are journaled");
    equal(reopened.counts().dead, 0);
    await reopened.close(10);
  });
});

Deno.test("DurableQueue.retryDeadLetters() checks room for all of them first", async () => {
  await withTempDir(async (dir) => {
    const failing = await open(dir, { publish: refused });
    for (const name of ["a", "b"]) await failing.admit(sampleTask(name), name);
    await deadLetters(failing, 2);
    await failing.close(10);

    const queue = await open(dir, { maxQueueSize: 1 });
    await rejects(queue.retryDeadLetters(), errorCode("QUEUE_FULL"));
    equal(queue.size, 0);
    equal(queue.counts().dead, 2);
    equal(await queue.purgeDeadLetters(), 2);
    equal(queue.counts().dead, 0);
    await queue.close(10);
  });
});

Deno.test("DurableQueue.list() masks credentials and cuts long bodies", async () => {
  await withTempDir(async (dir) => {
    const queue = await open(dir);
    const long: NotificationTask = {
      ...sampleTask("x", "tk_secret"),
      message: { body: "y".repeat(500) },
    };
    await queue.admit(long, "long");
    for (let i = 0; i < 3; i++) await queue.admit(sampleTask(i));
    const { tasks, dead } = queue.list(2);
    equal(tasks.length, 2);
    equal(tasks.find((task) => task.id === "long")?.task.target.auth?.type, "bearer");
    ok(!JSON.stringify(tasks).includes("tk_secret"));
    const body = tasks.find((task) => task.id === "long")!.task.message.body;
    equal(body, `${"y".repeat(200)}…`);
    deepEqual(dead, []);
    await queue.close(10);
  });
});

Deno.test("DurableQueue keeps replayed tasks' tokens out of its log", async () => {
  await withTempDir(async (dir) => {
    const first = await open(dir);
    await first.admit(sampleTask("a", "tk_replayed_secret"));
    await first.close(10);

    const lines: string[] = [];
    const queue = await open(dir, {
      lines,
      publish: () => Promise.reject(new Error("rejected tk_replayed_secret")),
    });
    await deadLetters(queue, 1);
    await queue.close(10);
    ok(lines.some((line) => line.includes("replayed undelivered tasks")));
    ok(lines.some((line) => line.includes("delivery failed for good")));
    ok(!lines.some((line) => line.includes("tk_replayed_secret")), lines.join("\n"));
  });
});

Deno.test("DurableQueue with memory durability keeps nothing across a restart", async () => {
  await withTempDir(async (dir) => {
    const first = await open(dir, { durability: "memory" });
    await first.admit(sampleTask("a"));
    equal(first.size, 1);
    await first.close(10);
    const second = await open(dir, { durability: "memory" });
    equal(second.size, 0);
    await second.close(10);
  });
});

Deno.test("DurableQueue.close() waits for deliveries in flight, up to its deadline", async () => {
  await withTempDir(async (dir) => {
    let finish!: () => void;
    const queue = await open(dir, {
      publish: () => new Promise((resolve) => finish = () => resolve({ id: "n" })),
    });
    await queue.admit(sampleTask("a"));
    await waitFor(() => queue.counts().inFlight === 1, { timeoutMs: 5_000, what: "in flight" });
    const closed = queue.close(5_000);
    finish();
    await closed;
    equal(queue.counts().delivered, 1);
  });
});
