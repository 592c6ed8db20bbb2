// The task journal as a specification: what is acknowledged is replayed, damage at the end
// is cut off without losing complete records, compaction keeps exactly the live tasks, and
// concurrent adds share fsyncs.
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { Journal, JOURNAL_FILE_NAME } from "../../../daemon/queue/journal.ts";
import { RecordEncoder } from "../../../daemon/queue/_journal_record.ts";
import type { QueueError } from "../../../daemon/queue/queue_error.ts";
import { pseudoRandomBytes, sampleTask, withTempDir } from "./_tasks.ts";
import { tempDir } from "../../support/temp_dir.ts";

const ids = (entries: { id: string }[]) => entries.map((entry) => entry.id);

/** Writes a journal holding adds for `names` and returns its bytes and each record's start. */
async function journalBytes(dir: string, names: string[]) {
  const { journal } = await Journal.open(dir, { fsync: false });
  const starts: number[] = [];
  for (const name of names) {
    starts.push(journal.stats.fileBytes);
    await journal.add({ id: name, task: sampleTask(name), acceptedAt: 1 });
  }
  await journal.close();
  return { bytes: await Deno.readFile(`${dir}/${JOURNAL_FILE_NAME}`), starts };
}

Deno.test("Journal.open() creates a private journal folder and file", async () => {
  await withTempDir(async (root) => {
    const dir = `${root}/state/journal`;
    const { journal, pending, warnings } = await Journal.open(dir);
    deepEqual(pending, []);
    deepEqual(warnings, []);
    equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    equal((await Deno.stat(journal.path)).mode! & 0o777, 0o600);
    await journal.close();
  });
});

Deno.test("replay returns tasks not done or dead, in acceptance order, with attempts", async () => {
  await withTempDir(async (dir) => {
    const { journal } = await Journal.open(dir);
    await journal.add({ id: "a", task: sampleTask("a"), acceptedAt: 10 });
    await journal.add({ id: "b", task: sampleTask("b"), acceptedAt: 20 });
    await journal.add({ id: "c", task: sampleTask("c"), acceptedAt: 30 });
    journal.markAttempt("b", 2, "HTTP 502");
    journal.markDone("a");
    journal.markDead("c", "HTTP 403");
    await journal.add({ id: "d", task: sampleTask("d"), attempts: 1, acceptedAt: 40 });
    equal(journal.has("a"), false);
    equal(journal.has("b"), true);
    await journal.close();

    const reopened = await Journal.open(dir);
    deepEqual(reopened.pending, [
      { id: "b", task: sampleTask("b"), attempts: 2, acceptedAt: 20, lastError: "HTTP 502" },
      { id: "d", task: sampleTask("d"), attempts: 1, acceptedAt: 40 },
    ]);
    deepEqual(reopened.warnings, []);
    await reopened.journal.close();
  });
});

Deno.test("replay keeps every complete record when the last one is torn at any byte", async () => {
  await withTempDir(async (dir) => {
    const { bytes, starts } = await journalBytes(`${dir}/source`, ["a", "b", "c"]);
    const lastStart = starts[2]!;
    for (let cut = lastStart; cut < bytes.length; cut++) {
      const target = `${dir}/cut-${cut}`;
      await Deno.mkdir(target);
      await Deno.writeFile(`${target}/${JOURNAL_FILE_NAME}`, bytes.subarray(0, cut));
      const { journal, pending, warnings } = await Journal.open(target, { fsync: false });
      deepEqual(ids(pending), ["a", "b"], `cut at ${cut}`);
      equal(warnings.length, cut === lastStart ? 0 : 1, `cut at ${cut}`);
      equal(journal.stats.fileBytes, lastStart);
      await journal.close();
      equal((await Deno.stat(`${target}/${JOURNAL_FILE_NAME}`)).size, lastStart);
      await Deno.remove(target, { recursive: true });
    }
  });
});

