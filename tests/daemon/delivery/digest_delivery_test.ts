// Digests end to end below the socket: the durable queue with its real journal, the real
// publisher and the loopback ntfy server over HTTP. The pacer runs on a fake clock and the
// server's rate limit on its own manual clock, so every wait is a barrier on a count.
import assert from "node:assert/strict";
import { DurableQueue } from "../../../daemon/queue/durable_queue.ts";
import { Journal } from "../../../daemon/queue/journal.ts";
import { Logger } from "../../../daemon/log.ts";
import { ntfyDelivery } from "../../../daemon/ntfy_delivery.ts";
import type { NotificationTask } from "../../../protocol/mod.ts";
import { type NtfyTestServer, startNtfyServer } from "../../support/ntfy_server.ts";
import { FakeClock } from "../../support/fake_clock.ts";
import { tempDir } from "../../support/temp_dir.ts";
import { waitFor } from "../../support/wait_for.ts";

function task(serverUrl: string, project: string, what: string): NotificationTask {
  return {
    target: { serverUrl, topic: "claude", timeoutSecs: 30 },
    message: { title: `${project}: ${what}`, body: `${what} in ${project}`, priority: 3 },
    origin: { event: "Notification", project: `/home/me/${project}`, createdAt: Date.now() },
  };
}

async function openQueue(
  dir: string,
  clock: FakeClock,
  settings: { digestAfter: number; retryAttempts?: number },
  lines: string[] = [],
): Promise<DurableQueue> {
  return await DurableQueue.open({
    journalDir: `${dir}/journal`,
    deadLetterPath: `${dir}/dead-letters.jsonl`,
    durability: "write",
    delivery: ntfyDelivery(),
    settings: {
      maxQueueSize: 100,
      // 0: any failure that counted as an attempt would go straight to the dead letters.
      retryAttempts: settings.retryAttempts ?? 0,
      retryDelaySecs: 0.01,
      digestAfter: settings.digestAfter,
      digestWindowSecs: 10,
    },
    concurrency: 8,
    pacing: { clock, rateLimitBackoffMs: 5_000 },
    log: new Logger({ level: "debug", sink: (line) => lines.push(line) }),
  });
}

/** The phone's notifications as "title | body". */
function phone(server: NtfyTestServer): string[] {
  return server.notifications().map((m) => `${m.title} | ${m.message}`);
}

async function pendingInJournal(dir: string): Promise<number> {
  const { journal, pending } = await Journal.open(`${dir}/journal`);
  await journal.close();
  return pending.length;
}

Deno.test("a burst to one topic: three arrive alone, the rest as one digest naming each, and the journal empties", async () => {
  await using dir = await tempDir({ prefix: "cn-digest-" });
  await using server = await startNtfyServer();
  const clock = new FakeClock();
  const queue = await openQueue(dir.path, clock, { digestAfter: 3 });
  const projects = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];
  for (const project of projects) await queue.admit(task(server.url, project, "needs permission"));
  await waitFor(() => server.messages.length === 3 && queue.counts().delivered === 3, {
    what: () => `3 alone: ${server.messages.length} arrived`,
  });
  assert.equal(queue.counts().queued, 3, "three held for the window");
  clock.advance(9_999);
  assert.equal(server.requests, 3);
  clock.advance(1);
  await waitFor(() => queue.counts().delivered === 6, { what: "the digest" });
  assert.deepEqual(phone(server), [
    "alpha: needs permission | needs permission in alpha",
    "beta: needs permission | needs permission in beta",
    "gamma: needs permission | needs permission in gamma",
    "3 notifications: delta, epsilon, zeta | " +
    "delta: needs permission — needs permission in delta\n" +
    "epsilon: needs permission — needs permission in epsilon\n" +
    "zeta: needs permission — needs permission in zeta",
  ]);
  assert.equal(server.messages.length, 4, "four buzzes for six notifications");
  assert.equal(queue.counts().dead, 0);
  await queue.close(1_000);
  assert.equal(await pendingInJournal(dir.path), 0, "every folded task is marked delivered");
});

Deno.test("ntfy's 429 (no Retry-After): the refused ones wait and arrive as one digest naming every project; no attempt counted, no dead letter", async () => {
  await using dir = await tempDir({ prefix: "cn-429-" });
  let serverNow = 1_800_000_000_000;
  await using server = await startNtfyServer({
    rateLimit: { burst: 2, refillPerSec: 0.2 }, // ntfy.sh's shape, a smaller burst.
    now: () => serverNow,
  });
  const clock = new FakeClock();
  const lines: string[] = [];
  // No burst digests here: only the rate limit folds.
  const queue = await openQueue(dir.path, clock, { digestAfter: 0 }, lines);
  const projects = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];
  for (const project of projects) await queue.admit(task(server.url, project, "finished"));
  // Two take the burst; the first refusal pauses the server, so the rest never reach it.
  await waitFor(
    () => {
      const { retrying, inFlight } = queue.counts();
      return server.messages.length === 2 && retrying === 4 && inFlight === 0;
    },
    { what: () => `2 accepted, 4 waiting: ${JSON.stringify(queue.counts())}` },
  );
  const refused = server.rateLimited;
  assert.ok(refused >= 1 && refused <= 4, `${refused} refused before the pause`);
  assert.equal(queue.counts().retries, 0, "a 429 is not a retry of the task");

  clock.advance(5_000); // The pause is over: one probe, still refused (no token yet).
  await waitFor(() => server.rateLimited === refused + 1 && queue.counts().inFlight === 0, {
    what: () => `the probe to be refused: ${server.rateLimited}`,
  });
  assert.equal(queue.counts().retrying, 4);
  serverNow += 5_000; // ntfy.sh gives one request back every 5 s.
  const requests = server.requests;
  clock.advance(9_999);
  assert.equal(server.requests, requests, "the second pause is twice as long");
  clock.advance(1);
  await waitFor(() => queue.counts().delivered === 6, { what: "the digest" });

  const notifications = server.notifications();
  assert.equal(notifications.length, 3, "three buzzes for six notifications");
  const digest = notifications[2]!;
  assert.equal(digest.title, "4 notifications: gamma, delta, epsilon, zeta");
  for (const project of ["gamma", "delta", "epsilon", "zeta"]) {
    assert.match(
      digest.message,
      new RegExp(`^${project}: finished — finished in ${project}$`, "m"),
    );
  }
  const counts = queue.counts();
  assert.equal(counts.dead, 0);
  assert.equal(counts.failed, 0);
  const warnings = lines.filter((line) => / WARN .*rate limit/.test(line));
  assert.equal(warnings.length, 2, `one warning per pause:\n${warnings.join("")}`);
  assert.match(warnings[1]!, /count=4 delayMs=10000/, "the probe named all four");
  await queue.close(1_000);
  assert.equal(await pendingInJournal(dir.path), 0);
});
