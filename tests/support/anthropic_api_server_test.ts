import assert from "node:assert/strict";
import { DEFAULT_REPLY_TEXT, startAnthropicApiServer } from "./anthropic_api_server.ts";

function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Parses a server-sent event stream into `[event, data]` pairs. */
function parseEvents(text: string): [string, Record<string, unknown>][] {
  return text.trim().split("\n\n").map((chunk) => {
    const event = /^event: (.*)$/m.exec(chunk)![1];
    const data = JSON.parse(/^data: (.*)$/m.exec(chunk)![1]);
    assert.equal(data.type, event, "data.type repeats the event name");
    return [event, data];
  });
}

Deno.test("AnthropicApiServer streams a scripted text and tool_use reply as the Messages API does", async () => {
  const api = startAnthropicApiServer({
    reply: () => [
      { type: "text", text: "Let me look." },
      { type: "tool_use", name: "Bash", input: { command: "echo hi" } },
    ],
  });
  try {
    const response = await post(`${api.url}/v1/messages?beta=true`, {
      model: "claude-test",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    const events = parseEvents(await response.text());
    assert.deepEqual(events.map(([event]) => event), [
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const start = events[0][1].message as Record<string, unknown>;
    assert.equal(start.model, "claude-test");
    assert.deepEqual(start.content, []);
    assert.deepEqual(events[2][1].delta, { type: "text_delta", text: "Let me look." });
    const tool = events[4][1].content_block as Record<string, unknown>;
    assert.equal(tool.name, "Bash");
    assert.match(String(tool.id), /^toolu_/);
    const json = (events[5][1].delta as { partial_json: string }).partial_json;
    assert.deepEqual(JSON.parse(json), { command: "echo hi" });
    assert.equal((events[7][1].delta as { stop_reason: string }).stop_reason, "tool_use");
    assert.deepEqual(api.log.requests, ["POST /v1/messages?beta=true"]);
    assert.equal(api.log.messages[0].body.model, "claude-test");
  } finally {
    await api.close();
  }
});

Deno.test("AnthropicApiServer answers without streaming, counts tokens and 404s the rest", async () => {
  const api = startAnthropicApiServer();
  try {
    const message = await (await post(`${api.url}/v1/messages`, { messages: [] })).json();
    assert.deepEqual(message.content, [{ type: "text", text: DEFAULT_REPLY_TEXT }]);
    assert.equal(message.stop_reason, "end_turn");
    const count = await post(`${api.url}/v1/messages/count_tokens`, { messages: [] });
    assert.ok((await count.json()).input_tokens > 0);
    const missing = await fetch(`${api.url}/v1/models`);
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error.type, "not_found_error");
    const bad = await fetch(`${api.url}/v1/messages`, { method: "POST", body: "{" });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  } finally {
    await api.close();
  }
});
