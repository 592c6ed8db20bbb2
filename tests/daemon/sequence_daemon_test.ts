// Sequence ids through a real daemon process to the loopback ntfy server: an update
// replaces, a clear dismisses; on a server before 2.16 `auto` falls back without losing a
// message or filling the dead letters; `on` fails a clear there for good; `off` never sends
// sequence ids. Each task is awaited (delivered or dead) before the next goes, so the order
// at the server is the order here.
import assert from "node:assert/strict";
import { connect, type DaemonClient } from "../../client/client.ts";
import type { NotificationTask, SequenceMode, TaskOperation } from "../../protocol/mod.ts";
import { type NtfyTestServer, startNtfyServer } from "../support/ntfy_server.ts";
import { createTestHome, type TestHome } from "../support/cli_process.ts";
import { waitFor } from "../support/wait_for.ts";

function task(
  server: NtfyTestServer,
  body: string,
  sequenceId: string | undefined,
  options: { operation?: TaskOperation; sequence?: SequenceMode } = {},
): NotificationTask {
  return {
    target: {
      serverUrl: server.url,
      topic: "claude",
      timeoutSecs: 30,
      ...(options.sequence === undefined ? {} : { sequence: options.sequence }),
    },
    message: { body, ...(sequenceId === undefined ? {} : { sequenceId }) },
    origin: { event: "test", createdAt: Date.now() },
    ...(options.operation === undefined ? {} : { operation: options.operation }),
  };
}

async function startDaemon(home: TestHome, server: NtfyTestServer): Promise<DaemonClient> {
  await home.writeConfig(
    `[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "claude"\n` +
      `[daemon]\nlog_level = "debug"\nretry_attempts = 3\nretry_delay_secs = 0.05\n`,
  );
  await home.startDaemon();
  return await connect({ socketPath: home.paths.socketPath, tokenPath: home.paths.tokenPath });
}

/** Submits one task and waits until the daemon is done with it, delivered or dead. */
async function send(client: DaemonClient, t: NotificationTask): Promise<void> {
  const before = await client.status();
  await client.submit(t);
  await waitFor(async () => {
    const status = await client.status();
    return status.delivered + status.dead === before.delivered + before.dead + 1 &&
      status.queueSize === 0 && status.inFlight === 0 && status.retrying === 0;
  }, { what: `the daemon to be done with "${t.message.body || t.operation}"` });
}

function phone(server: NtfyTestServer): string[] {
  return server.notifications().map((m) => m.message);
}

Deno.test("through the daemon, an update and a clear of one sequence: the phone shows the update, then nothing", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome("cn-seq-");
  const client = await startDaemon(home, server);
  await send(client, task(server, "Claude is waiting", "session-1"));
  assert.deepEqual(phone(server), ["Claude is waiting"]);
  await send(client, task(server, "Claude is still waiting", "session-1"));
  assert.deepEqual(phone(server), ["Claude is still waiting"], "replaced, not added");
  await send(client, task(server, "", "session-1", { operation: "clear" }));
  assert.deepEqual(phone(server), []);
  assert.deepEqual(server.events.map((e) => `${e.event} ${e.sequenceId}`), [
    "message session-1",
    "message session-1",
    "message_clear session-1",
  ]);
  assert.equal((await client.status()).dead, 0);
  await client.close();
});

Deno.test("auto on a server before 2.16: every message arrives, clears and deletes are dropped, no dead letters", async () => {
  await using server = await startNtfyServer({ sequenceIds: false });
  await using home = await createTestHome("cn-seq-");
  const client = await startDaemon(home, server);
  await send(client, task(server, "waiting", "session-1"));
  await send(client, task(server, "", "session-1", { operation: "clear" }));
  assert.equal(server.requests, 2, "the clear was tried once: 404");
  await send(client, task(server, "finished", "session-1"));
  await send(client, task(server, "", "session-1", { operation: "clear" }));
  await send(client, task(server, "", "session-1", { operation: "delete" }));
  assert.equal(server.requests, 3, "then no more clear or delete requests");
  assert.deepEqual(phone(server), ["waiting", "finished"], "nothing lost");
  const status = await client.status();
  assert.equal(status.dead, 0);
  assert.equal(status.delivered, 5, "dropped clears and deletes count as done");
  await client.close();
  const log = await Deno.readTextFile(home.paths.logPath);
  assert.match(log, /has no sequence ids \(older than 2\.16\)/);
  assert.match(log, /DEBUG done without sending .*has no sequence ids/);
});

Deno.test("on: a clear to a server before 2.16 is a dead letter that says why; off: no sequence ids, no clear request", async () => {
  await using server = await startNtfyServer({ sequenceIds: false });
  await using home = await createTestHome("cn-seq-");
  const client = await startDaemon(home, server);
  await send(client, task(server, "", "session-1", { operation: "clear", sequence: "on" }));
  const status = await client.status();
  assert.equal(status.dead, 1);
  assert.equal(server.requests, 1, "a permanent failure: not retried");
  const dead = await Deno.readTextFile(home.paths.deadLetterPath);
  assert.match(dead, /has no sequence ids: it answered the clear of sequence \\"session-1\\"/);
  assert.match(dead, /needs ntfy 2\.16 or later/);

  server.sequenceIds = true; // Off is off, whatever the server knows.
  await send(client, task(server, "one", "session-2", { sequence: "off" }));
  await send(client, task(server, "two", "session-2", { sequence: "off" }));
  await send(client, task(server, "", "session-2", { operation: "clear", sequence: "off" }));
  await send(client, task(server, "", "session-2", { operation: "delete", sequence: "off" }));
  assert.deepEqual(server.messages.map((m) => m.sequenceId), [undefined, undefined]);
  assert.deepEqual(phone(server), ["one", "two"], "no replacement, no clear");
  assert.equal(server.requests, 3, "the old clear, and the two messages");
  assert.equal((await client.status()).dead, 1);
  await client.close();
});
