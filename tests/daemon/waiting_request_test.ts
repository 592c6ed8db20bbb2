// A request the daemon answers late (a hook waiting for the phone) keeps its connection:
// the idle sweep spares a connection with a request in flight, and the handler learns
// when the client goes away.
import { equal, ok } from "node:assert/strict";
import { encodeRequest } from "../../protocol/mod.ts";
import { DEFAULT_CONNECTION_LIMITS } from "../../daemon/connection.ts";
import { Logger } from "../../daemon/log.ts";
import type { RequestHandler } from "../../daemon/request_handler.ts";
import { DEFAULT_SERVER_LIMITS, UnixServer } from "../../daemon/server.ts";
import { DaemonStats } from "../../daemon/stats/daemon_stats.ts";
import { rawClient } from "../support/raw_client.ts";
import { tempDir } from "../support/temp_dir.ts";
import { waitFor } from "../support/wait_for.ts";

const IDLE_MS = 150;

async function serve(handle: RequestHandler) {
  const dir = await tempDir({ dir: "/tmp", prefix: "cn-wait-" });
  const path = `${dir.path}/s.sock`;
  const stop = new AbortController();
  const server = new UnixServer(path, {
    token: "tok",
    version: "test",
    handle,
    stats: new DaemonStats(),
    log: new Logger({ level: "error", sink: () => {} }),
    limits: DEFAULT_CONNECTION_LIMITS,
  }, { ...DEFAULT_SERVER_LIMITS, idleTimeoutMs: IDLE_MS });
  const served = server.serve(stop.signal, 500);
  const client = async () => {
    const raw = await rawClient(path);
    await raw.write(encodeRequest({ type: "hello", id: 1, version: 2, token: "tok" }));
    await raw.waitFor(1);
    return raw;
  };
  return {
    client,
    async [Symbol.asyncDispose]() {
      stop.abort("test over");
      await served;
      await dir[Symbol.asyncDispose]();
    },
  };
}

Deno.test("a connection waiting on an answer is not closed as idle; a quiet one without is", async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  await using server = await serve((request) =>
    request.type === "status"
      ? released.then(() => ({ type: "ok", id: request.id }))
      : { type: "ok", id: request.id }
  );
  const waiting = await server.client();
  const idle = await server.client();
  await waiting.write(encodeRequest({ type: "status", id: 2 }));
  ok(await idle.waitClosed(IDLE_MS * 20), "the idle connection was closed");
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 3));
  release();
  const responses = await waiting.waitFor(2);
  equal(responses[1]?.id, 2, "the late answer arrived on the connection that waited");
  ok(await waiting.waitClosed(IDLE_MS * 20), "once answered, it is idle like any other");
});

Deno.test("the handler's signal aborts when the client goes away while it waits", async () => {
  let signal: AbortSignal | undefined;
  await using server = await serve((request, connectionClosed) => {
    if (request.type !== "status") return { type: "ok", id: request.id };
    signal = connectionClosed;
    return new Promise((resolve) => {
      connectionClosed?.addEventListener("abort", () => resolve({ type: "ok", id: request.id }));
    });
  });
  const client = await server.client();
  await client.write(encodeRequest({ type: "status", id: 2 }));
  await waitFor(() => signal !== undefined, { what: "the request to arrive" });
  equal(signal!.aborted, false);
  await client.close();
  await waitFor(() => signal!.aborted, { what: "the signal to abort" });
});