Deno.test("replay drops random garbage after the last record and keeps all records", async () => {
  await withTempDir(async (dir) => {
    const { bytes } = await journalBytes(`${dir}/source`, ["a", "b", "c"]);
    for (let seed = 1; seed <= 60; seed++) {
      const target = `${dir}/garbage-${seed}`;
      await Deno.mkdir(target);
      const garbage = pseudoRandomBytes(1 + seed * 7, seed);
      const file = new Uint8Array(bytes.length + garbage.length);
      file.set(bytes);
      file.set(garbage, bytes.length);
      await Deno.writeFile(`${target}/${JOURNAL_FILE_NAME}`, file);
      const { journal, pending, warnings } = await Journal.open(target, { fsync: false });
      deepEqual(ids(pending), ["a", "b", "c"], `seed ${seed}`);
      equal(warnings.length, 1);
      await journal.close();
      equal((await Deno.stat(`${target}/${JOURNAL_FILE_NAME}`)).size, bytes.length);
      await Deno.remove(target, { recursive: true });
    }
  });
});

Deno.test("replay drops a torn last record followed by garbage", async () => {
  await withTempDir(async (dir) => {
    const { bytes, starts } = await journalBytes(`${dir}/source`, ["a", "b", "c"]);
    const cut = starts[2]! + 11;
    const file = new Uint8Array(cut + 100);
    file.set(bytes.subarray(0, cut));
    file.set(pseudoRandomBytes(100, 42), cut);
    await Deno.writeFile(`${dir}/source/${JOURNAL_FILE_NAME}`, file);
    const { journal, pending } = await Journal.open(`${dir}/source`, { fsync: false });
    deepEqual(ids(pending), ["a", "b"]);
    await journal.close();
  });
});

Deno.test("replay drops a last record whose CRC does not match", async () => {
  await withTempDir(async (dir) => {
    const { bytes } = await journalBytes(dir, ["a", "b", "c"]);
    bytes[bytes.length - 3]! ^= 0xff;
    await Deno.writeFile(`${dir}/${JOURNAL_FILE_NAME}`, bytes);
    const { journal, pending, warnings } = await Journal.open(dir);
    deepEqual(ids(pending), ["a", "b"]);
    ok(warnings[0]?.includes("torn or corrupt journal tail"), warnings[0]);
    await journal.close();
  });
});

Deno.test("replay skips a damaged record in the middle, keeps later ones and a copy", async () => {
  await withTempDir(async (dir) => {
    const { bytes, starts } = await journalBytes(dir, ["a", "b", "c"]);
    bytes[starts[1]! + 20]! ^= 0xff;
    await Deno.writeFile(`${dir}/${JOURNAL_FILE_NAME}`, bytes);
    const first = await Journal.open(dir, { now: () => 1234 });
    deepEqual(ids(first.pending), ["a", "c"]);
    ok(first.warnings.some((w) => w.includes("unreadable journal bytes at offset")));
    ok(first.warnings.some((w) => w.includes("corrupt-1234.journal")));
    await first.journal.close();
    deepEqual(await Deno.readFile(`${dir}/corrupt-1234.journal`), bytes);

    const second = await Journal.open(dir);
    deepEqual(ids(second.pending), ["a", "c"]);
    deepEqual(second.warnings, [], "the journal was rewritten clean");
    await second.journal.close();
  });
});

Deno.test("Journal.open() refuses a journal from a newer format version", async () => {
  await withTempDir(async (dir) => {
    const header = new RecordEncoder().encode({
      type: "header",
      format: "claude-ntfy-journal",
      version: 99,
      createdAt: 0,
    });
    await Deno.writeFile(`${dir}/${JOURNAL_FILE_NAME}`, header);
    await rejects(Journal.open(dir), (error: QueueError) => {
      equal(error.code, "QUEUE_UNSUPPORTED_FORMAT");
      return true;
    });
  });
});

