// The hook's slow paths with real processes: an event no daemon could take is spooled
// raw and resolved by the daemon that takes it in, with the configuration of that moment;
// a daemon too old for the `event` request gets the event spooled and is replaced.
import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { withNtfyServer } from "../../support/ntfy_server.ts";
import { createTestHome, type TestHome, within } from "../../support/cli_process.ts";
import { waitFor } from "../../support/wait_for.ts";
import { OLD_PROTOCOL_VERSION, startFakeOldDaemon } from "../../support/fake_old_daemon.ts";
import {
  decodeFrame,
  decodeRequest,
  type EventRequest,
  PROTOCOL_VERSION,
} from "../../../protocol/mod.ts";
import { REJECTED_DIR_NAME } from "../../../daemon/spool/mod.ts";

const text = new TextEncoder();

function globalConfig(serverUrl: string, topic: string, daemon = ""): string {
  return `[ntfy]\nserver_url = "${serverUrl}"\ndefault_topic = "${topic}"\n\n[daemon]\n${daemon}\n`;
}

function stopEvent(cwd: string): string {
  return JSON.stringify({ hook_event_name: "Stop", session_id: "s-spool", cwd });
}

/** The names in the spool folder (none when it does not exist). */
function spoolEntries(home: TestHome): string[] {
  try {
    return [...Deno.readDirSync(home.paths.spoolDir)].map((entry) => entry.name).sort();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** The one `.event` file in the spool, decoded. */
function spooledEvent(home: TestHome): EventRequest {
  const names = spoolEntries(home);
  equal(names.length, 1, `one spool file: ${names.join(", ")}`);
  match(names[0]!, /^\d{15}-\d+-[0-9a-f]{8}\.event$/);
  const request = decodeRequest(
    decodeFrame(Deno.readFileSync(`${home.paths.spoolDir}/${names[0]}`)),
  );
  equal(request.type, "event");
  return request as EventRequest;
}

Deno.test("hook: with no daemon and autostart off the raw event is spooled, then delivered once, resolved with the config at ingest time", async () => {
  await withNtfyServer({}, async (server) => {
    const home = await createTestHome("cn-spoolev-");
    try {
      await home.writeConfig(globalConfig(server.url, "at-spool-time", "autostart = false"));
      const stdin = stopEvent(home.home);
      const run = await home.run(["hook"], { stdin });
      equal(run.code, 0, run.stderr);
      match(run.stderr, /spooled; the daemon is not running and autostart is off/);

      const request = spooledEvent(home);
      deepStrictEqual(request.payload, text.encode(stdin), "the raw event, unparsed");
      equal(request.context.cwd, home.home);
      ok(request.context.receivedAt > 0);
      equal(server.messages.length, 0);

      const set = await home.run(["config", "set", "ntfy.default_topic", "at-ingest", "--global"]);
      equal(set.code, 0, set.stderr);
      await home.startDaemon();
      const [message] = await server.waitForMessages(1, 10_000);
      equal(message!.topic, "at-ingest", "resolved when the daemon took it in, not when spooled");
      await waitFor(
        async () => {
          const status = await home.status();
          return status?.delivered === 1 && status.queueSize === 0 && status.inFlight === 0 &&
            status.retrying === 0;
        },
        { timeoutMs: 10_000, what: "the daemon to settle after one delivery" },
      );
      deepStrictEqual(spoolEntries(home), [], "the file is gone, none rejected");
      equal(server.messages.length, 1);

      // A restart replays nothing: the event was delivered once.
      equal((await home.run(["daemon", "stop"])).code, 0);
      await home.startDaemon();
      const status = await home.status();
      deepStrictEqual(
        [status?.delivered, status?.queueSize, status?.inFlight, status?.retrying],
        [0, 0, 0, 0],
      );
      deepStrictEqual(spoolEntries(home), []);
      equal(server.messages.length, 1);
    } finally {
      await home.cleanup();
    }
  });
});

Deno.test("hook: a daemon too old for events gets the event spooled and, with autostart on, is replaced by one that delivers it", async () => {
  await withNtfyServer({}, async (server) => {
    const home = await createTestHome("cn-olddaemon-");
    const fake = await startFakeOldDaemon(home.paths);
    try {
      await home.writeConfig(globalConfig(server.url, "claude-e2e"));
      const run = await home.run(["hook"], { stdin: stopEvent(home.home) });
      equal(run.code, 0, run.stderr);
      equal(run.stdout, "");
      match(run.stderr, /^claude-ntfy hook: the running daemon is older than this hook \(.+\)/);
      match(run.stderr, /the event is spooled and a new daemon is replacing it\n$/);
      match(run.stderr, /UNSUPPORTED_VERSION|Unsupported protocol version/);

      await within(fake.stopped, 20_000, "the new daemon to stop the old one").catch((error) => {
        throw new Error(`${error.message}; it received ${JSON.stringify(fake.received)}`);
      });
      deepStrictEqual(fake.received[0], { type: "hello", version: PROTOCOL_VERSION });
      deepStrictEqual(fake.received.slice(-2), [
        { type: "hello", version: OLD_PROTOCOL_VERSION },
        { type: "shutdown" },
      ], "the new daemon stopped it in its own protocol");
      ok(!fake.received.some((entry) => entry.type === "event"), "no event reached it");

      const [message] = await server.waitForMessages(1, 20_000);
      equal(message!.topic, "claude-e2e");
      const status = await home.status();
      ok(status !== undefined, "a new daemon runs");
      ok(status.pid !== Deno.pid, "it is not the stand-in");
      equal(status.requests.event ?? 0, 0, "it got the event from the spool, not the socket");
      equal(status.delivered, 1);
      ok(
        Deno.readTextFileSync(`/proc/${status.pid}/cmdline`).split("\0").includes("--replace"),
        "started to replace the old one",
      );
      await waitFor(
        () => spoolEntries(home).length === 0,
        { timeoutMs: 10_000, what: "the spool to be empty" },
      );
    } finally {
      await fake.close();
      await home.cleanup();
    }
  });
});

Deno.test("hook: a daemon too old for events, with autostart off, is left running and the event waits in the spool", async () => {
  await withNtfyServer({}, async (server) => {
    const home = await createTestHome("cn-olddaemon-");
    const fake = await startFakeOldDaemon(home.paths);
    try {
      await home.writeConfig(globalConfig(server.url, "claude-e2e", "autostart = false"));
      const stdin = stopEvent(home.home);
      const run = await home.run(["hook"], { stdin });
      equal(run.code, 0, run.stderr);
      match(run.stderr, /the running daemon is older than this hook/);
      match(
        run.stderr,
        /until it restarts: run "claude-ntfy daemon stop && claude-ntfy daemon start --detach"/,
      );
      deepStrictEqual(spooledEvent(home).payload, text.encode(stdin));
      deepStrictEqual(fake.received, [{ type: "hello", version: PROTOCOL_VERSION }]);
      ok(!fake.hasStopped, "nobody asked it to stop");
      ok(!spoolEntries(home).includes(REJECTED_DIR_NAME));
      equal(server.messages.length, 0);
    } finally {
      await fake.close();
      await home.cleanup();
    }
  });
});
