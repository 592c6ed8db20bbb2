// The durable queue's memory bound as a specification: however many tasks a burst brings,
// the delivery engine holds at most `maxTasksInMemory` of them decoded (queued, in flight,
// held for a digest); the others wait in the journal as ids and go out in the order they
// were accepted, can be listed and cancelled, and survive a restart.
import { deepEqual, equal, ok } from "node:assert/strict";
import { DurableQueue } from "../../../daemon/queue/durable_queue.ts";
import type { QueueDelivery, QueueSettings } from "../../../daemon/queue/durable_queue_options.ts";
import { Logger } from "../../../daemon/log.ts";
import { waitFor } from "../../support/wait_for.ts";
import { sampleTask, withTempDir } from "./_tasks.ts";
import { errorMessage } from "../../../protocol/error_message.ts";

function open(
  dir: string,
  publish: QueueDelivery["publish"],
  options: { maxTasksInMemory: number; settings?: Partial<QueueSettings> },
): Promise<DurableQueue> {
  return DurableQueue.open({
    journalDir: `${dir}/journal`,
    deadLetterPath: `${dir}/dead-letters.jsonl`,
    durability: "write",
    delivery: {
      publish,
      classify: (error) => ({ retryable: false, message: errorMessage(error) }),
      retryDelayMs: () => null,
    },
    settings: { maxQueueSize: 1_000, retryAttempts: 0, retryDelaySecs: 1, ...options.settings },
    concurrency: 2,
    maxTasksInMemory: options.maxTasksInMemory,
    log: new Logger({ level: "error", sink: () => {} }),
  });
}

const never: QueueDelivery["publish"] = () => new Promise(() => {});

Deno.test("DurableQueue holds at most maxTasksInMemory tasks decoded; the rest wait in the journal, in order", async () => {
  await withTempDir(async (dir) => {
    const gate = Promise.withResolvers<void>();
    const published: string[] = [];
    const inMemoryAtEachPublish: number[] = [];
    const queue: DurableQueue = await open(dir, async (task) => {
      inMemoryAtEachPublish.push(queue.tasksInMemory);
      await gate.promise;
      published.push(task.message.body);
      return { id: "ntfy" };
    }, { maxTasksInMemory: 5 });

    await Promise.all(Array.from({ length: 40 }, (_, n) => queue.admit(sampleTask(n))));
    equal(queue.tasksInMemory, 5, "the engine's fill, no more");
    equal(queue.size, 40, "every task counts against the queue limit");
    const counts = queue.counts();
    equal(counts.queued + counts.inFlight, 40);
    deepEqual(
      queue.list(100).tasks.map((task) => task.task.message.body),
      Array.from({ length: 40 }, (_, n) => `task ${n}`),
      "waiting tasks are listed after the engine's, in acceptance order",
    );

    gate.resolve();
    await waitFor(() => queue.counts().delivered === 40, { what: "40 deliveries" });
    deepEqual(published, Array.from({ length: 40 }, (_, n) => `task ${n}`));
    ok(
      inMemoryAtEachPublish.every((count) => count <= 5),
      `never more than 5 in memory: ${inMemoryAtEachPublish.join(", ")}`,
    );
    equal(queue.size, 0);
    await queue.close(1_000);
  });
});

Deno.test("DurableQueue's pacer holds a burst for a digest within the memory bound", async () => {
  await withTempDir(async (dir) => {
    // One notification per hour to the topic: everything after the first waits for a digest.
    const queue = await open(dir, never, {
      maxTasksInMemory: 8,
      settings: { digestAfter: 1, digestWindowSecs: 3_600 },
    });
    await Promise.all(Array.from({ length: 50 }, (_, n) => queue.admit(sampleTask(n))));
    // The first goes once the burst of 50 has been taken in (see IntakeBurst).
    await waitFor(() => queue.counts().inFlight === 1, { what: "the first delivery" });
    equal(queue.tasksInMemory, 8);
    const counts = queue.counts();
    equal(counts.inFlight, 1, "the first went");
    equal(counts.queued, 49, "the others wait: 7 held by the pacer, 42 in the journal");
    await queue.close(10);
  });
});

Deno.test("DurableQueue: a task waiting in the journal can be cancelled, and the rest survive a restart", async () => {
  await withTempDir(async (dir) => {
    const first = await open(dir, never, { maxTasksInMemory: 2 });
    const ids = [];
    for (let n = 0; n < 6; n++) ids.push(await first.admit(sampleTask(n)));
    equal(first.tasksInMemory, 2);
    ok(await first.cancel(ids[4]!), "a waiting task is cancelled like a queued one");
    equal(first.counts().cancelled, 1);
    equal(first.size, 5);
    await first.close(10);

    const published: string[] = [];
    const second = await open(dir, (task) => {
      published.push(task.message.body);
      return Promise.resolve({ id: "ntfy" });
    }, { maxTasksInMemory: 2 });
    await waitFor(() => second.counts().delivered === 5, { what: "5 deliveries" });
    deepEqual(published, ["task 0", "task 1", "task 2", "task 3", "task 5"]);
    await second.close(1_000);
  });
});
