// `claude-ntfy queue`: list what the daemon holds and its dead letters, retry and purge
// them; tokens never show.
import { equal, ok } from "node:assert/strict";
import { startNtfyServer } from "../../support/ntfy_server.ts";
import { createTestHome } from "../../support/cli_process.ts";
import { waitFor } from "../../support/wait_for.ts";
import { connect } from "../../../client/client.ts";
import type { NotificationTask } from "../../../protocol/mod.ts";

const TOKEN = "tk_queue_secret_abcdefghijklmnop";

function task(serverUrl: string, n: number): NotificationTask {
  return {
    target: { serverUrl, topic: "queue", auth: { type: "bearer", token: TOKEN }, timeoutSecs: 1 },
    message: { body: `body ${n}`, title: `task ${n}` },
    origin: { event: "test", createdAt: Date.now() },
  };
}

Deno.test("queue lists held and dead tasks with tokens masked; retry and purge act on dead letters", async () => {
  await using server = await startNtfyServer({ tokens: [TOKEN] });
  await using home = await createTestHome();
  await home.writeConfig(
    `[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "queue"\nauth_token = "${TOKEN}"\n` +
      `[daemon]\nretry_attempts = 50\nretry_delay_secs = 30\n`,
  );
  await home.startDaemon();
  const client = await connect({
    socketPath: home.paths.socketPath,
    tokenPath: home.paths.tokenPath,
  });
  // One permanent failure (dead letter), one that keeps retrying.
  server.failNext(1, { status: 400, code: 40007 });
  await client.submit(task(server.url, 1));
  await waitFor(async () => (await client.status()).dead === 1, { what: "a dead letter" });
  server.setMode({ status: 500 });
  await client.submit(task(server.url, 2));
  await waitFor(async () => (await client.status()).retrying === 1, { what: "a retrying task" });

  const list = await home.run(["queue"]);
  equal(list.code, 0, list.stderr);
  ok(/Held by the daemon: 1/.test(list.stdout), list.stdout);
  ok(/retrying/.test(list.stdout), list.stdout);
  ok(/Dead letters: 1/.test(list.stdout), list.stdout);
  ok(/40007/.test(list.stdout), "the dead letter's reason is shown");
  const json = JSON.parse((await home.run(["queue", "--json"])).stdout);
  equal(json.tasks.length, 1);
  equal(json.tasks[0].state, "retrying");
  equal(json.dead.length, 1);
  const deadId: string = json.dead[0].id;

  server.setMode("ok");
  const retry = await home.run(["queue", "retry", deadId]);
  equal(retry.code, 0, retry.stderr);
  ok(/Queued 1/.test(retry.stdout));
  await waitFor(
    () => server.messages.some((m) => m.message === "body 1"),
    { what: "the retried task" },
  );
  equal((await client.status()).dead, 0);

  server.failNext(1, { status: 401, code: 40101 });
  await client.submit(task(server.url, 3));
  await waitFor(async () => (await client.status()).dead === 1, { what: "another dead letter" });
  const purge = await home.run(["queue", "purge", "--json"]);
  equal(JSON.parse(purge.stdout).purged, 1);
  equal((await client.status()).dead, 0);

  const unknown = await home.run(["queue", "retry", "no-such-id"]);
  equal(unknown.code, 1);
  ok(/No dead letter/.test(unknown.stderr));
  await client.close();

  // Secrets: nothing the user can see or that was logged holds the token.
  const outputs = [
    list.stdout,
    JSON.stringify(json),
    (await home.run(["daemon", "status", "--json"])).stdout,
    (await home.run(["config", "show"])).stdout,
    (await home.run(["config", "show", "--json"])).stdout,
    (await home.run(["queue", "--json"])).stdout,
  ];
  await home.run(["daemon", "stop"]);
  outputs.push(await Deno.readTextFile(home.paths.logPath));
  for (const output of outputs) ok(!output.includes(TOKEN), `token leaked in:\n${output}`);
  ok(outputs[3]!.length > 0, "config show printed something");
});

Deno.test("queue without a daemon says so, counts spooled tasks and exits 3", async () => {
  await using home = await createTestHome();
  const result = await home.run(["queue"]);
  equal(result.code, 3);
  ok(/not running; 0 spooled/.test(result.stderr), result.stderr);
});
