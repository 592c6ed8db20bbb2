// A task that arrives as msgpack is journaled as those bytes: replayed and read back as the
// same task, and byte for byte what encoding it again would have written.
import { deepEqual, notDeepEqual } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { Journal, JOURNAL_FILE_NAME } from "../../../daemon/queue/journal.ts";
import { MsgpackEncoder } from "../../../protocol/msgpack_encoder.ts";
import { sampleTask, withTempDir } from "./_tasks.ts";

async function fileOf(dir: string, add: (journal: Journal) => Promise<void>) {
  const { journal } = await Journal.open(dir, { fsync: false, now: () => 5 });
  await add(journal);
  await journal.close();
  return await Deno.readFile(`${dir}/${JOURNAL_FILE_NAME}`);
}

Deno.test("an add with the task's msgpack bytes writes what encoding the task writes", async () => {
  const task = sampleTask("a");
  const encodedTask = new MsgpackEncoder().encode(task);
  await withTempDir(async (root) => {
    const plain = await fileOf(`${root}/plain`, (journal) => journal.add({ id: "a", task }));
    const spliced = await fileOf(
      `${root}/spliced`,
      (journal) => journal.add({ id: "a", task, encodedTask }),
    );
    deepEqual(spliced, plain);
  });
});

Deno.test("a task whose bytes hold its fields in another order replays and reads back equal", async () => {
  const task = sampleTask("b");
  const { message, target, origin } = task;
  const encodedTask = encode({
    origin,
    message: { ...message, title: undefined, ...message },
    target,
  }, {
    ignoreUndefined: true,
  });
  await withTempDir(async (dir) => {
    const { journal } = await Journal.open(dir, { fsync: false });
    await journal.add({ id: "b", task, encodedTask });
    deepEqual(journal.read("b")?.task, task);
    await journal.close();
    const reopened = await Journal.open(dir, { fsync: false });
    deepEqual(reopened.pending.map((entry) => entry.task), [task]);
    await reopened.journal.close();
    notDeepEqual(Object.keys(reopened.pending[0]!.task), Object.keys(task));
  });
});
