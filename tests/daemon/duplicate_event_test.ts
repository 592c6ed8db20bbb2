// An event the hook both sent and spooled (it got no answer in time, so it could not tell
// whether the daemon had it) reaches the phone once: both copies carry the hook's event id,
// and the daemon takes an id once. A real daemon process, its spool, and the loopback ntfy
// server; the copies are made as the hook makes them (sendEventOnce, then writeSpoolEvent).
import assert from "node:assert/strict";
import { connect } from "../../client/client.ts";
import { sendEventOnce } from "../../client/send_event.ts";
import { writeSpoolEvent } from "../../core/spool/write_spool_file.ts";
import type { HookContext } from "../../protocol/mod.ts";
import { startNtfyServer } from "../support/ntfy_server.ts";
import { createTestHome } from "../support/cli_process.ts";
import { waitFor } from "../support/wait_for.ts";

Deno.test("an event sent and also spooled under one event id reaches ntfy once; under two ids, twice", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome("cn-dup-");
  await home.writeConfig(
    `[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "dup"\n[hooks]\ndelay_secs = 0\n`,
  );
  await home.startDaemon();
  const options = { socketPath: home.paths.socketPath, tokenPath: home.paths.tokenPath };
  const client = await connect(options);
  try {
    /** Sends the event, spools a copy, and waits until the daemon is done with both. */
    const sendAndSpool = async (message: string, sentId: string, spooledId: string) => {
      // No session id: the sessions' own merging of a session's repeated Stops stays out.
      const payload = new TextEncoder().encode(
        JSON.stringify({ hook_event_name: "Stop", last_assistant_message: message }),
      );
      const context = (eventId: string): HookContext => ({
        cwd: home.home,
        env: {},
        receivedAt: Date.now(),
        eventId,
      });
      await sendEventOnce(options, { payload, context: context(sentId) });
      await writeSpoolEvent(home.paths.spoolDir, payload, context(spooledId));
      await waitFor(async () => {
        const spooled = [...Deno.readDirSync(home.paths.spoolDir)]
          .filter((entry) => entry.name.endsWith(".event"));
        const status = await client.status();
        return spooled.length === 0 && status.queueSize === 0 && status.inFlight === 0;
      }, { what: "the spooled copy to be taken in and everything delivered" });
    };
    await sendAndSpool("two ids", "100.1", "100.2");
    assert.equal(server.notifications().filter((m) => m.message.includes("two ids")).length, 2);
    await sendAndSpool("one id", "200.1", "200.1");
    assert.equal(server.notifications().filter((m) => m.message.includes("one id")).length, 1);
  } finally {
    await client.close();
  }
});
