// The spool as a specification: hook-side writes are atomic and private; the daemon takes
// every file in exactly once, at start or live through the watcher, and sets bad files
// aside with a reason instead of losing them or crashing.
import { deepEqual, equal, match } from "node:assert/strict";
import { type SpoolEntry, SpoolIngester } from "../../../daemon/spool/mod.ts";
import { writeSpoolFile } from "../../../core/spool/write_spool_file.ts";
import { sampleTask, withTempDir } from "../queue/_tasks.ts";
import { waitFor } from "../../support/wait_for.ts";

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

/** A spooled task's body, or the raw event's payload as text. */
function bodyOf(entry: SpoolEntry): string {
  return entry.kind === "task"
    ? entry.task.message.body
    : new TextDecoder().decode(entry.request.payload);
}

Deno.test("writeSpoolFile() writes a private, well-named file atomically", async () => {
  await withTempDir(async (root) => {
    const dir = `${root}/state/spool`;
    const path = await writeSpoolFile(dir, sampleTask(1, "tk_1"), { now: () => 1_700_000_000_123 });
    match(path, new RegExp(`^${dir}/001700000000123-${Deno.pid}-[0-9a-f]{8}\\.task$`));
    equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    deepEqual(names(dir), [path.slice(dir.length + 1)], "no temp file is left");
    deepEqual(JSON.parse(await Deno.readTextFile(path)).task, sampleTask(1, "tk_1"));
  });
});

Deno.test("100 spool files written concurrently are ingested exactly once, in order", async () => {
  await withTempDir(async (dir) => {
    await Promise.all(Array.from({ length: 100 }, (_, i) => writeSpoolFile(dir, sampleTask(i))));
    const seen: string[] = [];
    const bodies = new Set<string>();
    const ingester = new SpoolIngester(dir);
    const handler = async (entry: SpoolEntry, name: string) => {
      seen.push(name);
      bodies.add(bodyOf(entry));
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    // Passes requested while one runs must not hand out the same file twice.
    const first = ingester.ingestAll(handler);
    await waitFor(() => seen.length > 0, { what: "the first file", intervalMs: 1 });
    const more = Promise.all(
      Array.from({ length: 10 }, (_, i) => writeSpoolFile(dir, sampleTask(i + 100))),
    );
    const [second, third] = [ingester.ingestAll(handler), ingester.ingestAll(handler)];
    await more;
    const summaries = await Promise.all([first, second, third]);
    equal(seen.length, 110);
    equal(new Set(seen).size, 110);
    equal(bodies.size, 110);
    deepEqual(seen.slice(0, 100), seen.slice(0, 100).sort(), "files are taken in name order");
    equal(summaries[1], summaries[2], "requests made during a pass share the next pass");
    equal(summaries[0]!.ingested + summaries[1]!.ingested, 110);
    deepEqual(names(dir), []);
    await ingester.close();
  });
});

Deno.test("a file written while watching is ingested without a restart", async () => {
  await withTempDir(async (root) => {
    const dir = `${root}/spool`;
    const seen: string[] = [];
    const ingester = new SpoolIngester(dir);
    try {
      await ingester.watch((_task, name) => Promise.resolve(void seen.push(name)));
      await writeSpoolFile(dir, sampleTask("live"));
      await waitFor(() => seen.length >= 1, { timeoutMs: 2_000, what: "the live file" });
      // A burst, written concurrently while a pass may be running: each exactly once.
      await Promise.all(Array.from({ length: 50 }, (_, i) => writeSpoolFile(dir, sampleTask(i))));
      await waitFor(() => seen.length >= 51, { what: () => `51 files, ${seen.length} seen` });
      // The barrier before counting, instead of a pause: one more file, named after all the
      // others. Passes never overlap and take files in name order, so once it has been
      // handed over, every pass that could hand over a file of the burst again has run.
      const last = await writeSpoolFile(dir, sampleTask("last"), { now: () => Date.now() + 1e6 });
      const lastName = last.slice(dir.length + 1);
      await waitFor(() => seen.includes(lastName), { what: "the file written last" });
      equal(seen.length, 52, "each file handed over once");
      equal(new Set(seen).size, 52);
      await waitFor(() => names(dir).length === 0, { what: () => `an empty spool: ${names(dir)}` });
    } finally {
      await ingester.close();
    }
  });
});

Deno.test("files already in the spool are ingested when watching starts", async () => {
  await withTempDir(async (dir) => {
    await writeSpoolFile(dir, sampleTask("early"));
    const ingester = new SpoolIngester(dir);
    const seen: string[] = [];
    const summary = await ingester.watch((entry) => Promise.resolve(void seen.push(bodyOf(entry))));
    equal(summary.ingested, 1);
    deepEqual(seen, ["task early"]);
    await ingester.close();
  });
});

Deno.test("a corrupt or invalid spool file moves to rejected/ with a reason", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/000000000000001-1-aaaaaaaa.task`, "{ not json");
    await Deno.writeTextFile(
      `${dir}/000000000000002-1-bbbbbbbb.task`,
      JSON.stringify({
        format: "claude-ntfy-spool",
        version: 1,
        task: { ...sampleTask(2), target: { serverUrl: "https://x", topic: "bad topic!" } },
      }),
    );
    await writeSpoolFile(dir, sampleTask("good"), { now: () => 3 });
    const warnings: string[] = [];
    const seen: string[] = [];
    const ingester = new SpoolIngester(dir, { onWarning: (w) => warnings.push(w) });
    const summary = await ingester.ingestAll((entry) =>
      Promise.resolve(void seen.push(bodyOf(entry)))
    );
    deepEqual(summary, { ingested: 1, rejected: 2, failed: 0 });
    deepEqual(seen, ["task good"]);
    deepEqual(names(`${dir}/rejected`), [
      "000000000000001-1-aaaaaaaa.task",
      "000000000000001-1-aaaaaaaa.task.reason",
      "000000000000002-1-bbbbbbbb.task",
      "000000000000002-1-bbbbbbbb.task.reason",
    ]);
    match(
      await Deno.readTextFile(`${dir}/rejected/000000000000001-1-aaaaaaaa.task.reason`),
      /SyntaxError/,
    );
    match(
      await Deno.readTextFile(`${dir}/rejected/000000000000002-1-bbbbbbbb.task.reason`),
      /Invalid task: target.topic/,
    );
    equal(warnings.length, 2);
    deepEqual(names(dir), ["rejected"]);
    await ingester.close();
  });
});

Deno.test("hidden temp files are ignored, and swept once stale", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/.000000000000001-1-aaaaaaaa.task.tmp`, "{ half writ");
    await Deno.writeTextFile(`${dir}/.other.task`, "{}");
    const young = new SpoolIngester(dir);
    deepEqual(await young.ingestAll(() => Promise.reject(new Error("not expected"))), {
      ingested: 0,
      rejected: 0,
      failed: 0,
    });
    equal(names(dir).length, 2);
    await young.close();

    const old = new SpoolIngester(dir, { staleTempMs: 0, now: () => Date.now() + 1_000 });
    await old.ingestAll(() => Promise.reject(new Error("not expected")));
    deepEqual(names(dir), [".other.task"], "only our stale temp files are removed");
    await old.close();
  });
});

