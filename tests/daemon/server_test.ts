// The server serves until its abort signal fires, then answers what it owes, closes every
// connection and resolves; a request may abort the signal and still gets its answer.
import { equal, ok, rejects } from "node:assert/strict";
import { encodeRequest, type Response } from "../../protocol/mod.ts";
import { DEFAULT_CONNECTION_LIMITS } from "../../daemon/connection.ts";
import { Logger } from "../../daemon/log.ts";
import type { RequestHandler } from "../../daemon/request_handler.ts";
import { DEFAULT_SERVER_LIMITS, UnixServer } from "../../daemon/server.ts";
import { DaemonStats } from "../../daemon/stats/daemon_stats.ts";
import { rawClient } from "../support/raw_client.ts";

async function withServer(
  handle: (stop: AbortController) => RequestHandler,
  body: (path: string, stop: AbortController, served: Promise<void>) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "cn-server-" });
  const path = `${dir}/s.sock`;
  const stop = new AbortController();
  const server = new UnixServer(path, {
    token: "tok",
    version: "test",
    handle: handle(stop),
    stats: new DaemonStats(),
    log: new Logger({ level: "error", sink: () => {} }),
    limits: DEFAULT_CONNECTION_LIMITS,
  }, DEFAULT_SERVER_LIMITS);
  const served = server.serve(stop.signal, 2_000);
  try {
    await body(path, stop, served);
  } finally {
    stop.abort("test over");
    await served;
    await Deno.remove(dir, { recursive: true });
  }
}

async function authed(path: string) {
  const client = await rawClient(path);
  await client.write(encodeRequest({ type: "hello", id: 1, version: 1, token: "tok" }));
  await client.waitFor(1);
  return client;
}

Deno.test("UnixServer.serve() finishes answers it owes after the abort, then resolves", async () => {
  let answer!: (response: Response) => void;
  await withServer(
    () => (request) =>
      request.type === "status" ? new Promise((resolve) => answer = resolve) : {
        type: "ok",
        id: request.id,
      },
    async (path, stop, served) => {
      const client = await authed(path);
      await client.write(encodeRequest({ type: "status", id: 2 }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      stop.abort("done");
      await rejects(Deno.connect({ transport: "unix", path }), "no new connections");
      answer({ type: "ok", id: 2 });
      await served;
      const responses = await client.waitFor(2);
      equal(responses[1]?.id, 2, "the answer owed was written");
      ok(await client.waitClosed(), "then the connection was closed");
    },
  );
});

Deno.test("a request that aborts the server's signal still gets its answer", async () => {
  await withServer(
    (stop) => (request) => {
      if (request.type === "shutdown") stop.abort("shutdown request");
      return { type: "ok", id: request.id };
    },
    async (path, stop, served) => {
      const client = await authed(path);
      await client.write(encodeRequest({ type: "shutdown", id: 3 }));
      await served;
      equal(stop.signal.reason, "shutdown request");
      const responses = await client.waitFor(2);
      equal(responses[1]?.type, "ok");
      equal(responses[1]?.id, 3);
      ok(await client.waitClosed());
    },
  );
});

Deno.test("UnixServer.serve() aborted right after it starts accepts nothing and resolves", async () => {
  await withServer(
    () => (request) => ({ type: "ok", id: request.id }),
    async (path, stop, served) => {
      stop.abort("at once");
      await served;
      await rejects(Deno.connect({ transport: "unix", path }));
    },
  );
});
