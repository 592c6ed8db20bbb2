// The dead-letter store as a specification: records survive restarts, remove and purge are
// durable, a torn line is dropped, secrets stay in the file but never in a masked listing.
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { DeadLetterStore, maskDeadLetter } from "../../../daemon/queue/dead_letters.ts";
import { maskTask } from "../../../daemon/queue/mask_task.ts";
import type { QueueError } from "../../../daemon/queue/queue_error.ts";
import { sampleTask, withTempDir } from "./_tasks.ts";

const letter = (id: string, token?: string) => ({
  id,
  task: sampleTask(id, token),
  reason: "HTTP 403: forbidden",
  attempts: 1,
});

Deno.test("DeadLetterStore keeps records across restarts in a 0600 file", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/state/dead-letters.jsonl`;
    const { store } = await DeadLetterStore.open(path, { now: () => 99 });
    await store.add(letter("a", "tk_secret"));
    await store.add(letter("b"));
    await store.close();
    equal((await Deno.stat(path)).mode! & 0o777, 0o600);

    const { store: reopened, warnings } = await DeadLetterStore.open(path);
    deepEqual(warnings, []);
    deepEqual(reopened.list(), [
      { ...letter("a", "tk_secret"), failedAt: 99 },
      { ...letter("b"), failedAt: 99 },
    ]);
    await reopened.close();
  });
});

Deno.test("DeadLetterStore.remove() and purge() are durable and later adds still land", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/dead-letters.jsonl`;
    const { store } = await DeadLetterStore.open(path);
    for (const id of ["a", "b", "c"]) await store.add(letter(id));
    equal((await store.remove("b"))?.id, "b");
    equal(await store.remove("missing"), undefined);
    await store.add(letter("d"));
    await store.close();

    const second = await DeadLetterStore.open(path);
    deepEqual(second.store.list().map((r) => r.id), ["a", "c", "d"]);
    equal(await second.store.purge(), 3);
    await second.store.add(letter("e"));
    await second.store.close();

    const third = await DeadLetterStore.open(path);
    deepEqual(third.store.list().map((r) => r.id), ["e"]);
    await third.store.close();
  });
});

Deno.test("DeadLetterStore drops a torn last line and keeps appending cleanly", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/dead-letters.jsonl`;
    const { store } = await DeadLetterStore.open(path);
    await store.add(letter("a"));
    await store.add(letter("b"));
    await store.close();
    const text = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, text.slice(0, text.length - 20));

    const second = await DeadLetterStore.open(path);
    equal(second.warnings.length, 1);
    deepEqual(second.store.list().map((r) => r.id), ["a"]);
    await second.store.add(letter("c"));
    await second.store.close();

    const third = await DeadLetterStore.open(path);
    deepEqual(third.warnings, []);
    deepEqual(third.store.list().map((r) => r.id), ["a", "c"]);
    await third.store.close();
  });
});

Deno.test("DeadLetterStore keeps at most maxEntries, dropping the oldest", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/dead-letters.jsonl`;
    const { store } = await DeadLetterStore.open(path, { maxEntries: 3, fsync: false });
    for (let i = 0; i < 10; i++) await store.add(letter(`t${i}`));
    deepEqual(store.list().map((r) => r.id), ["t7", "t8", "t9"]);
    await store.close();
    const lines = (await Deno.readTextFile(path)).trim().split("\n");
    ok(lines.length <= 6, `file holds ${lines.length} lines`);
    const reopened = await DeadLetterStore.open(path, { maxEntries: 3 });
    deepEqual(reopened.store.list().map((r) => r.id), ["t7", "t8", "t9"]);
    await reopened.store.close();
  });
});

Deno.test("DeadLetterStore rejects writes after close() with QUEUE_CLOSED", async () => {
  await withTempDir(async (dir) => {
    const { store } = await DeadLetterStore.open(`${dir}/d.jsonl`);
    await store.close();
    await rejects(store.add(letter("a")), (error: QueueError) => error.code === "QUEUE_CLOSED");
  });
});

Deno.test("maskTask() hides auth, URL passwords and secret action headers, nothing else", () => {
  const task = {
    ...sampleTask("a", "tk_secret"),
    message: {
      body: "b",
      actions: [{
        action: "http",
        label: "ack",
        url: "https://example.com",
        headers: { Authorization: "Bearer x", "X-Trace": "1" },
      }],
    },
  };
  const masked = maskTask(task);
  deepEqual(masked.target.auth, { type: "bearer", token: "********" });
  deepEqual(masked.message.actions?.[0]?.headers, { Authorization: "********", "X-Trace": "1" });
  equal(masked.target.topic, "alerts");
  equal(task.target.auth?.type === "bearer" && task.target.auth.token, "tk_secret");

  const basic = maskTask({
    ...task,
    target: {
      serverUrl: "https://ada:pw@ntfy.example.com",
      topic: "t",
      auth: { type: "basic", username: "ada", password: "pw" },
    },
  });
  deepEqual(basic.target.auth, { type: "basic", username: "ada", password: "********" });
  equal(basic.target.serverUrl, "https://ada:********@ntfy.example.com/");
  ok(!JSON.stringify(maskDeadLetter({ ...letter("z", "tk_z"), failedAt: 0 })).includes("tk_z"));
});