Deno.test("a failing handler leaves the file for a later pass", async () => {
  await withTempDir(async (dir) => {
    await writeSpoolFile(dir, sampleTask("a"));
    const ingester = new SpoolIngester(dir);
    const first = await ingester.ingestAll(() => Promise.reject(new Error("QUEUE_FULL")));
    deepEqual(first, { ingested: 0, rejected: 0, failed: 1 });
    equal(names(dir).length, 1);
    const second = await ingester.ingestAll(async () => {});
    equal(second.ingested, 1);
    deepEqual(names(dir), []);
    await ingester.close();
  });
});

Deno.test("a handler that answers { reject } sends the file to rejected/ and goes on", async () => {
  await withTempDir(async (dir) => {
    await writeSpoolFile(dir, sampleTask("a"), { now: () => 1 });
    await writeSpoolFile(dir, sampleTask("b"), { now: () => 2 });
    const seen: string[] = [];
    const ingester = new SpoolIngester(dir);
    const summary = await ingester.ingestAll((entry) => {
      seen.push(bodyOf(entry));
      return Promise.resolve(
        bodyOf(entry) === "task a" ? { reject: "No network permission for host" } : undefined,
      );
    });
    deepEqual(summary, { ingested: 1, rejected: 1, failed: 0 });
    deepEqual(seen, ["task a", "task b"]);
    equal(names(`${dir}/rejected`).length, 2);
    match(
      await Deno.readTextFile(`${dir}/rejected/${names(`${dir}/rejected`)[1]}`),
      /No network permission/,
    );
    await ingester.close();
  });
});

Deno.test("while watching, a failed handler is retried after retryDelayMs", async () => {
  await withTempDir(async (dir) => {
    let calls = 0;
    const ingester = new SpoolIngester(dir, { retryDelayMs: 50 });
    try {
      await ingester.watch(() => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error("QUEUE_FULL")) : Promise.resolve();
      });
      await writeSpoolFile(dir, sampleTask("a"));
      await waitFor(() => calls === 2 && names(dir).length === 0, {
        what: () => `a second call and an empty spool: ${calls} calls, files ${names(dir)}`,
      });
    } finally {
      await ingester.close();
    }
  });
});
