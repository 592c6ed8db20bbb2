// The stand-in daemon shipped for users' tests answers as the daemon does.
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { connect, requestOnce } from "../../client/client.ts";
import { RemoteError } from "../../client/errors.ts";
import { startFakeDaemon } from "../../client/fake_daemon.ts";
import { type DeadTask, ErrorCode, type NotificationTask } from "../../protocol/mod.ts";

const task: NotificationTask = {
  target: { serverUrl: "https://ntfy.sh", topic: "claude-alerts-x7q2" },
  message: { body: "Done." },
  origin: { event: "Stop", createdAt: 0 },
};

const deadLetter = (id: string): DeadTask => ({
  id,
  reason: "HTTP 403",
  attempts: 6,
  failedAt: 1_700_000_000_000,
  task,
});

Deno.test("startFakeDaemon() refuses a wrong token and an unsupported protocol, as the daemon does", async () => {
  await using daemon = await startFakeDaemon({ token: "right" });
  await rejects(
    requestOnce({ socketPath: daemon.socketPath, token: "wrong" }, { type: "ping" }),
    (error: unknown) => error instanceof RemoteError && error.code === ErrorCode.Unauthorized,
  );
  await rejects(
    requestOnce({ ...daemon.connectOptions, protocolVersion: 99 }, { type: "ping" }),
    (error: unknown) => error instanceof RemoteError && error.code === ErrorCode.UnsupportedVersion,
  );
  deepStrictEqual(daemon.requests, [], "refused requests are not kept");
});

Deno.test("startFakeDaemon() keeps submitted tasks and counts them in status and queue", async () => {
  await using daemon = await startFakeDaemon({ version: "1.2.3" });
  const client = await connect(daemon.connectOptions);
  try {
    equal(client.daemon.version, "1.2.3");
    deepStrictEqual(await Promise.all([client.submit(task), client.submit(task)]), [
      "fake-1",
      "fake-2",
    ]);
    const status = await client.status();
    equal(status.queueSize, 2);
    equal(status.requests.submit, 2);
    const { tasks } = await client.queue();
    deepStrictEqual(tasks.map((held) => [held.id, held.state]), [
      ["fake-1", "queued"],
      ["fake-2", "queued"],
    ]);
  } finally {
    await client.close();
  }
});

Deno.test("startFakeDaemon() retries named dead letters or all of them, and purges the rest", async () => {
  await using daemon = await startFakeDaemon({
    dead: [deadLetter("d-1"), deadLetter("d-2"), deadLetter("d-3")],
  });
  const client = await connect(daemon.connectOptions);
  try {
    equal(await client.retry(["d-2", "unknown"]), 1);
    deepStrictEqual(daemon.tasks.map((held) => held.id), ["d-2"]);
    equal(await client.purge(), 2);
    equal(await client.retry("all"), 0);
    deepStrictEqual((await client.queue()).dead, []);
  } finally {
    await client.close();
  }
});

Deno.test("startFakeDaemon() acknowledges shutdown, then stops and removes its folder", async () => {
  const daemon = await startFakeDaemon();
  const folder = daemon.socketPath.slice(0, daemon.socketPath.lastIndexOf("/"));
  deepStrictEqual(await requestOnce(daemon.connectOptions, { type: "shutdown" }), {
    type: "ok",
    id: 2,
  });
  await daemon.finished;
  await rejects(Deno.stat(folder), Deno.errors.NotFound);
  ok(daemon.requests.some((request) => request.type === "shutdown"));
});
