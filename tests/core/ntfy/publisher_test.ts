import assert from "node:assert/strict";
import type { NotificationMessage, NotificationTask, NtfyTarget } from "../../../protocol/mod.ts";
import { NtfyError } from "../../../core/ntfy/errors.ts";
import { publish } from "../../../core/ntfy/publisher.ts";
import { type NtfyTestServer, withNtfyServer } from "../../support/ntfy_server.ts";
import { waitFor } from "../../support/wait_for.ts";

function task(
  target: Partial<NtfyTarget> & { serverUrl: string },
  message: Partial<NotificationMessage> = {},
): NotificationTask {
  return {
    target: { topic: "alerts", ...target },
    message: { body: "hello", ...message },
    origin: { event: "test", createdAt: 0 },
  };
}

async function publishError(
  promise: Promise<unknown>,
): Promise<NtfyError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof NtfyError, `expected an NtfyError, got ${error}`);
    return error;
  }
  assert.fail("expected the publish to fail");
}

/** A port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

function assertNoSecret(error: unknown, secrets: string[]): void {
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const texts = [String(current)];
    if (current instanceof Error) texts.push(current.message, current.stack ?? "");
    for (const text of texts) {
      for (const secret of secrets) {
        assert.equal(text.includes(secret), false, `"${secret}" leaked at depth ${depth}: ${text}`);
      }
    }
    current = current instanceof Error ? current.cause : undefined;
  }
}

const fullMessage: NotificationMessage = {
  body: "webapp: permission to use **Write**\nsecond line",
  title: "Claude is waiting",
  priority: 4,
  tags: ["warning", "robot"],
  click: "https://example.com/session/1",
  icon: "https://example.com/icon.png",
  actions: [
    { action: "view", label: "Open", url: "https://example.com/open", clear: true },
    {
      action: "http",
      label: "Approve",
      url: "https://example.com/approve",
      method: "POST",
      headers: { "X-Token": "abc" },
      body: '{"ok":true}',
    },
  ],
  markdown: true,
  attach: "https://example.com/files/log.txt",
  filename: "session.log",
};

function assertFullMessageArrived(
  received: NtfyTestServer["messages"][number],
  message: NotificationMessage,
): void {
  assert.equal(received.topic, "alerts");
  assert.equal(received.message, message.body);
  assert.equal(received.title, message.title);
  assert.equal(received.priority, message.priority);
  assert.deepEqual(received.tags, message.tags);
  assert.equal(received.click, message.click);
  assert.equal(received.icon, message.icon);
  assert.equal(received.markdown, true);
  assert.equal(received.attach, message.attach);
  assert.equal(received.filename, message.filename);
  assert.deepEqual(received.actions, [
    { action: "view", label: "Open", url: "https://example.com/open", clear: true },
    {
      action: "http",
      label: "Approve",
      clear: false,
      url: "https://example.com/approve",
      method: "POST",
      headers: { "X-Token": "abc" },
      body: '{"ok":true}',
    },
  ]);
}

Deno.test("publish() sends JSON to POST / with every field intact", async () => {
  await withNtfyServer({}, async (server) => {
    const result = await publish(task({ serverUrl: server.url }, fullMessage));
    const [received] = await server.waitForMessages(1);
    assertFullMessageArrived(received!, fullMessage);
    assert.equal(received!.path, "/");
    assert.equal(received!.headers["content-type"], "application/json");
    assert.deepEqual(result, { id: received!.id, time: received!.time, topic: "alerts" });
  });
});

Deno.test("publish() in text mode sends the body to /<topic> with X-* headers intact", async () => {
  await withNtfyServer({}, async (server) => {
    const result = await publish(task({ serverUrl: server.url, sendFormat: "text" }, fullMessage));
    const [received] = await server.waitForMessages(1);
    assertFullMessageArrived(received!, fullMessage);
    assert.equal(received!.path, "/alerts");
    assert.equal(received!.headers["x-markdown"], "yes");
    assert.equal(received!.headers["x-tags"], "warning,robot");
    assert.equal(result.id, received!.id);
  });
});

Deno.test("publish() in text mode carries non-ASCII header values as RFC 2047 words", async () => {
  await withNtfyServer({}, async (server) => {
    const titles = [
      "🚀 Build done — café",
      "Ünïcödé ".repeat(12).trim(), // longer than one encoded word
      "looks =?encoded?= but is not",
    ];
    for (const title of titles) {
      await publish(task({ serverUrl: server.url, sendFormat: "text" }, {
        title,
        body: "Zürich ☕ ok",
        tags: ["tada", "café"],
        actions: [{ action: "view", label: "Öffnen 🔗", url: "https://example.com/ä" }],
      }));
    }
    const received = await server.waitForMessages(titles.length);
    assert.deepEqual(received.map((m) => m.title), titles);
    assert.match(received[0]!.headers["x-title"]!, /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    assert.equal(received[0]!.message, "Zürich ☕ ok");
    assert.deepEqual(received[0]!.tags, ["tada", "café"]);
    assert.equal(received[0]!.actions?.[0]?.label, "Öffnen 🔗");
    assert.equal(received[0]!.actions?.[0]?.url, "https://example.com/ä");
  });
});

Deno.test("publish() sends a delay and an e-mail address", async () => {
  await withNtfyServer({}, async (server) => {
    const before = Math.floor(Date.now() / 1000);
    const result = await publish(task({ serverUrl: server.url }, { delay: "30m" }));
    await publish(task({ serverUrl: server.url, sendFormat: "text" }, { email: "me@example.com" }));
    const [delayed, mailed] = await server.waitForMessages(2);
    assert.equal(delayed!.delay, "30m");
    assert.ok(result.time >= before + 1800 - 2);
    assert.equal(mailed!.email, "me@example.com");
  });
});

Deno.test("publish() builds URLs under a path prefix, with or without a trailing slash", async () => {
  await withNtfyServer({}, async (server) => {
    const urls: string[] = [];
    // A reverse proxy in miniature: records the URL, strips the prefix, forwards for real.
    const proxy: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(String(input).replace("/ntfy", ""), init);
    };
    await publish(task({ serverUrl: `${server.url}/ntfy/` }), { fetch: proxy });
    await publish(task({ serverUrl: `${server.url}/ntfy`, sendFormat: "text" }), { fetch: proxy });
    await publish(task({ serverUrl: `${server.url}/` }));
    assert.deepEqual(urls, [`${server.url}/ntfy/`, `${server.url}/ntfy/alerts`]);
    assert.equal((await server.waitForMessages(3)).length, 3);
  });
});

Deno.test("publish() sends bearer and UTF-8 basic credentials", async () => {
  const options = { tokens: ["tk_abc123"], users: { "jürgen": "pässwörd:1" }, requireAuth: true };
  await withNtfyServer(options, async (server) => {
    await publish(task({ serverUrl: server.url, auth: { type: "bearer", token: "tk_abc123" } }));
    await publish(task({
      serverUrl: server.url,
      sendFormat: "text",
      auth: { type: "basic", username: "jürgen", password: "pässwörd:1" },
    }));
    const [bearer, basic] = await server.waitForMessages(2);
    assert.equal(bearer!.authorization, "Bearer tk_abc123");
    assert.equal(bearer!.user, "token");
    assert.equal(basic!.user, "jürgen");
  });
});

Deno.test("publish() turns credentials in the server URL into basic auth", async () => {
  await withNtfyServer({ users: { bob: "s3cret" }, requireAuth: true }, async (server) => {
    await publish(task({ serverUrl: server.url.replace("http://", "http://bob:s3cret@") }));
    const [received] = await server.waitForMessages(1);
    assert.equal(received!.user, "bob");
  });
});

Deno.test("publish() classifies ntfy's error answers", async () => {
  const cases = [
    { fault: { status: 500 }, retryable: true, code: 50001 },
    { fault: { status: 502 }, retryable: true, code: 50201 },
    { fault: { status: 503 }, retryable: true, code: 50301 },
    { fault: { status: 507 }, retryable: false, code: 50701 },
    { fault: { status: 429 }, retryable: true, code: 42901 },
    { fault: { status: 429, code: 42908 }, retryable: true, code: 42908 },
    { fault: { status: 429, code: 42909 }, retryable: false, code: 42909 },
    { fault: { status: 400 }, retryable: false, code: 40009 },
    { fault: { status: 401 }, retryable: false, code: 40101 },
    { fault: { status: 403 }, retryable: false, code: 40301 },
    { fault: { status: 413 }, retryable: false, code: 41303 },
  ];
  await withNtfyServer({}, async (server) => {
    for (const { fault, retryable, code } of cases) {
      server.failNext(1, fault);
      const error = await publishError(publish(task({ serverUrl: server.url })));
      const label = JSON.stringify(fault);
      assert.equal(error.kind, "http", label);
      assert.equal(error.httpStatus, fault.status, label);
      assert.equal(error.ntfyCode, code, label);
      assert.equal(error.retryable, retryable, label);
      assert.equal(error.retryAfterMs, undefined, label);
    }
    assert.equal(server.messages.length, 0);
  });
});

Deno.test("publish() reads Retry-After as seconds or as an HTTP date", async () => {
  await withNtfyServer({}, async (server) => {
    server.failNext(1, { status: 429, retryAfterSecs: 7 });
    const seconds = await publishError(publish(task({ serverUrl: server.url })));
    assert.equal(seconds.retryAfterMs, 7000);
    assert.equal(seconds.retryable, true);
    assert.equal(seconds.ntfyCode, 42901);

    server.failNext(1, { status: 503, retryAfter: new Date(Date.now() + 60_000).toUTCString() });
    const date = await publishError(publish(task({ serverUrl: server.url })));
    assert.ok(date.retryAfterMs! > 55_000 && date.retryAfterMs! <= 60_000, `${date.retryAfterMs}`);
  });
});

Deno.test("publish() fails permanently with ntfy's code in the message for 400, 401, 403, 413", async () => {
  await withNtfyServer({ tokens: ["tk_right"], requireAuth: true }, async (server) => {
    const auth = { type: "bearer", token: "tk_right" } as const;
    const tooSoon = await publishError(
      publish(task({ serverUrl: server.url, auth }, { delay: "5s" })),
    );
    assert.equal(
      tooSoon.message,
      "ntfy rejected the message: 40005 invalid delay parameter: too small, please refer to the docs (HTTP 400)",
    );
    const wrong = await publishError(
      publish(task({ serverUrl: server.url, auth: { type: "bearer", token: "tk_wrong" } })),
    );
    assert.equal(wrong.message, "ntfy rejected the message: 40101 unauthorized (HTTP 401)");
    const anonymous = await publishError(publish(task({ serverUrl: server.url })));
    assert.equal(anonymous.message, "ntfy rejected the message: 40301 forbidden (HTTP 403)");
    const tooLong = await publishError(
      publish(task({ serverUrl: server.url, auth }, { body: "x".repeat(5000) })),
    );
    assert.equal(
      tooLong.message,
      "ntfy rejected the message: 40014 invalid request: attachments not allowed (HTTP 400)",
    );
    server.failNext(1, { status: 413 });
    const tooLarge = await publishError(publish(task({ serverUrl: server.url, auth })));
    assert.equal(
      tooLarge.message,
      "ntfy rejected the message: 41303 JSON body too large (HTTP 413)",
    );
    for (const error of [tooSoon, wrong, anonymous, tooLong, tooLarge]) {
      assert.equal(error.retryable, false, error.message);
      assert.equal(error.kind, "http");
    }
  });
});

Deno.test("publish() times out a server that never answers, as a retryable error", async () => {
  await withNtfyServer({}, async (server) => {
    server.failNext(1, { hang: true });
    const started = performance.now();
    const error = await publishError(
      publish(task({ serverUrl: server.url, timeoutSecs: 0.3 })),
    );
    const elapsed = performance.now() - started;
    assert.equal(error.kind, "timeout");
    assert.equal(error.retryable, true);
    assert.equal(error.message, `Timed out after 0.3 s waiting for ntfy server "${server.url}"`);
    assert.ok(elapsed >= 250 && elapsed < 3000, `${elapsed} ms`);
  });
});

Deno.test("publish() stops when the caller's signal aborts", async () => {
  await withNtfyServer({}, async (server) => {
    server.failNext(1, { hang: true });
    const controller = new AbortController();
    const pending = publishError(publish(task({ serverUrl: server.url }), {
      signal: controller.signal,
    }));
    // Abort once the request is held by the server, not after a guessed delay: an abort
    // before the request went out would prove less.
    await waitFor(() => server.hanging === 1, { what: "the request to reach the server" });
    controller.abort();
    const error = await pending;
    assert.equal(error.kind, "aborted");
    assert.equal(error.retryable, false);
    await waitFor(() => server.hanging === 0, { what: "the server to see the request go" });
  });
});

Deno.test("publish() reports a refused connection as a retryable network error", async () => {
  const port = closedPort();
  const error = await publishError(publish(task({ serverUrl: `http://127.0.0.1:${port}` })));
  assert.equal(error.kind, "network");
  assert.equal(error.retryable, true);
  assert.match(error.message, new RegExp(`^Cannot reach ntfy server "http://127.0.0.1:${port}": `));
  assert.match(error.message, /Connection refused/i);
  assert.ok(error.cause instanceof Error);
});

Deno.test({
  name: "publish() explains a host the daemon has no permission for, without retrying",
  permissions: { net: ["127.0.0.1"] },
  fn: async () => {
    const error = await publishError(publish(task({ serverUrl: "http://127.0.0.2:8080/ntfy" })));
    assert.equal(error.kind, "permission");
    assert.equal(error.retryable, false);
    assert.match(error.message, /"127\.0\.0\.2:8080"/);
    assert.match(error.message, /claude-ntfy daemon stop && claude-ntfy daemon start/);
  },
});

Deno.test("publish() never puts a token or password into an error", async () => {
  const token = "tk_SECRETtoken0123456789";
  const password = "p@ss/wörd SECRET";
  await withNtfyServer({ tokens: ["tk_other"] }, async (server) => {
    const rejected = await publishError(
      publish(task({ serverUrl: server.url, auth: { type: "bearer", token } })),
    );
    assert.equal(rejected.httpStatus, 401);
    assertNoSecret(rejected, [token]);
  });
  const port = closedPort();
  const authParam = btoa(`Bearer ${token}`).replace(/=+$/, "");
  const cases: NotificationTask[] = [
    task({ serverUrl: `http://127.0.0.1:${port}/?auth=${authParam}` }),
    task({
      serverUrl: `http://127.0.0.1:${port}/?auth=${authParam}`,
      sendFormat: "text",
      auth: { type: "bearer", token },
    }),
    task({
      serverUrl: `http://user:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    }),
    task({
      serverUrl: `http://127.0.0.1:${port}/?auth=${authParam}`,
      auth: { type: "basic", username: "user", password },
    }),
  ];
  for (const failing of cases) {
    const error = await publishError(publish(failing));
    assert.equal(error.kind, "network");
    assertNoSecret(error, [token, password, encodeURIComponent(password), authParam]);
  }
});
