// Sequence ids on the wire: the publisher sends them, clears and deletes them, and
// publishWithSequences() follows a target's mode, falling back on servers before 2.16.
import assert from "node:assert/strict";
import type {
  NotificationMessage,
  NotificationTask,
  NtfyTarget,
  TaskOperation,
} from "../../../protocol/mod.ts";
import { NtfyError } from "../../../core/ntfy/errors.ts";
import { publish } from "../../../core/ntfy/publisher.ts";
import { publishWithSequences, SequenceSupport } from "../../../core/ntfy/sequence_support.ts";
import { type NtfyTestServer, withNtfyServer } from "../../support/ntfy_server.ts";

function task(
  target: Partial<NtfyTarget> & { serverUrl: string },
  message: Partial<NotificationMessage> = {},
  operation?: TaskOperation,
): NotificationTask {
  return {
    target: { topic: "alerts", ...target },
    message: { body: "hello", ...message },
    origin: { event: "test", createdAt: 0 },
    ...(operation === undefined ? {} : { operation }),
  };
}

/** The phone's notifications as their text. */
function shown(server: NtfyTestServer): string[] {
  return server.notifications().map((m) => m.message);
}

/** A fetch that records each request's method, path and body, then sends it for real. */
function recordingFetch() {
  const sent: Array<{ method: string; path: string; body: string; headers: Headers }> = [];
  const recording: typeof fetch = (input, init) => {
    sent.push({
      method: init?.method ?? "GET",
      path: new URL(String(input)).pathname,
      body: typeof init?.body === "string" ? init.body : "",
      headers: new Headers(init?.headers),
    });
    return fetch(input, init);
  };
  return { sent, fetch: recording };
}

Deno.test("publish() sends the sequence id as sequence_id and X-Sequence-ID: an update replaces, a clear dismisses", async () => {
  await withNtfyServer({}, async (server) => {
    const target = { serverUrl: server.url };
    await publish(task(target, { body: "waiting for you", sequenceId: "session-1" }));
    assert.deepEqual(shown(server), ["waiting for you"]);
    await publish(task({ ...target, sendFormat: "text" }, {
      body: "still waiting",
      sequenceId: "session-1",
    }));
    assert.deepEqual(shown(server), ["still waiting"], "the update replaced the first");
    assert.equal(server.messages[1]!.headers["x-sequence-id"], "session-1");
    const clear = await publish(task(target, { body: "", sequenceId: "session-1" }, "clear"));
    assert.equal(clear.topic, "alerts");
    assert.deepEqual(shown(server), [], "the clear dismissed it");
    await publish(task(target, { body: "again", sequenceId: "session-1" }));
    await publish(task(target, { body: "", sequenceId: "session-1" }, "delete"));
    assert.deepEqual(shown(server), []);
    assert.deepEqual(server.events.map((e) => e.event), [
      "message",
      "message",
      "message_clear",
      "message",
      "message_delete",
    ]);
  });
});

Deno.test("publish() puts clear and delete under the server's path prefix", async () => {
  await withNtfyServer({}, async (server) => {
    const urls: string[] = [];
    const proxy: typeof fetch = (input, init) => {
      urls.push(`${init?.method} ${new URL(String(input)).pathname}`);
      return fetch(String(input).replace("/ntfy", ""), init);
    };
    const target = { serverUrl: `${server.url}/ntfy/`, topic: "alerts" };
    await publish(task(target, { sequenceId: "s-1" }, "clear"), { fetch: proxy });
    await publish(task(target, { sequenceId: "s-1" }, "delete"), { fetch: proxy });
    assert.deepEqual(urls, ["PUT /ntfy/alerts/s-1/clear", "DELETE /ntfy/alerts/s-1"]);
  });
});

Deno.test("publish() names the clear in a rejection", async () => {
  await withNtfyServer({ sequenceIds: false }, async (server) => {
    const error = await publish(task({ serverUrl: server.url }, { sequenceId: "s-1" }, "clear"))
      .then(() => undefined, (error) => error);
    assert.ok(error instanceof NtfyError);
    assert.equal(error.httpStatus, 404);
    assert.equal(error.retryable, false);
    assert.match(error.message, /ntfy rejected the clear of sequence "s-1": 40401/);
  });
});

