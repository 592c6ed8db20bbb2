// The loopback ntfy server's sequences (ntfy 2.16: update, clear, delete), delayed
// messages, its behaviour as a server before 2.16, and its rate limit, on its own clock.
import assert from "node:assert/strict";
import { type NtfyTestServer, withNtfyServer } from "./ntfy_server.ts";

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function request(
  server: NtfyTestServer,
  path: string,
  init: RequestInit = {},
): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, { method: "POST", ...init });
  const body = await response.json();
  return { status: response.status, body, headers: response.headers };
}

function postJson(server: NtfyTestServer, body: Record<string, unknown>): Promise<Answer> {
  return request(server, "/", { body: JSON.stringify(body) });
}

/** The phone's notifications as "topic/message" strings. */
function shown(server: NtfyTestServer): string[] {
  return server.notifications().map((m) => `${m.topic}/${m.message}`);
}

/** A clock the test moves by hand, in milliseconds since the epoch. */
function manualClock(start = 1_800_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

Deno.test("ntfy server replaces a sequence's notification: JSON field, header aliases, path", async () => {
  await withNtfyServer({}, async (server) => {
    const first = await postJson(server, { topic: "alerts", message: "v1", sequence_id: "job-1" });
    assert.equal(first.status, 200);
    assert.equal(first.body.sequence_id, "job-1");
    await request(server, "/alerts", { headers: { "X-Sequence-ID": "job-1" }, body: "v2" });
    await request(server, "/alerts", { headers: { "Sequence-ID": "job-1" }, body: "v3" });
    await request(server, "/alerts", { headers: { "sid": "job-1" }, body: "v4" });
    await request(server, "/alerts?sid=job-1", { body: "v5" });
    const path = await request(server, "/alerts/job-1", { method: "PUT", body: "v6" });
    assert.equal(path.body.sequence_id, "job-1");
    assert.equal(server.messages.length, 6, "every message is recorded");
    assert.deepEqual(server.messages.map((m) => m.sequenceId), Array(6).fill("job-1"));
    assert.deepEqual(shown(server), ["alerts/v6"], "the phone shows the latest only");
    await request(server, "/alerts", { body: "other" });
    await request(server, "/elsewhere/job-1", { body: "same id, other topic" });
    assert.deepEqual(shown(server), [
      "alerts/v6",
      "alerts/other",
      "elsewhere/same id, other topic",
    ]);
  });
});

Deno.test("ntfy server clears and deletes a sequence; a later message shows it again", async () => {
  await withNtfyServer({}, async (server) => {
    await request(server, "/alerts/a", { body: "a1" });
    await request(server, "/alerts/b", { body: "b1" });
    const cleared = await request(server, "/alerts/a/clear", { method: "PUT" });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.event, "message_clear");
    assert.equal(cleared.body.sequence_id, "a");
    assert.deepEqual(shown(server), ["alerts/b1"]);
    const deleted = await request(server, "/alerts/b", { method: "DELETE" });
    assert.equal(deleted.body.event, "message_delete");
    assert.deepEqual(shown(server), []);
    await request(server, "/alerts/a", { body: "a2" });
    assert.deepEqual(shown(server), ["alerts/a2"]);
    assert.deepEqual(server.events.map((e) => `${e.event} ${e.sequenceId}`), [
      "message a",
      "message b",
      "message_clear a",
      "message_delete b",
      "message a",
    ]);
    // Clearing what was never sent is not an error: ntfy only forwards the event.
    assert.equal((await request(server, "/alerts/nothing/clear", { method: "PUT" })).status, 200);
  });
});

Deno.test("ntfy server takes a message's own id as its sequence id", async () => {
  await withNtfyServer({}, async (server) => {
    const answer = await request(server, "/alerts", { body: "plain" });
    assert.equal("sequence_id" in answer.body, false);
    assert.equal(server.messages[0]!.sequenceId, undefined);
    await request(server, `/alerts/${answer.body.id}/clear`, { method: "PUT" });
    assert.deepEqual(shown(server), []);
  });
});

