// The loopback ntfy server's subscribe side, as ntfy's own: a JSON line stream that opens,
// carries each message published to its topics, keeps alive, and replays the cache from
// `since`; tests can drop it or refuse it to play a flaky network.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { startNtfyServer } from "./ntfy_server.ts";
import { waitFor } from "./wait_for.ts";

/** Reads a subscription's lines as parsed JSON objects. */
class Lines {
  readonly events: Record<string, unknown>[] = [];
  readonly done: Promise<void>;
  readonly #controller = new AbortController();

  constructor(url: string, headers: Record<string, string> = {}) {
    this.done = (async () => {
      const response = await fetch(url, { signal: this.#controller.signal, headers });
      if (!response.ok) {
        this.events.push({ status: response.status, ...(await response.json()) });
        return;
      }
      let buffer = "";
      try {
        for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
          buffer += chunk;
          let newline;
          while ((newline = buffer.indexOf("\n")) !== -1) {
            this.events.push(JSON.parse(buffer.slice(0, newline)));
            buffer = buffer.slice(newline + 1);
          }
        }
      } catch (error) {
        if (!this.#controller.signal.aborted) throw error;
      }
    })();
  }

  kinds(): unknown[] {
    return this.events.map((event) => event.event);
  }

  messages(): unknown[] {
    return this.events.filter((event) => event.event === "message").map((event) => event.message);
  }

  async close(): Promise<void> {
    this.#controller.abort();
    await this.done.catch(() => {});
  }
}

async function post(url: string, body: string): Promise<string> {
  const response = await fetch(url, { method: "POST", body });
  return (await response.json()).id;
}

Deno.test("a subscription opens, then carries each message of its topics, and only those", async () => {
  await using server = await startNtfyServer();
  const lines = new Lines(`${server.url}/answers,other/json`);
  await waitFor(() => lines.kinds().includes("open"), { what: "the open event" });
  await post(`${server.url}/answers`, "first");
  await post(`${server.url}/elsewhere`, "not for us");
  await post(`${server.url}/other`, "second");
  await waitFor(() => lines.messages().length === 2, { what: "two messages" });
  deepStrictEqual(lines.messages(), ["first", "second"]);
  equal(lines.events[0]!.topic, "answers,other");
  const message = lines.events[1]!;
  equal(message.topic, "answers");
  equal(typeof message.id, "string");
  equal(typeof message.time, "number");
  deepStrictEqual(server.subscriptions.map((request) => request.topics), [["answers", "other"]]);
  await lines.close();
});

Deno.test("since= replays the cache: all, after a message id, from a time, for a duration; poll=1 closes", async () => {
  await using server = await startNtfyServer();
  const first = await post(`${server.url}/answers`, "one");
  await post(`${server.url}/answers`, "two");
  await post(`${server.url}/answers`, "three");
  const replayed = async (since: string) => {
    const response = await fetch(`${server.url}/answers/json?poll=1&since=${since}`);
    const text = await response.text();
    return text.trim() === ""
      ? []
      : text.trim().split("\n").map((line) => JSON.parse(line).message);
  };
  deepStrictEqual(await replayed("all"), ["one", "two", "three"]);
  deepStrictEqual(await replayed(first), ["two", "three"]);
  deepStrictEqual(await replayed(String(Math.floor(Date.now() / 1000) - 60)), [
    "one",
    "two",
    "three",
  ]);
  deepStrictEqual(await replayed(String(Math.floor(Date.now() / 1000) + 60)), []);
  deepStrictEqual(await replayed("10m"), ["one", "two", "three"]);
  deepStrictEqual(await replayed("unknownid123"), []);
  const live = new Lines(`${server.url}/answers/json?since=${first}`);
  await waitFor(() => live.messages().length === 2, { what: "the replay on a live stream" });
  equal(live.kinds()[0], "open", "open comes before the replay");
  await live.close();
});

Deno.test("dropStreams() ends streams server-side; refuseSubscriptions() answers 503 until lifted", async () => {
  await using server = await startNtfyServer();
  const lines = new Lines(`${server.url}/answers/json`);
  await waitFor(() => server.openStreams === 1, { what: "one open stream" });
  equal(server.dropStreams(), 1);
  await lines.done;
  equal(server.openStreams, 0);
  server.refuseSubscriptions(true);
  const refused = new Lines(`${server.url}/answers/json`);
  await refused.done;
  equal(refused.events[0]!.status, 503);
  server.refuseSubscriptions(false);
  const again = new Lines(`${server.url}/answers/json`);
  await waitFor(() => again.kinds().includes("open"), { what: "a new stream" });
  await again.close();
  await waitFor(() => server.openStreams === 0, { what: "the cancelled stream to be forgotten" });
});

Deno.test("a quiet stream gets keepalive events", async () => {
  await using server = await startNtfyServer({ keepaliveMs: 30 });
  const lines = new Lines(`${server.url}/answers/json`);
  await waitFor(() => lines.kinds().filter((kind) => kind === "keepalive").length >= 2, {
    what: "two keepalives",
  });
  await lines.close();
});

Deno.test("with requireAuth a subscription needs credentials, and the request keeps them", async () => {
  await using server = await startNtfyServer({ tokens: ["tk_reader"], requireAuth: true });
  const anonymous = new Lines(`${server.url}/answers/json`);
  await anonymous.done;
  equal(anonymous.events[0]!.status, 403);
  const reader = new Lines(`${server.url}/answers/json`, { Authorization: "Bearer tk_reader" });
  await waitFor(() => reader.kinds().includes("open"), { what: "an authorised stream" });
  equal(server.subscriptions.at(-1)!.authorization, "Bearer tk_reader");
  await reader.close();
});

Deno.test("close() ends open streams instead of waiting for them", async () => {
  const server = await startNtfyServer();
  const lines = new Lines(`${server.url}/answers/json`);
  await waitFor(() => server.openStreams === 1, { what: "one open stream" });
  await server.close();
  await lines.done;
  ok(lines.kinds().includes("open"));
});
