// A digest pending in a real daemon process that is killed with SIGKILL loses nothing:
// the tasks it would have named are still in the journal (they are marked delivered only
// when the digest is), so the next daemon delivers them, alone or as a digest.
import assert from "node:assert/strict";
import { connect } from "../../client/client.ts";
import type { NotificationTask } from "../../protocol/mod.ts";
import { startNtfyServer } from "../support/ntfy_server.ts";
import { createTestHome, processAlive } from "../support/cli_process.ts";
import { waitFor } from "../support/wait_for.ts";

const PROJECTS = ["alpha", "beta", "gamma", "delta", "epsilon"];

function task(serverUrl: string, project: string): NotificationTask {
  return {
    target: { serverUrl, topic: "claude", timeoutSecs: 30 },
    message: { title: `${project}: Claude finished`, body: `Claude finished in ${project}` },
    origin: { event: "Stop", project: `/home/me/${project}`, createdAt: Date.now() },
  };
}

Deno.test("kill -9 while a digest is pending loses nothing: the next daemon delivers every task", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome("cn-digest-kill-");
  // One alone per hour: everything after the first waits for a digest.
  await home.writeConfig(
    `[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "claude"\n` +
      `[daemon]\ndigest_after = 1\ndigest_window_secs = 3600\n`,
  );
  const pid = await home.startDaemon();
  const first = await connect({
    socketPath: home.paths.socketPath,
    tokenPath: home.paths.tokenPath,
  });
  for (const project of PROJECTS) await first.submit(task(server.url, project));
  await waitFor(async () => {
    const status = await first.status();
    return server.messages.length === 1 && status.delivered === 1 && status.queueSize === 4;
  }, { what: "one delivered and four held for the digest" });
  await first.close();
  Deno.kill(pid, "SIGKILL");
  await waitFor(() => !processAlive(pid), { what: "the daemon to die" });
  assert.equal(server.messages.length, 1, "the digest was never sent");

  await home.startDaemon();
  const second = await connect({
    socketPath: home.paths.socketPath,
    tokenPath: home.paths.tokenPath,
  });
  // The replayed tasks meet a fresh window: one goes at once, three wait for a digest.
  await waitFor(async () => {
    const status = await second.status();
    return status.delivered === 1 && status.queueSize === 3;
  }, { what: "one replayed task delivered, three held" });
  await second.close();
  // A graceful stop sends what waits for a window at once.
  const stop = await home.run(["daemon", "stop"]);
  assert.equal(stop.code, 0, stop.stderr);

  const text = server.messages.map((m) => `${m.title}\n${m.message}`).join("\n");
  for (const project of PROJECTS) {
    assert.match(text, new RegExp(`Claude finished in ${project}`), `${project} arrived`);
  }
  assert.equal(server.messages.length, 3, "alone, alone after the restart, one digest");
  assert.match(server.messages[2]!.title ?? "", /^3 notifications: /);

  // Nothing is left to replay.
  await home.startDaemon();
  const third = await connect({
    socketPath: home.paths.socketPath,
    tokenPath: home.paths.tokenPath,
  });
  const status = await third.status();
  assert.equal(status.queueSize + status.inFlight + status.retrying, 0);
  assert.equal(status.dead, 0);
  await third.close();
  assert.equal(server.messages.length, 3);
});
