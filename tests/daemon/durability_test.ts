// Nothing lost: acknowledged tasks survive kill -9, a server that is down, answers 500 or
// 429 or hangs; permanent errors go to the dead letters; spooled tasks are delivered once.
import { equal, ok } from "node:assert/strict";
import { connect } from "../../client/client.ts";
import type { NotificationTask } from "../../protocol/mod.ts";
import { writeSpoolFile } from "../../core/spool/write_spool_file.ts";
import { startNtfyServer } from "../support/ntfy_server.ts";
import { createTestHome, processAlive, type TestHome } from "../support/cli_process.ts";
import { waitFor } from "../support/wait_for.ts";
import { fixtureBytes } from "../core/templates/_fixtures.ts";

function task(serverUrl: string, n: number, topic = "durable"): NotificationTask {
  return {
    target: { serverUrl, topic, timeoutSecs: 1 },
    message: { body: `message ${n}`, title: `task ${n}`, priority: 3 },
    origin: { event: "test", createdAt: Date.now() },
  };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function config(serverUrl: string, extra = ""): string {
  return `[ntfy]\nserver_url = "${serverUrl}"\ndefault_topic = "durable"\ntimeout_secs = 1\n` +
    `[daemon]\nmax_queue_size = 10000\nretry_attempts = 1000\nretry_delay_secs = 0.05\n${extra}`;
}

async function client(home: TestHome) {
  return await connect({ socketPath: home.paths.socketPath, tokenPath: home.paths.tokenPath });
}

function bodies(messages: readonly { message: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.message, (counts.get(m.message) ?? 0) + 1);
  return counts;
}

Deno.test("500 tasks acknowledged while ntfy is down survive kill -9 and all arrive later", async () => {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const home = await createTestHome();
  let server;
  try {
    await home.writeConfig(config(url));
    const pid = await home.startDaemon();
    const c = await client(home);
    await Promise.all(Array.from({ length: 500 }, (_, i) => c.submit(task(url, i))));
    await c.close();
    Deno.kill(pid, "SIGKILL");
    await waitFor(() => !processAlive(pid), { what: "the daemon to die" });

    server = await startNtfyServer({ port });
    await home.startDaemon();
    const messages = await server.waitForMessages(500, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const counts = bodies(server.messages);
    for (let i = 0; i < 500; i++) ok(counts.has(`message ${i}`), `message ${i} arrived`);
    const duplicates = server.messages.length - counts.size;
    // Nothing was in flight to a live server at the crash: no duplicates are expected, and
    // never more than the delivery concurrency (8).
    ok(duplicates <= 8, `duplicates: ${duplicates}`);
    equal(messages.length >= 500, true);
  } finally {
    await home.cleanup();
    await server?.close();
  }
});

Deno.test("500, then 429 with Retry-After, then a hang past the timeout: every task arrives", async () => {
  const server = await startNtfyServer();
  const home = await createTestHome();
  try {
    await home.writeConfig(config(server.url));
    server.failNext(3, { status: 500 });
    await home.startDaemon();
    const c = await client(home);
    await c.submit(task(server.url, 1));
    await server.waitForMessages(1, 10_000);
    server.failNext(1, { status: 429, retryAfterSecs: 1 });
    const before = performance.now();
    await c.submit(task(server.url, 2));
    await server.waitForMessages(2, 10_000);
    ok(performance.now() - before >= 900, "Retry-After was honoured");
    server.failNext(1, { hang: true });
    await c.submit(task(server.url, 3));
    await server.waitForMessages(3, 15_000);
    await waitFor(async () => (await c.status()).delivered === 3, { what: "3 deliveries" });
    const status = await c.status();
    equal(status.dead, 0);
    ok(server.requests >= 3 + 3 + 1 + 1, `requests: ${server.requests}`);
    await c.close();
  } finally {
    await home.cleanup();
    await server.close();
  }
});

Deno.test("400, 401 and 413 go to the dead letters at once, with the reason", async () => {
  const server = await startNtfyServer();
  const home = await createTestHome();
  try {
    await home.writeConfig(config(server.url));
    await home.startDaemon();
    const c = await client(home);
    for (const [status, code] of [[400, 40007], [401, 40101], [413, 41301]] as const) {
      server.failNext(1, { status, code });
      await c.submit(task(server.url, status));
      await waitFor(
        async () => (await c.status()).dead >= [400, 401, 413].indexOf(status) + 1,
        { what: `dead letter for ${status}` },
      );
    }
    const status = await c.status();
    equal(status.dead, 3);
    equal(status.delivered, 0);
    equal(server.requests, 3, "permanent errors are not retried");
    await c.close();
    const dead = await Deno.readTextFile(home.paths.deadLetterPath);
    for (const code of ["40007", "40101", "41301"]) ok(dead.includes(code), `reason names ${code}`);
    equal(Deno.statSync(home.paths.deadLetterPath).mode! & 0o777, 0o600);
  } finally {
    await home.cleanup();
    await server.close();
  }
});

Deno.test("100 hooks with no daemon spool; starting the daemon delivers all 100 exactly once", async () => {
  const server = await startNtfyServer();
  const home = await createTestHome();
  try {
    await home.writeConfig(config(server.url));
    const payload = JSON.parse(
      new TextDecoder().decode(fixtureBytes("notification_permission.json")),
    );
    const hooks = Array.from(
      { length: 100 },
      (_, i) => JSON.stringify({ ...payload, message: `spooled ${i}` }),
    );
    // Four at a time: 100 real hook processes.
    for (let i = 0; i < hooks.length; i += 4) {
      const results = await Promise.all(
        hooks.slice(i, i + 4).map((stdin) =>
          home.run(["hook"], { stdin, env: { CLAUDE_NTFY_AUTOSTART: "0" } })
        ),
      );
      for (const result of results) equal(result.code, 0, result.stderr);
    }
    const spooled = [...Deno.readDirSync(home.paths.spoolDir)].filter((e) =>
      e.name.endsWith(".task")
    );
    equal(spooled.length, 100);
    equal(server.messages.length, 0);
    await home.startDaemon();
    await server.waitForMessages(100, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const counts = bodies(server.messages);
    equal(server.messages.length, 100, "exactly once");
    for (let i = 0; i < 100; i++) {
      ok([...counts.keys()].some((body) => body.includes(`spooled ${i}`)), `spooled ${i} arrived`);
    }
    const left = [...Deno.readDirSync(home.paths.spoolDir)].filter((e) => e.name.endsWith(".task"));
    equal(left.length, 0, "spool emptied");
  } finally {
    await home.cleanup();
    await server.close();
  }
});

Deno.test("delivered tasks are not delivered again after a restart or a kill -9", async () => {
  const server = await startNtfyServer();
  const home = await createTestHome();
  try {
    await home.writeConfig(config(server.url));
    await home.startDaemon();
    let c = await client(home);
    for (let i = 0; i < 20; i++) await c.submit(task(server.url, i));
    await server.waitForMessages(20, 10_000);
    await c.close();
    const stop = await home.run(["daemon", "stop"]);
    equal(stop.code, 0, stop.stderr);
    const pid = await home.startDaemon();
    c = await client(home);
    await c.submit(task(server.url, 20));
    await server.waitForMessages(21, 10_000);
    await waitFor(
      async () => (await c.status()).delivered === 1,
      { what: "the delivery to be counted" },
    );
    await c.close();
    // Let the "done" record reach the file, then crash.
    await new Promise((resolve) => setTimeout(resolve, 100));
    Deno.kill(pid, "SIGKILL");
    await waitFor(() => !processAlive(pid), { what: "the daemon to die" });
    await home.startDaemon();
    await new Promise((resolve) => setTimeout(resolve, 500));
    equal(server.messages.length, 21, "nothing delivered twice");
  } finally {
    await home.cleanup();
    await server.close();
  }
});

Deno.test("a task spooled while the daemon runs is picked up without a restart", async () => {
  const server = await startNtfyServer();
  const home = await createTestHome();
  try {
    await home.writeConfig(config(server.url));
    const pid = await home.startDaemon();
    await writeSpoolFile(home.paths.spoolDir, task(server.url, 42));
    const [message] = await server.waitForMessages(1, 5_000);
    equal(message!.message, "message 42");
    ok(processAlive(pid), "same daemon");
  } finally {
    await home.cleanup();
    await server.close();
  }
});

Deno.test("a full queue answers Submit with QUEUE_FULL, and the hook spools instead of losing it", async () => {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const home = await createTestHome();
  try {
    await home.writeConfig(config(url).replace("max_queue_size = 10000", "max_queue_size = 5"));
    await home.startDaemon();
    const c = await client(home);
    for (let i = 0; i < 5; i++) await c.submit(task(url, i));
    let code = "";
    try {
      await c.submit(task(url, 99));
    } catch (error) {
      code = (error as { code: string }).code;
    }
    equal(code, "QUEUE_FULL");
    await c.close();
    const result = await home.run(["hook", "-v"], { stdin: fixtureBytes("stop.json") });
    equal(result.code, 0, result.stderr);
    ok(/spooled to/.test(result.stderr), result.stderr);
  } finally {
    await home.cleanup();
  }
});
