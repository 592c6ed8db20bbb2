// stopOlderDaemon(), what `daemon run --replace` does first: a daemon from before the
// current protocol is asked, in its own protocol, to shut down, and the new one starts
// only once the old one has let go of the state folder.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { stopOlderDaemon } from "../../cli/daemon_launch.ts";
import { resolveDaemonPaths } from "../../client/paths.ts";
import { OLD_PROTOCOL_VERSION, startFakeOldDaemon } from "../support/fake_old_daemon.ts";

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
      deepStrictEqual(fake.received.slice(-2), [
        { type: "hello", version: OLD_PROTOCOL_VERSION },
        { type: "shutdown" },
      ]);
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
