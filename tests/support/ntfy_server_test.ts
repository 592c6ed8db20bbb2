import assert from "node:assert/strict";
import { type NtfyTestServer, startNtfyServer, withNtfyServer } from "./ntfy_server.ts";
import { waitFor } from "./wait_for.ts";

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

function assertNtfyError(answer: Answer, http: number, code: number): void {
  assert.equal(answer.status, http, JSON.stringify(answer.body));
  assert.equal(answer.body.code, code, JSON.stringify(answer.body));
  assert.equal(answer.body.http, http);
  assert.equal(typeof answer.body.error, "string");
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

Deno.test("ntfy server stores a POST /<topic> body and answers with the message JSON", async () => {
  await withNtfyServer({}, async (server) => {
    const answer = await request(server, "/alerts", { body: "  disk is full \n" });
    assert.equal(answer.status, 200);
    assert.match(String(answer.body.id), /^[A-Za-z0-9]{12}$/);
    assert.equal(answer.body.event, "message");
    assert.equal(answer.body.topic, "alerts");
    assert.equal(answer.body.message, "disk is full");
    assert.equal(answer.body.expires, (answer.body.time as number) + 12 * 3600);
    for (const empty of ["title", "priority", "tags", "click", "actions", "attachment"]) {
      assert.equal(empty in answer.body, false, `${empty} is omitted when empty`);
    }
    const [message] = await server.waitForMessages(1);
    assert.equal(message!.id, answer.body.id);
    assert.equal(message!.message, "disk is full");
    assert.equal(message!.priority, 3);
    assert.deepEqual(message!.tags, []);
    assert.equal(message!.method, "POST");
    assert.equal(message!.path, "/alerts");
  });
});

Deno.test("ntfy server reads every header alias, case-insensitively, canonical name first", async () => {
  await withNtfyServer({}, async (server) => {
    await request(server, "/alerts", {
      method: "PUT",
      headers: {
        "title": "loses",
        "X-TITLE": "wins",
        "prio": "high",
        "Tag": "warning, skull ,",
        "click": "https://example.com/c",
        "ICON": "https://example.com/i.png",
        "md": "yes",
        "E-Mail": "me@example.com",
      },
      body: "b",
    });
    const [message] = await server.waitForMessages(1);
    assert.equal(message!.title, "wins");
    assert.equal(message!.priority, 4);
    assert.deepEqual(message!.tags, ["warning", "skull"]);
    assert.equal(message!.click, "https://example.com/c");
    assert.equal(message!.icon, "https://example.com/i.png");
    assert.equal(message!.markdown, true);
    assert.equal(message!.email, "me@example.com");
    assert.equal(message!.method, "PUT");
    assert.equal(message!.headers["x-title"], "wins");
  });
});

Deno.test("ntfy server takes options from query parameters when no header is set", async () => {
  await withNtfyServer({}, async (server) => {
    const answer = await request(server, "/alerts?t=from%20query&p=2&ta=a,b&md=1", {
      headers: { "Title": "from header" },
      body: "b",
    });
    assert.equal(answer.body.title, "from header");
    assert.equal(answer.body.priority, 2);
    assert.deepEqual(answer.body.tags, ["a", "b"]);
    assert.equal(answer.body.content_type, "text/markdown");
  });
});

Deno.test("ntfy server publishes with GET /<topic>/publish, /send and /trigger", async () => {
  await withNtfyServer({}, async (server) => {
    for (const verb of ["publish", "send", "trigger"]) {
      const response = await fetch(
        `${server.url}/alerts/${verb}?message=line%201\\nline%202&title=T`,
      );
      assert.equal(response.status, 200);
      await response.body?.cancel();
    }
    const messages = await server.waitForMessages(3);
    assert.deepEqual(messages.map((m) => m.message), Array(3).fill("line 1\nline 2"));
    assert.deepEqual(messages.map((m) => m.method), ["GET", "GET", "GET"]);
    const empty = await fetch(`${server.url}/alerts/trigger`, { method: "PUT" });
    assert.equal((await empty.json()).message, "triggered");
  });
});

Deno.test("ntfy server accepts priorities by number and name, and rejects others with 40007", async () => {
  await withNtfyServer({}, async (server) => {
    const names = { min: 1, low: 2, default: 3, high: 4, max: 5, urgent: 5, "1": 1, "5": 5 };
    for (const [name, value] of Object.entries(names)) {
      const answer = await request(server, "/alerts", {
        headers: { "X-Priority": name },
        body: "b",
      });
      assert.equal(answer.body.priority, value, name);
    }
    for (const bad of ["0", "6", "extreme"]) {
      assertNtfyError(
        await request(server, "/alerts", { headers: { "X-Priority": bad } }),
        400,
        40007,
      );
    }
    assert.equal(server.messages.length, Object.keys(names).length);
  });
});

Deno.test("ntfy server validates topics as ntfy does", async () => {
  await withNtfyServer({}, async (server) => {
    const json = (topic: unknown) => request(server, "/", { body: JSON.stringify({ topic }) });
    assertNtfyError(await json("bad.topic"), 400, 40009);
    assertNtfyError(await json("x".repeat(65)), 400, 40009);
    assertNtfyError(await json(undefined), 400, 40009);
    assert.equal((await json("x".repeat(64))).status, 200);
    // A path that is not a topic does not reach the publish handler at all.
    assertNtfyError(await request(server, "/bad.topic", { body: "b" }), 404, 40401);
    assertNtfyError(await request(server, "/docs", { body: "b" }), 400, 40010);
    assert.equal(server.messages.length, 1);
    assert.equal(server.requests, 6);
  });
});

Deno.test("ntfy server publishes JSON to POST / with its limits", async () => {
  await withNtfyServer({}, async (server) => {
    const answer = await request(server, "/", {
      body: JSON.stringify({
        topic: "alerts",
        message: "hello",
        title: "Title",
        priority: 5,
        tags: ["a", "b"],
        markdown: true,
        actions: [{ action: "view", label: "Open", url: "https://example.com" }],
        attach: "https://example.com/files/report.pdf",
      }),
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.priority, 5);
    assert.deepEqual(answer.body.attachment, {
      name: "report.pdf",
      url: "https://example.com/files/report.pdf",
    });
    const [message] = await server.waitForMessages(1);
    assert.deepEqual(message!.actions, [
      { action: "view", label: "Open", clear: false, url: "https://example.com" },
    ]);
    assert.equal(message!.markdown, true);
    assertNtfyError(await request(server, "/", { body: "not json" }), 400, 40024);
    assertNtfyError(
      await request(server, "/", { body: JSON.stringify({ topic: "a", priority: "high" }) }),
      400,
      40024,
    );
    assertNtfyError(
      await request(server, "/", { body: JSON.stringify({ topic: "a", priority: 7 }) }),
      400,
      40007,
    );
    const big = JSON.stringify({ topic: "alerts", message: "x".repeat(8200) });
    assertNtfyError(await request(server, "/", { body: big }), 413, 41303);
  });
});

Deno.test("ntfy server takes 4,096 bytes of message and refuses more with 40014", async () => {
  await withNtfyServer({}, async (server) => {
    const exact = "é".repeat(2048); // 4,096 bytes of UTF-8
    assert.equal((await request(server, "/alerts", { body: exact })).status, 200);
    assertNtfyError(await request(server, "/alerts", { body: exact + "x" }), 400, 40014);
    const json = JSON.stringify({ topic: "alerts", message: "x".repeat(4097) });
    assertNtfyError(await request(server, "/", { body: json }), 400, 40014);
    assertNtfyError(
      await request(server, "/alerts", { body: new Uint8Array([0xff, 0xfe]) }),
      400,
      40014,
    );
    assert.equal(server.messages[0]!.message, exact);
  });
});

Deno.test("ntfy server renders Markdown from the header or Content-Type: text/markdown", async () => {
  await withNtfyServer({}, async (server) => {
    await request(server, "/alerts", {
      headers: { "Content-Type": "text/markdown" },
      body: "**b**",
    });
    await request(server, "/alerts", { headers: { "X-Markdown": "true" }, body: "**b**" });
    await request(server, "/alerts", { body: "**b**" });
    const messages = await server.waitForMessages(3);
    assert.deepEqual(messages.map((m) => m.markdown), [true, true, false]);
  });
});

Deno.test("ntfy server parses actions in short and JSON format and rejects bad ones", async () => {
  await withNtfyServer({}, async (server) => {
    await request(server, "/alerts", {
      headers: {
        "Actions": "view, Open portal, https://home.example/, clear=true; " +
          "http, 'Turn, down', https://api.example/, method=put, body='{\"t\": 1}', " +
          "headers.Authorization=Bearer x",
      },
      body: "b",
    });
    const [message] = await server.waitForMessages(1);
    assert.deepEqual(message!.actions, [
      { action: "view", label: "Open portal", clear: true, url: "https://home.example/" },
      {
        action: "http",
        label: "Turn, down",
        clear: false,
        url: "https://api.example/",
        method: "PUT",
        body: '{"t": 1}',
        headers: { Authorization: "Bearer x" },
      },
    ]);
    const bad = [
      "view, Open",
      "jump, Go, https://x",
      "view, Open, https://x, clear=maybe",
      '[{"action":"view"}]',
      "[not json",
      "view, A, https://a; view, B, https://b; view, C, https://c; view, D, https://d",
    ];
    for (const actions of bad) {
      assertNtfyError(
        await request(server, "/alerts", { headers: { actions }, body: "b" }),
        400,
        40018,
      );
    }
  });
});

Deno.test("ntfy server decodes RFC 2047 encoded words in headers", async () => {
  await withNtfyServer({}, async (server) => {
    const title = "🚀 Build done — café";
    const words = `=?UTF-8?B?${base64("🚀 Build ")}?= =?UTF-8?B?${base64("done — café")}?=`;
    await request(server, "/alerts", {
      headers: { "X-Title": words, "X-Tags": "=?utf-8?q?caf=C3=A9_au_lait?=" },
    });
    await request(server, "/alerts", { headers: { "X-Title": "=?UTF-8?B?not base64!?=" } });
    const [first, second] = await server.waitForMessages(2);
    assert.equal(first!.title, title);
    assert.deepEqual(first!.tags, ["café au lait"]);
    assert.equal(second!.title, "=?UTF-8?B?not base64!?=");
  });
});

Deno.test("ntfy server schedules delays between 10 s and 3 days", async () => {
  await withNtfyServer({}, async (server) => {
    const now = Math.floor(Date.now() / 1000);
    const answer = await request(server, "/alerts", { headers: { "X-Delay": "30m" }, body: "b" });
    assert.ok(Math.abs((answer.body.time as number) - (now + 1800)) <= 2);
    assertNtfyError(await request(server, "/alerts", { headers: { "In": "5s" } }), 400, 40005);
    assertNtfyError(await request(server, "/alerts", { headers: { "At": "4d" } }), 400, 40006);
    assertNtfyError(
      await request(server, "/alerts", { headers: { "Delay": "soonish" } }),
      400,
      40004,
    );
    assertNtfyError(
      await request(server, "/alerts", { headers: { "Delay": "1h", "Email": "a@b.c" } }),
      400,
      40003,
    );
    assert.equal(server.messages[0]!.delay, "30m");
  });
});

Deno.test("ntfy server authenticates bearer tokens, basic auth and auth= query values", async () => {
  const options = { users: { alice: "pässwörd" }, tokens: ["tk_good"], requireAuth: true };
  await withNtfyServer(options, async (server) => {
    const publish = (headers: Record<string, string>, query = "") =>
      request(server, `/alerts${query}`, { headers, body: "b" });
    assert.equal((await publish({ Authorization: "Bearer tk_good" })).status, 200);
    assert.equal(
      (await publish({ Authorization: `Basic ${base64("alice:pässwörd")}` })).status,
      200,
    );
    assert.equal((await publish({ Authorization: `Basic ${base64(":tk_good")}` })).status, 200);
    const auth = base64("Bearer tk_good").replaceAll("+", "-").replaceAll("/", "_").replace(
      /=+$/,
      "",
    );
    assert.equal((await publish({}, `?auth=${auth}`)).status, 200);
    assertNtfyError(await publish({ Authorization: "Bearer tk_bad" }), 401, 40101);
    assertNtfyError(await publish({ Authorization: `Basic ${base64("alice:wrong")}` }), 401, 40101);
    assertNtfyError(await publish({}), 403, 40301);
    const messages = await server.waitForMessages(4);
    assert.deepEqual(messages.map((m) => m.user), ["token", "alice", "token", "token"]);
    assert.equal(messages[0]!.authorization, "Bearer tk_good");
    assert.equal(messages[3]!.authorization, "Bearer tk_good");
  });
  await withNtfyServer({ tokens: ["tk_good"] }, async (server) => {
    assert.equal((await request(server, "/alerts", { body: "anonymous" })).status, 200);
    assertNtfyError(
      await request(server, "/alerts", { headers: { Authorization: "Bearer nope" } }),
      401,
      40101,
    );
  });
});

Deno.test("ntfy server applies queued faults to the next publish requests, then behaves", async () => {
  await withNtfyServer({}, async (server) => {
    server.failNext(1, { status: 500 });
    server.failNext(1, { status: 429, retryAfterSecs: 7 });
    server.failNext(1, { status: 429 });
    server.failNext(1, { status: 401, code: 40102 });
    server.failNext(1, { status: 429, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT" });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await request(server, "/alerts", { body: `m${i}` }));
    assertNtfyError(answers[0]!, 500, 50001);
    assertNtfyError(answers[1]!, 429, 42901);
    assert.equal(answers[1]!.headers.get("Retry-After"), "7");
    assertNtfyError(answers[2]!, 429, 42901);
    assert.equal(answers[2]!.headers.get("Retry-After"), null);
    assertNtfyError(answers[3]!, 401, 40102);
    assert.equal(answers[4]!.headers.get("Retry-After"), "Wed, 21 Oct 2015 07:28:00 GMT");
    assert.equal(answers[5]!.status, 200);
    assert.deepEqual(server.messages.map((m) => m.message), ["m5"]);
    assert.equal(server.requests, 6);
  });
});

Deno.test("ntfy server keeps failing in a set mode until set back to ok", async () => {
  await withNtfyServer({}, async (server) => {
    server.setMode({ status: 503 });
    assert.equal((await request(server, "/alerts", { body: "a" })).status, 503);
    assert.equal((await request(server, "/", { body: "{}" })).status, 503);
    server.failNext(1, { status: 413 });
    assertNtfyError(await request(server, "/alerts", { body: "a" }), 413, 41303);
    server.setMode("ok");
    assert.equal((await request(server, "/alerts", { body: "b" })).status, 200);
    server.reset();
    assert.equal(server.messages.length, 0);
    assert.equal(server.requests, 0);
  });
});

Deno.test("ntfy server limits requests per IP when asked", async () => {
  await withNtfyServer({ rateLimit: { burst: 3, refillPerSec: 0.001 } }, async (server) => {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await request(server, "/alerts", { body: "b" })).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    assertNtfyError(await request(server, "/alerts", { body: "b" }), 429, 42901);
  });
});

Deno.test("ntfy server answers GET /v1/health", async () => {
  await withNtfyServer({}, async (server) => {
    const response = await fetch(`${server.url}/v1/health`);
    assert.deepEqual(await response.json(), { healthy: true });
  });
});

Deno.test("ntfy server lets a hanging request go when the client gives up", async () => {
  await withNtfyServer({}, async (server) => {
    server.failNext(1, { hang: true });
    const started = performance.now();
    await assert.rejects(
      fetch(`${server.url}/alerts`, {
        method: "POST",
        body: "b",
        signal: AbortSignal.timeout(100),
      }),
      { name: "TimeoutError" },
    );
    assert.ok(performance.now() - started < 2000);
    await waitFor(() => server.hanging === 0, {
      what: "the abandoned request to be released before close()",
    });
    assert.equal((await request(server, "/alerts", { body: "next" })).status, 200);
  });
});

Deno.test("ntfy server close() answers a hanging request and rejects waiters", async () => {
  const server = await startNtfyServer();
  server.setMode({ hang: true });
  const pending = fetch(`${server.url}/alerts`, { method: "POST", body: "b" });
  const waiting = assert.rejects(
    server.waitForMessages(1, 60_000),
    /Server closed while waiting for 1 ntfy messages/,
  );
  await waitFor(() => server.requests === 1, { what: "the request to reach the server" });
  await server.close();
  const response = await pending;
  assert.equal(response.status, 500);
  await response.body?.cancel();
  await waiting;
});

Deno.test("waitForMessages() resolves when the nth message arrives and says how many came on timeout", async () => {
  await withNtfyServer({}, async (server) => {
    const waiting = server.waitForMessages(2, 5000);
    await request(server, "/alerts", { body: "one" });
    await request(server, "/alerts", { body: "two" });
    assert.deepEqual((await waiting).map((m) => m.message), ["one", "two"]);
    await assert.rejects(
      server.waitForMessages(3, 50),
      { message: "Timed out after 50 ms waiting for 3 ntfy messages: 2 arrived" },
    );
  });
});
