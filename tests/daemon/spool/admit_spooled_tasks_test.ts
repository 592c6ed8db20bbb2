// Spooled tasks go through acceptTask with the id spool-<file>: accepted files are deleted,
// a task for a server the daemon may not reach is set aside, a full queue leaves the file,
// and a task already held is not taken twice.
import { deepEqual, equal, ok } from "node:assert/strict";
import { admitSpooledTasks } from "../../../daemon/spool/admit_spooled_tasks.ts";
import { DaemonError } from "../../../daemon/errors.ts";
import { Logger } from "../../../daemon/log.ts";
import type { AcceptTask } from "../../../daemon/accept_task.ts";
import { writeSpoolFile } from "../../../core/spool/write_spool_file.ts";
import { waitFor } from "../../support/wait_for.ts";
import { sampleTask, withTempDir } from "../queue/_tasks.ts";

const taskFiles = (dir: string) =>
  [...Deno.readDirSync(dir)].map((entry) => entry.name).filter((name) => name.endsWith(".task"));

function admission(dir: string, acceptTask: AcceptTask, held: Set<string> = new Set()) {
  const lines: string[] = [];
  const { spool } = admitSpooledTasks(dir, {
    acceptTask,
    takeEvent: () => Promise.reject(new Error("no events in these tests")),
    queue: { has: (id) => held.has(id) },
    log: new Logger({ level: "debug", sink: (line) => lines.push(line) }),
  });
  return { spool, lines };
}

Deno.test("admitSpooledTasks() accepts each spooled task as spool-<file> and deletes it", async () => {
  await withTempDir(async (dir) => {
    const path = await writeSpoolFile(dir, sampleTask("early"));
    const accepted: Array<[string, string | undefined]> = [];
    const { spool, lines } = admission(dir, (task, id) => {
      accepted.push([task.message.body, id]);
      return Promise.resolve(id!);
    });
    await waitFor(() => accepted.length === 1, {
      timeoutMs: 5_000,
      what: "the spooled task at start",
    });
    await writeSpoolFile(dir, sampleTask("later"));
    await waitFor(() => accepted.length === 2, {
      timeoutMs: 5_000,
      what: "the task spooled while watching",
    });
    await spool.close();
    const name = path.slice(dir.length + 1).replace(/\.task$/, "");
    deepEqual(accepted[0], ["task early", `spool-${name}`]);
    equal(accepted[1]![0], "task later");
    deepEqual(taskFiles(dir), []);
    ok(lines.some((line) => line.includes("spool ingested")), lines.join("\n"));
  });
});

Deno.test("admitSpooledTasks() sets a task for a server it may not reach aside", async () => {
  await withTempDir(async (dir) => {
    await writeSpoolFile(dir, sampleTask("elsewhere"));
    const { spool } = admission(
      dir,
      () => Promise.reject(new DaemonError("HOST_NOT_PERMITTED", "No network permission")),
    );
    await waitFor(() => taskFiles(dir).length === 0, { timeoutMs: 5_000, what: "the file moved" });
    await spool.close();
    equal(taskFiles(`${dir}/rejected`).length, 1);
  });
});

Deno.test("admitSpooledTasks() leaves the file when the queue is full", async () => {
  await withTempDir(async (dir) => {
    await writeSpoolFile(dir, sampleTask("waiting"));
    let tries = 0;
    const { spool } = admission(dir, () => {
      tries += 1;
      return Promise.reject(new DaemonError("QUEUE_FULL", "Queue is full", true));
    });
    await waitFor(() => tries > 0, { timeoutMs: 5_000, what: "a try" });
    await spool.close();
    equal(taskFiles(dir).length, 1);
  });
});

Deno.test("admitSpooledTasks() does not take a task it already holds twice", async () => {
  await withTempDir(async (dir) => {
    const path = await writeSpoolFile(dir, sampleTask("held"));
    const id = `spool-${path.slice(dir.length + 1).replace(/\.task$/, "")}`;
    let calls = 0;
    const { spool } = admission(dir, () => {
      calls += 1;
      return Promise.resolve("x");
    }, new Set([id]));
    await waitFor(() => taskFiles(dir).length === 0, {
      timeoutMs: 5_000,
      what: "the file deleted",
    });
    await spool.close();
    equal(calls, 0);
  });
});
