// Nothing lost: acknowledged tasks survive kill -9, a server that is down, answers 500 or
// 429 or hangs; permanent errors go to the dead letters; spooled tasks are delivered once.
//
// "Exactly once" is counted after a barrier (see settle()), never after a fixed sleep: a
// sleep that is too short on a loaded machine lets a late duplicate go unnoticed.
import { equal, ok, rejects } from "node:assert/strict";
import { connect, type DaemonClient } from "../../client/client.ts";
import type { DaemonStatus, NotificationTask } from "../../protocol/mod.ts";
import { writeSpoolFile } from "../../core/spool/write_spool_file.ts";
import { JOURNAL_FILE_NAME } from "../../daemon/queue/journal.ts";
import { replayJournal } from "../../daemon/queue/_journal_replay.ts";
import { type NtfyTestServer, startNtfyServer } from "../support/ntfy_server.ts";
import { createTestHome, processAlive, type TestHome } from "../support/cli_process.ts";
import { waitFor } from "../support/wait_for.ts";
import { fixtureBytes } from "../support/hook_fixtures.ts";

/**
 * A task whose body names `n`. The timeout is long, so that on a loaded machine a slow
 * answer is not taken for a failure and retried: that would be a legitimate duplicate
 * (delivery is at least once), and these tests count duplicates as bugs.
 */
function task(serverUrl: string, n: number | string, timeoutSecs = 30): NotificationTask {
  return {
    target: { serverUrl, topic: "durable", timeoutSecs },
    message: { body: `message ${n}`, title: `task ${n}`, priority: 3 },
    origin: { event: "test", createdAt: Date.now() },
  };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * These tests count each task's own message, so digests are off (`digest_after = 0`): a
 * digest names several tasks in one message. Digests survive kill -9 too: see
 * digest_durability_test.ts.
 */
function config(serverUrl: string, extra = ""): string {
  return `[ntfy]\nserver_url = "${serverUrl}"\ndefault_topic = "durable"\ntimeout_secs = 30\n` +
    `[hooks]\ndelay_secs = 0\n` +
    `[daemon]\nmax_queue_size = 10000\nretry_attempts = 1000\nretry_delay_secs = 0.05\n` +
    `digest_after = 0\n${extra}`;
}

async function client(home: TestHome) {
  return await connect({ socketPath: home.paths.socketPath, tokenPath: home.paths.tokenPath });
}

/** How often each message body arrived; a count over 1 is a duplicate. */
function bodies(messages: readonly { message: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.message, (counts.get(m.message) ?? 0) + 1);
  return counts;
}

/** The counters that say whether the daemon still holds a task. */
function held(status: DaemonStatus): string {
  const { queueSize, inFlight, retrying, delivered, failed } = status;
  return JSON.stringify({ queueSize, inFlight, retrying, delivered, failed });
}

/**
 * The barrier before counting what arrived: hands the daemon one more task, the sentinel,
 * through `send` (a submit, or a spool file), waits for it at ntfy, then waits until the
 * daemon holds nothing (`queueSize`, `inFlight` and `retrying` all 0). Returns that status.
 *
 * Why nothing can arrive after it: the daemon queues the tasks it replays from the journal
 * before its socket listens, and it queues spool files in name order, one pass at a time;
 * the sentinel comes after all of them. The delivery engine hands tasks to workers in queue
 * order (a FIFO; a retry goes to the back of it and is counted as `retrying` meanwhile), so
 * once the sentinel has reached ntfy, every task queued before it has been handed to a
 * worker, and once nothing is in flight, every one of those attempts has ended. The ntfy
 * server records a message before it answers and the engine counts a delivery only after
 * the answer, so by then `server.messages` holds every delivery, duplicates included, and
 * `delivered` counts them.
 */
async function settle(
  c: DaemonClient,
  server: NtfyTestServer,
  send: (sentinel: NotificationTask) => Promise<unknown>,
  label = "sentinel",
): Promise<DaemonStatus> {
  await send(task(server.url, label));
  const body = `message ${label}`;
  await waitFor(() => server.messages.some((m) => m.message === body), {
    timeoutMs: 30_000,
    what: `the ${label} to reach ntfy`,
  });
  let status = await c.status();
  await waitFor(
    async () => {
      status = await c.status();
      return status.queueSize === 0 && status.inFlight === 0 && status.retrying === 0;
    },
    { timeoutMs: 30_000, what: () => `the daemon to hold no task: ${held(status)}` },
  );
  return status;
}

Deno.test("500 tasks acknowledged while ntfy is down survive kill -9 and arrive exactly once later", async () => {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  await using home = await createTestHome();
  await home.writeConfig(config(url));
  const pid = await home.startDaemon();
  const first = await client(home);
  await Promise.all(Array.from({ length: 500 }, (_, i) => first.submit(task(url, i))));
  await first.close();
  Deno.kill(pid, "SIGKILL");
  await waitFor(() => !processAlive(pid), { what: "the daemon to die" });

  await using server = await startNtfyServer({ port });
  await home.startDaemon();
  const c = await client(home);
  const status = await settle(c, server, (sentinel) => c.submit(sentinel));
  await c.close();
  // Nothing reached a live server before the crash, so nothing may arrive twice.
  const counts = bodies(server.messages);
  for (let i = 0; i < 500; i++) {
    const arrivals = counts.get(`message ${i}`) ?? 0;
    equal(arrivals, 1, `message ${i} arrived ${arrivals} times`);
  }
  equal(server.messages.length, 501, "the 500 replayed tasks and the sentinel, once each");
  equal(status.delivered, 501, `the restarted daemon counted ${status.delivered} deliveries`);
});

Deno.test("500, then 429 with Retry-After, then a hang past the timeout: every task arrives", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome();
  await home.writeConfig(config(server.url));
  server.failNext(3, { status: 500 });
  await home.startDaemon();
  const c = await client(home);
  await c.submit(task(server.url, 1));
  await server.waitForMessages(1, 10_000);
  server.failNext(1, { status: 429, retryAfterSecs: 1 });
  const before = performance.now();
  await c.submit(task(server.url, 2));
  await server.waitForMessages(2, 10_000);
  ok(performance.now() - before >= 900, "Retry-After was honoured");
  server.failNext(1, { hang: true });
  // A 1 s timeout, so the hang ends in a retry.
  await c.submit(task(server.url, 3, 1));
  await server.waitForMessages(3, 15_000);
  await waitFor(async () => (await c.status()).delivered === 3, { what: "3 deliveries" });
  const status = await c.status();
  equal(status.dead, 0);
  ok(server.requests >= 3 + 3 + 1 + 1, `requests: ${server.requests}`);
  await c.close();
});

