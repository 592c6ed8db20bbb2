// Held tasks in the durable queue: a task with a notBefore is journaled like any task, waits
// until its time through a restart, and a cancellation is written to the journal (a `done`
// record marked `cancelled`) before it is acknowledged, so a restart never sends it.
import { deepEqual, equal, ok } from "node:assert/strict";
import { DurableQueue } from "../../../daemon/queue/durable_queue.ts";
import type { QueueDelivery } from "../../../daemon/queue/durable_queue_options.ts";
import { JOURNAL_FILE_NAME } from "../../../daemon/queue/journal.ts";
import { scanRecords } from "../../../daemon/queue/_journal_record.ts";
import { Logger } from "../../../daemon/log.ts";
import type { NotificationTask } from "../../../protocol/mod.ts";
import { waitFor } from "../../support/wait_for.ts";
import { sampleTask, withTempDir } from "./_tasks.ts";

function open(
  dir: string,
  publish: QueueDelivery["publish"] = () => new Promise(() => {}),
): Promise<DurableQueue> {
  return DurableQueue.open({
    journalDir: `${dir}/journal`,
    deadLetterPath: `${dir}/dead-letters.jsonl`,
    durability: "fsync",
    delivery: {
      publish,
      classify: (error) => ({ retryable: false, message: String(error) }),
      retryDelayMs: () => null,
    },
    settings: { maxQueueSize: 100, retryAttempts: 0, retryDelaySecs: 1 },
    concurrency: 2,
    log: new Logger({ level: "error", sink: () => {} }),
  });
}

function heldTask(name: string, notBefore: number): NotificationTask {
  return { ...sampleTask(name), notBefore };
}

/** The journal's records, as written. */
async function records(dir: string) {
  const bytes = await Deno.readFile(`${dir}/journal/${JOURNAL_FILE_NAME}`);
  return scanRecords(bytes).records.map(({ record }) => record);
}

Deno.test("DurableQueue keeps a held task through a restart and delivers it once, at its time", async () => {
  await withTempDir(async (dir) => {
    const notBefore = Date.now() + 300;
    const first = await open(dir);
    const id = await first.admit(heldTask("held", notBefore));
    deepEqual(first.heldTasks().map((held) => held.id), [id]);
    equal(first.counts().held, 1);
    await first.close(10);

    const published: Array<{ body: string; at: number }> = [];
    const second = await open(dir, (task) => {
      published.push({ body: task.message.body, at: Date.now() });
      return Promise.resolve({ id: "ntfy" });
    });
    deepEqual(second.heldTasks().map((held) => held.id), [id], "still held after the restart");
    await waitFor(() => second.counts().delivered === 1, { what: "the held task" });
    equal(published.length, 1);
    ok(published[0]!.at >= notBefore, `sent ${notBefore - published[0]!.at} ms early`);
    await second.close(1_000);

    const third = await open(dir);
    equal(third.size, 0, "a delivered held task is not replayed");
    await third.close(10);
  });
});

Deno.test("DurableQueue.cancel() journals the cancellation durably and the task never goes", async () => {
  await withTempDir(async (dir) => {
    const published: string[] = [];
    const queue = await open(dir, (task) => {
      published.push(task.message.body);
      return Promise.resolve({ id: "ntfy" });
    });
    const id = await queue.admit(heldTask("cancel me", Date.now() + 60_000));
    equal(await queue.cancel(id), true);
    equal(await queue.cancel(id), false, "only once");
    equal(queue.has(id), false);
    deepEqual(queue.counts().cancelled, 1);
    // Written and synced before cancel() resolved: read the file while the queue is open.
    const written = await records(dir);
    ok(
      written.some((record) => record?.type === "done" && record.id === id && record.cancelled),
      JSON.stringify(written),
    );
    await queue.close(10);

    const reopened = await open(dir);
    equal(reopened.size, 0, "a cancelled task is not replayed");
    await reopened.close(10);
    deepEqual(published, []);
  });
});

Deno.test("DurableQueue.cancel() is false once the task was sent", async () => {
  await withTempDir(async (dir) => {
    const queue = await open(dir, () => Promise.resolve({ id: "ntfy" }));
    const id = await queue.admit(sampleTask("now"));
    await waitFor(() => queue.counts().delivered === 1, { what: "the delivery" });
    equal(await queue.cancel(id), false);
    equal(queue.counts().cancelled, 0);
    await queue.close(10);
  });
});

Deno.test("DurableQueue lists a held task as queued with its notBefore", async () => {
  await withTempDir(async (dir) => {
    const queue = await open(dir);
    const notBefore = Date.now() + 60_000;
    const id = await queue.admit(heldTask("listed", notBefore));
    const [listed] = queue.list().tasks;
    equal(listed?.id, id);
    equal(listed?.state, "queued");
    equal(listed?.task.notBefore, notBefore);
    await queue.close(10);
  });
});