Deno.test("publishWithSequences() auto on a server before 2.16: messages arrive, clears are dropped, the server is remembered", async () => {
  await withNtfyServer({ sequenceIds: false }, async (server) => {
    const changes: string[] = [];
    const support = new SequenceSupport({
      onChange: (key, supported) => changes.push(`${key} ${supported}`),
    });
    const { sent, fetch } = recordingFetch();
    const send = (t: NotificationTask) => publishWithSequences(t, { support, fetch });
    const target = { serverUrl: server.url };
    await send(task(target, { body: "first", sequenceId: "s-1" }));
    assert.match(sent[0]!.body, /"sequence_id":"s-1"/, "sent while the server is unknown");
    const clear = await send(task(target, { sequenceId: "s-1" }, "clear"));
    assert.match(clear.dropped ?? "", /has no sequence ids \(it is older than 2\.16\)/);
    assert.equal(sent.length, 2, "the clear was tried once");
    assert.deepEqual(changes, [`${server.url} false`]);

    const deleted = await send(task(target, { sequenceId: "s-1" }, "delete"));
    assert.ok(deleted.dropped, "a delete is dropped without asking again");
    await send(task(target, { body: "second", sequenceId: "s-2" }));
    await send(task({ ...target, sendFormat: "text" }, { body: "third", sequenceId: "s-3" }));
    assert.equal(sent.length, 4);
    assert.doesNotMatch(sent[2]!.body, /sequence_id/, "plain JSON from now on");
    assert.equal(sent[3]!.headers.get("X-Sequence-ID"), null, "plain text from now on");
    assert.deepEqual(shown(server), ["first", "second", "third"], "every message arrived");
  });
});

Deno.test("publishWithSequences() auto asks a forgotten server again, and notices an upgrade", async () => {
  await withNtfyServer({ sequenceIds: false }, async (server) => {
    let now = 0;
    const support = new SequenceSupport({ forgetAfterMs: 1_000, now: () => now });
    const clear = task({ serverUrl: server.url }, { sequenceId: "s-1" }, "clear");
    assert.ok((await publishWithSequences(clear, { support })).dropped);
    assert.equal(support.isUnsupported(server.url), true);
    server.sequenceIds = true;
    now = 999;
    assert.ok((await publishWithSequences(clear, { support })).dropped, "still remembered");
    now = 1_000;
    const asked = await publishWithSequences(clear, { support });
    assert.equal(asked.dropped, undefined);
    assert.equal(server.events.at(-1)?.event, "message_clear");
    assert.equal(support.isUnsupported(server.url), false);
  });
});

Deno.test("publishWithSequences() on: a 404 on clear fails for good and says why", async () => {
  await withNtfyServer({ sequenceIds: false }, async (server) => {
    const support = new SequenceSupport();
    const target = { serverUrl: server.url, sequence: "on" as const };
    const error = await publishWithSequences(
      task(target, { sequenceId: "s-1" }, "clear"),
      { support },
    ).then(() => undefined, (error) => error);
    assert.ok(error instanceof NtfyError);
    assert.equal(error.retryable, false);
    assert.equal(error.httpStatus, 404);
    assert.match(error.message, /has no sequence ids: it answered the clear of sequence "s-1"/);
    assert.match(error.message, /needs ntfy 2\.16 or later, or set ntfy\.sequence = "auto"/);
    assert.equal(support.isUnsupported(server.url), false, "on never remembers");
    const { sent, fetch } = recordingFetch();
    await publishWithSequences(task(target, { sequenceId: "s-2" }), { support, fetch });
    assert.match(sent[0]!.body, /"sequence_id":"s-2"/, "on always sends it");
  });
});

Deno.test("publishWithSequences() off: no sequence ids, and no clear or delete request", async () => {
  await withNtfyServer({}, async (server) => {
    const support = new SequenceSupport();
    const { sent, fetch } = recordingFetch();
    const target = { serverUrl: server.url, sequence: "off" as const };
    await publishWithSequences(task(target, { body: "a", sequenceId: "s-1" }), { support, fetch });
    await publishWithSequences(task(target, { body: "b", sequenceId: "s-1" }), { support, fetch });
    for (const operation of ["clear", "delete"] as const) {
      const outcome = await publishWithSequences(
        task(target, { sequenceId: "s-1" }, operation),
        { support, fetch },
      );
      assert.equal(outcome.dropped, 'ntfy.sequence is "off"');
    }
    assert.equal(sent.length, 2, "only the two messages went out");
    assert.deepEqual(shown(server), ["a", "b"], "no replacement without sequence ids");
  });
});