Deno.test("400, 401 and 413 go to the dead letters at once, with the reason", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome();
  await home.writeConfig(config(server.url));
  await home.startDaemon();
  const c = await client(home);
  for (const [status, code] of [[400, 40007], [401, 40101], [413, 41301]] as const) {
    server.failNext(1, { status, code });
    await c.submit(task(server.url, status));
    await waitFor(
      async () => (await c.status()).dead >= [400, 401, 413].indexOf(status) + 1,
      { what: `dead letter for ${status}` },
    );
  }
  const status = await c.status();
  equal(status.dead, 3);
  equal(status.delivered, 0);
  equal(server.requests, 3, "permanent errors are not retried");
  await c.close();
  const dead = await Deno.readTextFile(home.paths.deadLetterPath);
  for (const code of ["40007", "40101", "41301"]) ok(dead.includes(code), `reason names ${code}`);
  equal(Deno.statSync(home.paths.deadLetterPath).mode! & 0o777, 0o600);
});

Deno.test("100 hooks with no daemon spool; starting the daemon delivers all 100 exactly once", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome();
  await home.writeConfig(config(server.url));
  const payload = JSON.parse(
    new TextDecoder().decode(fixtureBytes("notification_permission.json")),
  );
  const hooks = Array.from(
    { length: 100 },
    // Each its own session: in one session, a second permission prompt without activity
    // between would be merged into the first.
    (_, i) => JSON.stringify({ ...payload, session_id: `s-${i}`, message: `spooled ${i}` }),
  );
  // Four at a time: 100 real hook processes.
  for (let i = 0; i < hooks.length; i += 4) {
    const results = await Promise.all(
      hooks.slice(i, i + 4).map((stdin) =>
        home.run(["hook"], { stdin, env: { CLAUDE_NTFY_AUTOSTART: "0" } })
      ),
    );
    for (const result of results) equal(result.code, 0, result.stderr);
  }
  const spooled = [...Deno.readDirSync(home.paths.spoolDir)].filter((e) =>
    e.name.endsWith(".event")
  );
  equal(spooled.length, 100);
  equal(server.messages.length, 0);
  await home.startDaemon();
  await server.waitForMessages(100, 30_000);
  const c = await client(home);
  // The sentinel goes through the spool too, written now: its name sorts after every
  // hook's file, so any pass that could take one of those in again comes before it.
  const status = await settle(c, server, (sentinel) => {
    return writeSpoolFile(home.paths.spoolDir, sentinel);
  });
  await c.close();
  for (let i = 0; i < 100; i++) {
    const mine = new RegExp(`\\bspooled ${i}\\b`);
    const arrivals = server.messages.filter((m) => mine.test(m.message)).length;
    equal(arrivals, 1, `spooled ${i} arrived ${arrivals} times`);
  }
  equal(server.messages.length, 101, "exactly once: the 100 hooks and the sentinel");
  equal(status.delivered, 101, `the daemon counted ${status.delivered} deliveries`);
  const left = [...Deno.readDirSync(home.paths.spoolDir)].filter((e) =>
    e.name.endsWith(".task") || e.name.endsWith(".event")
  );
  equal(left.length, 0, "spool emptied");
});

