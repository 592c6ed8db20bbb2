// The daemon client: typed errors, timeouts, dropped connections, one transparent
// reconnect for idempotent requests, and none for submit.
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { connect, requestOnce, sendEventOnce, submitOnce } from "../../client/client.ts";
import {
  ConnectionClosedError,
  DaemonNotRunningError,
  RemoteError,
  TimeoutError,
} from "../../client/errors.ts";
import {
  decodeRequest,
  encodeResponse,
  ErrorCode,
  FrameDecoder,
  type NotificationTask,
  ProtocolError,
  type Request,
  type Response,
} from "../../protocol/mod.ts";
import { createTestHome } from "../support/cli_process.ts";

const task: NotificationTask = {
  target: { serverUrl: "http://127.0.0.1:9", topic: "client" },
  message: { body: "hello" },
  origin: { event: "test", createdAt: 0 },
};

/**
 * A scripted peer on a real Unix socket: answers hello, then lets the test decide what to
 * do with each request (answer, ignore, or drop the connection). Disposing it closes it.
 */
async function scriptedDaemon(
  onRequest: (request: Request, conn: Deno.Conn) => Response | "ignore" | "drop",
) {
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "cn-client-" });
  const path = `${dir}/d.sock`;
  const listener = Deno.listen({ transport: "unix", path });
  const conns = new Set<Deno.Conn>();
  const serving = (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      (async () => {
        const decoder = new FrameDecoder();
        const buffer = new Uint8Array(65536);
        try {
          while (true) {
            const n = await conn.read(buffer);
            if (n === null) break;
            for (const payload of decoder.push(buffer.slice(0, n))) {
              const request = decodeRequest(payload);
              const action = request.type === "hello"
                ? {
                  type: "hello" as const,
                  id: request.id,
                  version: 1,
                  daemonVersion: "fake",
                  pid: 1,
                }
                : onRequest(request, conn);
              if (action === "drop") {
                conn.close();
                return;
              }
              if (action !== "ignore") await conn.write(encodeResponse(action));
            }
          }
        } catch {
          // closed by the test
        } finally {
          conns.delete(conn);
        }
      })();
    }
  })();
  async function close() {
    listener.close();
    for (const conn of conns) {
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
    await serving.catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
  return { path, [Symbol.asyncDispose]: close };
}

Deno.test("connect() to a missing socket is DaemonNotRunningError with the path", async () => {
  await rejects(
    connect({ socketPath: "/tmp/claude-ntfy-no-such.sock", token: "x" }),
    (error: unknown) => {
      ok(error instanceof DaemonNotRunningError);
      equal(error.code, "DAEMON_NOT_RUNNING");
      ok(error.message.includes("/tmp/claude-ntfy-no-such.sock"));
      return true;
    },
  );
  await rejects(
    connect({ socketPath: "/tmp/x.sock", tokenPath: "/tmp/claude-ntfy-no-such.token" }),
    DaemonNotRunningError,
  );
});

Deno.test("a request with no answer rejects with TimeoutError after requestTimeoutMs", async () => {
  await using peer = await scriptedDaemon(() => "ignore");
  const client = await connect({ socketPath: peer.path, token: "t", requestTimeoutMs: 150 });
  const started = performance.now();
  await rejects(client.status(), TimeoutError);
  ok(performance.now() - started < 2_000);
  await client.close();
});

Deno.test("pending requests reject with ConnectionClosedError when the connection drops; submit is not retried", async () => {
  let submits = 0;
  await using peer = await scriptedDaemon((request) => {
    if (request.type === "submit") submits++;
    return "drop";
  });
  const client = await connect({ socketPath: peer.path, token: "t" });
  await rejects(client.submit(task), ConnectionClosedError);
  equal(submits, 1, "a submit is never sent twice");
  await client.close();
});

Deno.test("an idempotent request reconnects once, transparently", async () => {
  let pings = 0;
  await using peer = await scriptedDaemon((request) => {
    if (request.type !== "ping") return { type: "error", id: request.id, code: "X", message: "x" };
    pings++;
    return pings === 1 ? "drop" : { type: "ok", id: request.id };
  });
  const client = await connect({ socketPath: peer.path, token: "t" });
  // ping() resolving is the assertion: the second attempt, on a new connection, answered.
  await client.ping();
  equal(pings, 2);
  await client.close();
});

Deno.test("an error answer is a RemoteError with the daemon's code and retryable flag", async () => {
  await using peer = await scriptedDaemon((request) => ({
    type: "error",
    id: request.id,
    code: "QUEUE_FULL",
    message: "Queue is full",
    retryable: true,
  }));
  await rejects(submitOnce({ socketPath: peer.path, token: "t" }, task), (error: unknown) => {
    ok(error instanceof RemoteError);
    equal(error.code, "QUEUE_FULL");
    equal(error.retryable, true);
    return true;
  });
});

Deno.test("after a real daemon restarts, status reconnects with the new token", async () => {
  await using home = await createTestHome();
  const first = await home.startDaemon();
  const client = await connect({
    socketPath: home.paths.socketPath,
    tokenPath: home.paths.tokenPath,
  });
  equal(client.daemon.pid, first);
  await home.run(["daemon", "stop"]);
  const second = await home.startDaemon();
  const status = await client.status();
  equal(status.pid, second);
  equal(client.daemon.pid, second);
  await client.close();
});

Deno.test("requestOnce() rejects a request too large for a frame with FRAME_TOO_LARGE and sends nothing of it", async () => {
  const seen: string[] = [];
  const peer = await scriptedDaemon((request) => {
    seen.push(request.type);
    return { type: "ok", id: request.id };
  });
  try {
    const payload = new Uint8Array(1024 * 1024).fill(0x61);
    await rejects(
      requestOnce({ socketPath: peer.path, token: "t" }, {
        type: "event",
        payload,
        context: { cwd: "/src/app", env: {}, receivedAt: 0 },
      }),
      (error: unknown) => {
        ok(error instanceof ProtocolError, `expected a ProtocolError, got ${error}`);
        equal(error.code, ErrorCode.FrameTooLarge);
        return true;
      },
    );
    deepStrictEqual(seen, [], "the peer got no part of the request");
  } finally {
    await peer[Symbol.asyncDispose]();
  }
});

const EVENT = {
  payload: new TextEncoder().encode('{"hook_event_name":"Stop","session_id":"s1"}'),
  context: { cwd: "/src/app", env: { NTFY_TOPIC: "alerts" }, receivedAt: 1_700_000_000_000 },
};

Deno.test("sendEventOnce() hands the event over as the daemon decodes it and returns its acknowledgment", async () => {
  const seen: Request[] = [];
  await using peer = await scriptedDaemon((request) => {
    seen.push(request);
    return { type: "ok", id: request.id, skipped: "Stop is off" };
  });
  const ack = await sendEventOnce({ socketPath: peer.path, token: "t" }, EVENT);
  deepStrictEqual(ack, { type: "ok", id: 2, skipped: "Stop is off" });
  deepStrictEqual(seen, [{ type: "event", id: 2, ...EVENT }]);
});

Deno.test("sendEventOnce() turns the daemon's refusal into a RemoteError with its code", async () => {
  await using peer = await scriptedDaemon((request) => ({
    type: "error",
    id: request.id,
    code: "QUEUE_FULL",
    message: "The queue is full",
    retryable: true,
  }));
  await rejects(sendEventOnce({ socketPath: peer.path, token: "t" }, EVENT), (error) => {
    ok(error instanceof RemoteError);
    equal(error.code, "QUEUE_FULL");
    equal(error.retryable, true);
    return true;
  });
});

Deno.test("sendEventOnce() rejects with TimeoutError when the daemon never answers, and ConnectionClosedError when it hangs up", async () => {
  await using silent = await scriptedDaemon(() => "ignore");
  await rejects(
    sendEventOnce({ socketPath: silent.path, token: "t", requestTimeoutMs: 50 }, EVENT),
    TimeoutError,
  );
  await using rude = await scriptedDaemon(() => "drop");
  await rejects(sendEventOnce({ socketPath: rude.path, token: "t" }, EVENT), ConnectionClosedError);
});

Deno.test("sendEventOnce() refuses an answer that is no acknowledgment with INVALID_MESSAGE", async () => {
  await using peer = await scriptedDaemon((request) => ({
    type: "ok",
    id: request.id,
    taskId: "t",
    decision: { behavior: "allow" },
  }));
  await rejects(sendEventOnce({ socketPath: peer.path, token: "t" }, EVENT), (error) => {
    ok(error instanceof ProtocolError);
    equal(error.code, ErrorCode.InvalidMessage);
    return true;
  });
});

Deno.test("sendEventOnce() sends nothing of an event too large for a frame (FRAME_TOO_LARGE)", async () => {
  const seen: string[] = [];
  await using peer = await scriptedDaemon((request) => {
    seen.push(request.type);
    return { type: "ok", id: request.id };
  });
  await rejects(
    sendEventOnce({ socketPath: peer.path, token: "t" }, {
      ...EVENT,
      payload: new Uint8Array(1024 * 1024).fill(0x61),
    }),
    (error) => error instanceof ProtocolError && error.code === ErrorCode.FrameTooLarge,
  );
  deepStrictEqual(seen, []);
});

Deno.test("sendEventOnce() says the daemon is not running when nothing listens", async () => {
  await rejects(
    sendEventOnce({ socketPath: "/nonexistent/daemon.sock", token: "t" }, EVENT),
    DaemonNotRunningError,
  );
});

Deno.test("sendEventOnce() reports the daemon's refusal of hello even when it hung up before reading a large event", async () => {
  // An old daemon refuses the hello and closes at once: the event's write fails, and the
  // refusal waiting on the socket is the reason to report, not the broken pipe.
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "cn-refuse-" });
  const path = `${dir}/d.sock`;
  const listener = Deno.listen({ transport: "unix", path });
  const refusing = (async () => {
    const conn = await listener.accept();
    await conn.write(encodeResponse({
      type: "error",
      id: 1,
      code: ErrorCode.UnsupportedVersion,
      message: "This daemon speaks protocol 1",
    }));
    conn.close();
  })();
  try {
    await rejects(
      sendEventOnce({ socketPath: path, token: "t" }, {
        ...EVENT,
        payload: new Uint8Array(1_000_000).fill(0x61),
      }),
      (error) => {
        ok(error instanceof RemoteError, `expected a RemoteError, got ${error}`);
        equal(error.code, ErrorCode.UnsupportedVersion);
        return true;
      },
    );
  } finally {
    await refusing;
    listener.close();
    await Deno.remove(dir, { recursive: true });
  }
});
