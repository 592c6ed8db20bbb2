// The daemon's decisions as its publisher sees them: a daemon in this process (real socket,
// real journal) with a publish that records every task. A notification sent at once
// (delay 0) and then made pointless by the user coming back is followed by a `clear` for
// the session's sequence id; one still held is cancelled in the journal and never published.
import { deepEqual, equal } from "node:assert/strict";
import { connect } from "../../client/client.ts";
import type { HookContext, NotificationTask } from "../../protocol/mod.ts";
import { sessionSequenceId } from "../../core/events/session_sequence_id.ts";
import { memoryConfigFor } from "../support/memory_config_for.ts";
import { fixtureBytes } from "../support/hook_fixtures.ts";
import { waitFor } from "../support/wait_for.ts";
import { startInProcess } from "./_in_process.ts";

const SESSION = "2b6f0c1e-8a7d-4c3e-9f10-aa55bb66cc77";

async function daemonWith(toml: string) {
  const published: NotificationTask[] = [];
  const inProcess = await startInProcess({
    publish: (task) => {
      published.push(task);
      return Promise.resolve({ id: `ntfy-${published.length}` });
    },
    configFor: memoryConfigFor(`[ntfy]\ndefault_topic = "alerts"\n${toml}`).configFor,
  });
  const client = await connect({
    socketPath: inProcess.paths.socketPath,
    tokenPath: inProcess.paths.tokenPath,
  });
  return {
    published,
    inProcess,
    client,
    event(name: string) {
      const context: HookContext = { cwd: "/home/user/webapp", env: {}, receivedAt: Date.now() };
      return client.event(fixtureBytes(name), context);
    },
    async [Symbol.asyncDispose]() {
      await client.close();
      await inProcess.stop();
    },
  };
}

Deno.test("daemon: a notification sent at once is cleared by its sequence id when the user is back", async () => {
  await using d = await daemonWith("[hooks]\ndelay_secs = 0\n");
  await d.event("stop.json");
  await waitFor(() => d.published.length === 1, { what: "the Stop" });
  const back = await d.event("user_prompt_submit.json");
  equal(back.skipped?.endsWith("(cleared 1 sent one: the session is active)"), true, back.skipped);
  await waitFor(() => d.published.length === 2, { what: "the clear" });
  const [stop, clear] = d.published;
  equal(stop!.message.sequenceId, sessionSequenceId(SESSION));
  deepEqual(
    {
      operation: clear!.operation,
      sequenceId: clear!.message.sequenceId,
      topic: clear!.target.topic,
    },
    { operation: "clear", sequenceId: sessionSequenceId(SESSION), topic: "alerts" },
  );
  equal(d.inProcess.daemon.status().sessions, 1);
});

Deno.test("daemon: a held notification made pointless is cancelled and never published", async () => {
  await using d = await daemonWith("");
  await d.event("permission_request.json");
  equal(d.inProcess.daemon.status().held, 1);
  await d.event("post_tool_batch_denied.json");
  const status = d.inProcess.daemon.status();
  equal(status.held, 0);
  equal(status.cancelled, 1);
  equal(status.queueSize, 0);
  deepEqual(d.published, []);
});