Deno.test("compaction keeps exactly the live tasks, with attempts, and survives reopen", async () => {
  await withTempDir(async (dir) => {
    const { journal } = await Journal.open(dir, { compactAfterBytes: 32 * 1024 });
    const live: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const id = `t${i}`;
      await journal.add({ id, task: sampleTask(i), acceptedAt: i });
      if (i % 10 === 0) {
        live.push(id);
        journal.markAttempt(id, 3, "HTTP 503");
      } else journal.markDone(id);
    }
    await journal.flush();
    const before = journal.stats;
    ok(before.compactions >= 1, `compactions ${before.compactions}`);
    ok(
      before.fileBytes < before.bytesWritten / 3,
      `file is ${before.fileBytes} bytes after writing ${before.bytesWritten}`,
    );
    equal(before.liveTasks, live.length);
    await journal.close();
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [JOURNAL_FILE_NAME]);

    const reopened = await Journal.open(dir);
    deepEqual(ids(reopened.pending), live);
    ok(reopened.pending.every((entry) => entry.attempts === 3 && entry.lastError === "HTTP 503"));
    deepEqual(reopened.pending[1]?.task, sampleTask(10));
    deepEqual(reopened.warnings, []);
    await reopened.journal.close();
  });
});

Deno.test("compaction under concurrent adds and dones loses nothing", async () => {
  await withTempDir(async (dir) => {
    const { journal } = await Journal.open(dir, { compactAfterBytes: 8 * 1024 });
    const model = new Set<string>();
    for (let round = 0; round < 40; round++) {
      const adds = [];
      for (let i = 0; i < 50; i++) {
        const id = `r${round}-${i}`;
        model.add(id);
        adds.push(journal.add({ id, task: sampleTask(id) }));
      }
      // Finish older tasks while these adds and any compaction are in progress.
      for (const id of [...model].slice(0, 40)) {
        model.delete(id);
        journal.markDone(id);
      }
      await Promise.all(adds);
    }
    ok(journal.stats.compactions >= 3, `compactions ${journal.stats.compactions}`);
    await journal.compact();
    await journal.close();
    const reopened = await Journal.open(dir);
    deepEqual(ids(reopened.pending), [...model]);
    await reopened.journal.close();
  });
});

Deno.test("group commit: 1,000 concurrent adds resolve with far fewer fsyncs", async () => {
  await withTempDir(async (dir) => {
    const { journal } = await Journal.open(dir);
    const syncsBefore = journal.stats.syncs;
    await Promise.all(
      Array.from({ length: 1_000 }, (_, i) => journal.add({ id: `g${i}`, task: sampleTask(i) })),
    );
    const syncs = journal.stats.syncs - syncsBefore;
    ok(syncs >= 1 && syncs <= 10, `${syncs} fsyncs for 1,000 adds`);
    equal(journal.stats.liveTasks, 1_000);
    await journal.close();
    const reopened = await Journal.open(dir);
    equal(reopened.pending.length, 1_000);
    await reopened.journal.close();
  });
});

Deno.test("lazy records are written before close() returns", async () => {
  await withTempDir(async (dir) => {
    const { journal } = await Journal.open(dir, { lazySyncMs: 60_000 });
    await journal.add({ id: "a", task: sampleTask("a") });
    journal.markDone("a");
    await journal.close();
    const reopened = await Journal.open(dir);
    deepEqual(reopened.pending, []);
    await reopened.journal.close();
  });
});

/** Opens a copy of `dir`'s journal file in a fresh folder: what a crash right now leaves. */
async function pendingAfterCrash(dir: string): Promise<string[]> {
  await using copy = await tempDir({ prefix: "cn-queue-copy-" });
  await Deno.copyFile(`${dir}/${JOURNAL_FILE_NAME}`, `${copy.path}/${JOURNAL_FILE_NAME}`);
  const { journal, pending } = await Journal.open(copy.path, { fsync: false });
  await journal.close();
  return ids(pending);
}