Deno.test("delivered tasks are not delivered again after a restart or a kill -9", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome();
  await home.writeConfig(config(server.url));
  await home.startDaemon();
  let c = await client(home);
  for (let i = 0; i < 20; i++) await c.submit(task(server.url, i));
  await server.waitForMessages(20, 10_000);
  await c.close();
  const stop = await home.run(["daemon", "stop"]);
  equal(stop.code, 0, stop.stderr);

  const pid = await home.startDaemon();
  c = await client(home);
  await c.submit(task(server.url, 20));
  let status = await settle(c, server, (sentinel) => c.submit(sentinel), "sentinel 1");
  equal(status.delivered, 2, `after a clean restart: ${status.delivered} deliveries, not 2`);
  await c.close();
  // The "done" records are written a few milliseconds after each delivery: wait until the
  // journal file says nothing is pending (as the next start will read it), then crash.
  const journalPath = `${home.paths.journalDir}/${JOURNAL_FILE_NAME}`;
  let pending: string[] = [];
  await waitFor(async () => {
    pending = replayJournal(await Deno.readFile(journalPath)).pending.map((entry) => entry.id);
    return pending.length === 0;
  }, { what: () => `the journal to mark every task done, pending: ${pending.join(", ")}` });
  Deno.kill(pid, "SIGKILL");
  await waitFor(() => !processAlive(pid), { what: "the daemon to die" });

  await home.startDaemon();
  c = await client(home);
  status = await settle(c, server, (sentinel) => c.submit(sentinel), "sentinel 2");
  await c.close();
  const counts = bodies(server.messages);
  for (let i = 0; i <= 20; i++) {
    const arrivals = counts.get(`message ${i}`) ?? 0;
    equal(arrivals, 1, `message ${i} arrived ${arrivals} times`);
  }
  equal(server.messages.length, 23, "nothing delivered twice: 21 tasks and 2 sentinels");
  equal(status.delivered, 1, `after kill -9: ${status.delivered} deliveries, not 1 (the sentinel)`);
});

Deno.test("a task spooled while the daemon runs is picked up without a restart", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome();
  await home.writeConfig(config(server.url));
  const pid = await home.startDaemon();
  await writeSpoolFile(home.paths.spoolDir, task(server.url, 42));
  const [message] = await server.waitForMessages(1, 5_000);
  equal(message!.message, "message 42");
  ok(processAlive(pid), "same daemon");
});

Deno.test("a full queue answers Submit with QUEUE_FULL, and the hook spools instead of losing it", async () => {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  await using home = await createTestHome();
  await home.writeConfig(config(url).replace("max_queue_size = 10000", "max_queue_size = 5"));
  await home.startDaemon();
  const c = await client(home);
  for (let i = 0; i < 5; i++) await c.submit(task(url, i));
  await rejects(c.submit(task(url, 99)), { code: "QUEUE_FULL" });
  await c.close();
  const result = await home.run(["hook", "-v"], { stdin: fixtureBytes("stop.json") });
  equal(result.code, 0, result.stderr);
  ok(/spooled to/.test(result.stderr), result.stderr);
});
