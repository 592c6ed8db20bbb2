// The reply subscription as a specification: it reads every answer posted to the reply
// topic exactly once, across drops, refusals and silent streams, by reconnecting with
// since=<the last message id>.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { ReplySubscription, type TopicMessage } from "../../../daemon/approval/mod.ts";
import { Logger } from "../../../daemon/log.ts";
import { startNtfyServer } from "../../support/ntfy_server.ts";
import { waitFor } from "../../support/wait_for.ts";

const TOPIC = "claude-reply-test";

function subscriber(serverUrl: string, options: { since?: string; staleAfterMs?: number } = {}) {
  const received: TopicMessage[] = [];
  const lines: string[] = [];
  const subscription = new ReplySubscription({
    serverUrl,
    topic: TOPIC,
    since: options.since ?? String(Math.floor(Date.now() / 1000) - 5),
    onMessage: (message) => received.push(message),
    log: new Logger({ level: "debug", sink: (line) => lines.push(line) }),
    retryMs: 20,
    maxRetryMs: 100,
    staleAfterMs: options.staleAfterMs,
  });
  return { subscription, received, lines };
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/${TOPIC}`, { method: "POST", body, headers });
  equal(response.status, 200);
  return (await response.json()).id as string;
}

Deno.test("ReplySubscription reads each message of its topic once, in order", async () => {
  await using server = await startNtfyServer();
  const { subscription, received } = subscriber(server.url);
  subscription.start();
  await waitFor(() => subscription.connected, { what: "the stream to open" });
  const first = await post(server.url, "one");
  await post(server.url, "two");
  await waitFor(() => received.length === 2, { what: "two messages" });
  deepStrictEqual(received.map((message) => message.text), ["one", "two"]);
  equal(received[0]!.id, first);
  equal(subscription.lastId, received[1]!.id);
  await subscription.stop();
  equal(subscription.connected, false);
});

Deno.test("ReplySubscription starts at since: a message posted before it subscribed still arrives", async () => {
  await using server = await startNtfyServer();
  const before = Math.floor(Date.now() / 1000);
  await post(server.url, "early answer");
  const { subscription, received } = subscriber(server.url, { since: String(before) });
  subscription.start();
  await waitFor(() => received.length === 1, { what: "the cached answer" });
  equal(received[0]!.text, "early answer");
  equal(server.subscriptions[0]!.since, String(before));
  await subscription.stop();
});

Deno.test("after a drop it reconnects with since=<last id> and gets what was posted while it was away", async () => {
  await using server = await startNtfyServer();
  const { subscription, received, lines } = subscriber(server.url);
  subscription.start();
  await waitFor(() => subscription.connected, { what: "the stream to open" });
  const first = await post(server.url, "before the drop");
  await waitFor(() => received.length === 1, { what: "the first message" });
  server.refuseSubscriptions(true);
  equal(server.dropStreams(), 1);
  const attempts = server.subscriptions.length;
  await waitFor(() => server.subscriptions.length > attempts, { what: "a refused reconnect" });
  await post(server.url, "while away");
  equal(received.length, 1, "nothing arrives while it is away");
  server.refuseSubscriptions(false);
  await waitFor(() => received.length === 2, { what: "the message posted while away" });
  equal(received[1]!.text, "while away");
  equal(server.subscriptions.at(-1)!.since, first, "it asked for what came after the last id");
  equal(subscription.connects, 2);
  ok(lines.some((line) => line.includes("reply subscription dropped")), lines.join("\n"));
  ok(lines.some((line) => line.includes("WARN") && line.includes("failed; retrying")));
  await subscription.stop();
});

Deno.test("a stream that goes silent (no keepalive) is reopened", async () => {
  await using server = await startNtfyServer({ keepaliveMs: 60_000 });
  const { subscription, received } = subscriber(server.url, { staleAfterMs: 150 });
  subscription.start();
  await waitFor(() => subscription.connects >= 2, {
    what: "a second connection",
    timeoutMs: 3_000,
  });
  await post(server.url, "after the reopen");
  await waitFor(() => received.length === 1, { what: "the message" });
  await subscription.stop();
});

Deno.test("keepalives keep a quiet stream open", async () => {
  await using server = await startNtfyServer({ keepaliveMs: 30 });
  const { subscription } = subscriber(server.url, { staleAfterMs: 200 });
  subscription.start();
  await waitFor(() => subscription.connected, { what: "the stream to open" });
  await new Promise((resolve) => setTimeout(resolve, 500));
  equal(subscription.connects, 1);
  await subscription.stop();
});

Deno.test("ReplySubscription sends the credentials and retries a refusal with backoff", async () => {
  await using server = await startNtfyServer({ tokens: ["tk_reader"], requireAuth: true });
  const lines: string[] = [];
  const received: TopicMessage[] = [];
  const refused = new ReplySubscription({
    serverUrl: server.url,
    topic: TOPIC,
    since: "all",
    onMessage: () => {},
    log: new Logger({ level: "debug", sink: (line) => lines.push(line) }),
    retryMs: 20,
    maxRetryMs: 40,
  });
  refused.start();
  await waitFor(
    () => lines.filter((line) => line.includes("the server answered 403")).length >= 3,
    { what: "three refused attempts" },
  );
  await refused.stop();
  const allowed = new ReplySubscription({
    serverUrl: server.url,
    topic: TOPIC,
    auth: { type: "bearer", token: "tk_reader" },
    since: "all",
    onMessage: (message) => received.push(message),
    log: new Logger({ sink: () => {} }),
  });
  allowed.start();
  await post(server.url, "hi", { Authorization: "Bearer tk_reader" });
  await waitFor(() => received.length === 1, { what: "the message" });
  equal(server.subscriptions.at(-1)!.authorization, "Bearer tk_reader");
  await allowed.stop();
});

Deno.test("stop() ends the stream and nothing reconnects", async () => {
  await using server = await startNtfyServer();
  const { subscription } = subscriber(server.url);
  subscription.start();
  await waitFor(() => server.openStreams === 1, { what: "the stream to open" });
  await subscription.stop();
  await waitFor(() => server.openStreams === 0, { what: "the stream to close" });
  const attempts = server.subscriptions.length;
  await new Promise((resolve) => setTimeout(resolve, 100));
  equal(server.subscriptions.length, attempts);
});