Deno.test("ntfy server refuses a sequence id that is not like a topic name", async () => {
  await withNtfyServer({}, async (server) => {
    const bad = await request(server, "/alerts", { headers: { "X-Sequence-ID": "a b" } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 40049);
    const wrongType = await postJson(server, { topic: "alerts", sequence_id: 7 });
    assert.equal(wrongType.body.code, 40024);
    assert.equal(server.messages.length, 0);
  });
});

Deno.test("ntfy server shows a delayed message when due; a later publish replaces it, a delete cancels it", async () => {
  const clock = manualClock();
  await withNtfyServer({ now: clock.now }, async (server) => {
    const nowSecs = clock.now() / 1000;
    const delayed = await request(server, "/alerts/reminder", {
      headers: { "X-Delay": "1m" },
      body: "in a minute",
    });
    assert.equal(delayed.body.time, nowSecs + 60);
    assert.equal(
      (await request(server, "/alerts", { headers: { "X-Delay": "9s" } })).body.code,
      40005,
      "under 10 s",
    );
    assert.equal(
      (await request(server, "/alerts", { headers: { "X-Delay": "73h" } })).body.code,
      40006,
      "over 3 days",
    );
    assert.deepEqual(shown(server), [], "not due yet");
    clock.advance(60_000);
    assert.deepEqual(shown(server), ["alerts/in a minute"]);

    await request(server, "/alerts/switch", { headers: { "X-Delay": "30s" }, body: "dead man" });
    await request(server, "/alerts/switch", { headers: { "X-Delay": "60s" }, body: "reset" });
    clock.advance(30_000);
    assert.deepEqual(shown(server), ["alerts/in a minute"], "the later publish replaced it");
    await request(server, "/alerts/switch", { method: "DELETE" });
    clock.advance(60_000);
    assert.deepEqual(shown(server), ["alerts/in a minute"], "the delete cancelled it");
  });
});

Deno.test("ntfy server before 2.16 ignores sequence ids and answers 404 on their paths", async () => {
  await withNtfyServer({ sequenceIds: false }, async (server) => {
    const json = await postJson(server, { topic: "alerts", message: "one", sequence_id: "s" });
    assert.equal(json.status, 200);
    assert.equal("sequence_id" in json.body, false);
    await request(server, "/alerts", { headers: { "X-Sequence-ID": "s" }, body: "two" });
    assert.deepEqual(shown(server), ["alerts/one", "alerts/two"], "two notifications");
    for (
      const [path, method] of [["/alerts/s/clear", "PUT"], ["/alerts/s", "DELETE"], [
        "/alerts/s",
        "POST",
      ]]
    ) {
      const answer = await request(server, path!, { method });
      assert.equal(answer.status, 404, `${method} ${path}`);
      assert.equal(answer.body.code, 40401);
    }
    assert.equal(server.messages.length, 2);

    server.sequenceIds = true; // Upgraded to 2.16.
    assert.equal((await request(server, "/alerts/s/clear", { method: "PUT" })).status, 200);
  });
});

Deno.test("ntfy server's rate limit: a burst, then one request per interval, 42901 without Retry-After", async () => {
  const clock = manualClock();
  const rateLimit = { burst: 2, refillPerSec: 0.2 };
  await withNtfyServer({ rateLimit, now: clock.now }, async (server) => {
    const statuses = async (count: number) => {
      const out: number[] = [];
      for (let i = 0; i < count; i++) {
        const answer = await request(server, "/alerts/s", { method: "PUT", body: `${i}` });
        if (answer.status === 429) {
          assert.equal(answer.body.code, 42901);
          assert.equal(answer.headers.get("Retry-After"), null);
        }
        out.push(answer.status);
      }
      return out;
    };
    assert.deepEqual(await statuses(3), [200, 200, 429]);
    clock.advance(4_999);
    assert.deepEqual(await statuses(1), [429], "not a whole interval yet");
    clock.advance(1);
    assert.deepEqual(await statuses(2), [200, 429], "one per 5 s after the burst");
    clock.advance(5_000);
    const clear = await request(server, "/alerts/s/clear", { method: "PUT" });
    assert.equal(clear.status, 200);
    assert.equal((await request(server, "/alerts/s", { method: "DELETE" })).status, 429);
    assert.equal(server.rateLimited, 4, "clears and deletes count too");
  });
});