Deno.test("lazy records are held for lazyWriteMs and then written together", async () => {
  await withTempDir(async (dir) => {
    const { journal } = await Journal.open(dir, { lazyWriteMs: 300 });
    for (const id of ["a", "b", "c"]) await journal.add({ id, task: sampleTask(id) });
    const before = journal.stats;
    const start = performance.now();
    journal.markDone("a");
    journal.markAttempt("b", 1, "HTTP 502");
    await new Promise((resolve) => setTimeout(resolve, 5));
    journal.markDead("c", "HTTP 403");
    await new Promise((resolve) => setTimeout(resolve, 5));
    equal(journal.stats.writes, before.writes, "nothing written before lazyWriteMs");
    deepEqual(await pendingAfterCrash(dir), ["a", "b", "c"]);
    while (journal.stats.writes === before.writes && performance.now() - start < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    ok(performance.now() - start >= 295, `written after ${performance.now() - start} ms`);
    equal(journal.stats.writes, before.writes + 1, "one write for all three");
    equal(journal.stats.records, before.records + 3);
    deepEqual(await pendingAfterCrash(dir), ["b"]);
    await journal.close();
  });
});

Deno.test("lazy records are written with the next add, before it resolves", async () => {
  await withTempDir(async (dir) => {
    const { journal } = await Journal.open(dir, { lazyWriteMs: 60_000 });
    await journal.add({ id: "a", task: sampleTask("a") });
    const before = journal.stats;
    journal.markDone("a");
    await journal.add({ id: "b", task: sampleTask("b") });
    equal(journal.stats.writes, before.writes + 1);
    equal(journal.stats.liveTasks, 1);
    deepEqual(await pendingAfterCrash(dir), ["b"]);
    await journal.close();
  });
});

Deno.test("records are written in call order, whatever waits for them", async () => {
  await withTempDir(async (dir) => {
    const { journal } = await Journal.open(dir, { lazyWriteMs: 60_000 });
    // Done before its add was written: the add still comes first in the file.
    const early = journal.add({ id: "a", task: sampleTask("a") });
    journal.markDone("a");
    await early;
    // Given up and then accepted again (a retried dead letter): the new add comes last.
    await journal.add({ id: "b", task: sampleTask("b") });
    journal.markDead("b", "HTTP 403");
    await journal.add({ id: "b", task: sampleTask("b"), attempts: 0 });
    journal.markAttempt("b", 1, "HTTP 502");
    await journal.flush();
    deepEqual(await pendingAfterCrash(dir), ["b"]);
    equal(journal.stats.liveTasks, 1);
    await journal.close();
    const reopened = await Journal.open(dir);
    deepEqual(reopened.pending.map(({ id, attempts }) => ({ id, attempts })), [
      { id: "b", attempts: 1 },
    ]);
    await reopened.journal.close();
  });
});

Deno.test("flush() writes held lazy records and fsyncs them", async () => {
  await withTempDir(async (dir) => {
    const { journal } = await Journal.open(dir, { lazyWriteMs: 60_000, lazySyncMs: 60_000 });
    await journal.add({ id: "a", task: sampleTask("a") });
    const before = journal.stats;
    journal.markDone("a");
    await journal.flush();
    equal(journal.stats.writes, before.writes + 1);
    equal(journal.stats.syncs, before.syncs + 1);
    deepEqual(await pendingAfterCrash(dir), []);
    await journal.close();
  });
});

Deno.test("a held lazy write does not keep the process alive; the task is replayed", async () => {
  await withTempDir(async (dir) => {
    const child = new URL("./_journal_exit_child.ts", import.meta.url).pathname;
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--allow-read", "--allow-write", child, dir],
      cwd: new URL("../../../", import.meta.url).pathname,
      stdout: "null",
      signal: AbortSignal.timeout(20_000),
    }).output();
    equal(code, 0);
    // The done record was never written: at least once, the task is delivered again.
    const { journal, pending } = await Journal.open(dir);
    deepEqual(ids(pending), ["a"]);
    await journal.close();
  });
});

Deno.test("add() after close() rejects with QUEUE_CLOSED and marks are ignored", async () => {
  await withTempDir(async (dir) => {
    const { journal } = await Journal.open(dir);
    await journal.close();
    await rejects(journal.add({ id: "a", task: sampleTask("a") }), (error: QueueError) => {
      equal(error.code, "QUEUE_CLOSED");
      return true;
    });
    journal.markDone("a");
  });
});

Deno.test("add() refuses a record over maxRecordBytes with a RangeError", async () => {
  await withTempDir(async (dir) => {
    const { journal } = await Journal.open(dir, { maxRecordBytes: 100 });
    await rejects(journal.add({ id: "a", task: sampleTask("a") }), RangeError);
    await journal.close();
  });
});
