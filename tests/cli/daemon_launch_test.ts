// stopOlderDaemon(), what `daemon run --replace` does first: a daemon from before the
// current protocol is asked, in its own protocol, to shut down, and the new one starts
// only once the old one has let go of the state folder.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { stopOlderDaemon } from "../../cli/daemon_launch.ts";
import { requestOnce } from "../../client/client.ts";
import { resolveDaemonPaths } from "../../client/paths.ts";
import { PROTOCOL_VERSION } from "../../protocol/mod.ts";
import { OLD_PROTOCOL_VERSION, startFakeOldDaemon } from "../support/fake_old_daemon.ts";
import { startInProcess } from "../daemon/_in_process.ts";

async function withStateDir(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ dir: "/tmp", prefix: "cn-launch-" });
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("stopOlderDaemon() stops a protocol 1 daemon in its own protocol and returns once its PID file is gone", async () => {
  await withStateDir(async (root) => {
    const paths = resolveDaemonPaths({ homeDir: root, stateDir: `${root}/state` });
    const fake = await startFakeOldDaemon(paths);
    try {
      equal(await stopOlderDaemon(paths, 5_000), true);
      ok(fake.hasStopped);
      ok(!exists(paths.pidPath), "the state folder is free for the new daemon");
      ok(!exists(paths.socketPath));
      deepStrictEqual(fake.received, [
        { type: "hello", version: PROTOCOL_VERSION },
        { type: "hello", version: OLD_PROTOCOL_VERSION },
        { type: "shutdown" },
      ], "it refused the current protocol, so it was stopped in its own");
    } finally {
      await fake.close();
    }
  });
});

Deno.test("stopOlderDaemon() does nothing when no daemon answers", async () => {
  await withStateDir(async (root) => {
    const paths = resolveDaemonPaths({ homeDir: root, stateDir: `${root}/state` });
    equal(await stopOlderDaemon(paths, 5_000), false);
  });
});
Deno.test("stopOlderDaemon() leaves a daemon that speaks the current protocol running", async () => {
  const daemon = await startInProcess();
  try {
    equal(await stopOlderDaemon(daemon.paths, 5_000), false);
    const answer = await requestOnce(
      { socketPath: daemon.paths.socketPath, tokenPath: daemon.paths.tokenPath },
      { type: "ping" },
    );
    equal(answer.type, "ok", "still serving");
    ok(exists(daemon.paths.pidPath));
  } finally {
    await daemon.stop();
  }
});
