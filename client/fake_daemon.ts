/**
 * A stand-in daemon for testing programs that use the client: it listens on a real Unix
 * socket in a temporary folder, speaks the protocol (handshake with a token, every
 * request type), keeps what it is sent, and delivers nothing.
 *
 * @example Test code that talks to the daemon
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect } from "@claude-ntfy/claude-ntfy";
 * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
 *
 * await using daemon = await startFakeDaemon();
 * const client = await connect(daemon.connectOptions);
 * await client.ping();
 * await client.close();
 * assert.deepEqual(daemon.requests.map((request) => request.type), ["ping"]);
 * ```
 *
 * @module
 */

import {
  CONNECTION_ERROR_ID,
  type DaemonStatus,
  type DeadTask,
  decodeRequest,
  encodeResponse,
  ErrorCode,
  FrameDecoder,
  type HeldTask,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  ProtocolError,
  type Request,
  type Response,
} from "../protocol/mod.ts";
import { errorMessage } from "../protocol/error_message.ts";
import type { ConnectOptions } from "./connect_options.ts";
import { writeAll } from "./write_all.ts";

/** Options for {@linkcode startFakeDaemon}. */
export interface FakeDaemonOptions {
  /** The token clients must present in `hello`. @default {a random one} */
  readonly token?: string;
  /** The daemon's software version, in `hello` and `status`. @default {"fake"} */
  readonly version?: string;
  /** Dead letters it holds from the start, for `queue`, `retry` and `purge`. */
  readonly dead?: readonly DeadTask[];
}

/** A running {@linkcode startFakeDaemon}. Disposing it closes it. */
export interface FakeDaemon extends AsyncDisposable {
  /** The socket it listens on, in a temporary folder of its own. */
  readonly socketPath: string;
  /** The token it expects. */
  readonly token: string;
  /** What `connect` and `requestOnce` need to reach it. */
  readonly connectOptions: ConnectOptions;
  /** Every request after the handshakes, in the order they arrived. */
  readonly requests: readonly Request[];
  /** The tasks it holds: submitted, or retried from the dead letters. */
  readonly tasks: readonly HeldTask[];
  /** Its dead letters. */
  readonly dead: readonly DeadTask[];
  /** Settles once it has stopped: after a `shutdown` request, or {@linkcode close}. */
  readonly finished: Promise<void>;
  /** Stops listening, drops every connection and removes its folder. */
  close(): Promise<void>;
}

function emptyLatency() {
  return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
}

/**
 * Starts a fake daemon on a new socket in a temporary folder.
 *
 * It checks `hello` as the daemon does (`UNSUPPORTED_VERSION`, `UNAUTHORIZED`,
 * `HANDSHAKE_REQUIRED`), answers `submit` and `event` with a task id `fake-1`,
 * `fake-2`…, keeps submitted tasks as queued, answers `status` from what it holds, moves
 * dead letters back on `retry`, deletes them on `purge`, and stops on `shutdown`.
 *
 * @param options Its token, version and dead letters.
 * @returns The running fake; close it, or dispose of it with `await using`.
 * @throws {Deno.errors.PermissionDenied} without read and write access to the temp folder.
 *
 * @example A submitted task, as the daemon holds it
 * ```ts
 * import assert from "node:assert/strict";
 * import { submitOnce } from "@claude-ntfy/claude-ntfy";
 * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
 *
 * await using daemon = await startFakeDaemon();
 * const id = await submitOnce(daemon.connectOptions, {
 *   target: { serverUrl: "https://ntfy.sh", topic: "claude-alerts-x7q2" },
 *   message: { title: "webapp: Claude finished", body: "Done." },
 *   origin: { event: "Stop", createdAt: Date.now() },
 * });
 * assert.equal(id, "fake-1");
 * assert.equal(daemon.tasks[0]?.task.message.body, "Done.");
 * ```
 */
export async function startFakeDaemon(options: FakeDaemonOptions = {}): Promise<FakeDaemon> {
  const token = options.token ?? crypto.randomUUID();
  const version = options.version ?? "fake";
  const dir = await Deno.makeTempDir({ prefix: "claude-ntfy-fake-" });
  const socketPath = `${dir}/daemon.sock`;
  const listener = Deno.listen({ transport: "unix", path: socketPath });
  const started = performance.now();
  const requests: Request[] = [];
  const tasks: HeldTask[] = [];
  const dead: DeadTask[] = [...(options.dead ?? [])];
  const counts: Record<string, number> = {};
  const conns = new Set<Deno.UnixConn>();
  let nextTask = 1;
  let connectionsTotal = 0;

  const status = (): DaemonStatus => ({
    isRunning: true,
    pid: Deno.pid,
    version,
    uptimeSecs: (performance.now() - started) / 1000,
    socketPath,
    queueSize: tasks.length,
    inFlight: 0,
    retrying: 0,
    delivered: 0,
    failed: 0,
    retries: 0,
    dead: dead.length,
    connectionsTotal,
    connectionsActive: conns.size,
    connectionsRefused: 0,
    requests: { ...counts },
    protocolErrors: 0,
    bytesIn: 0,
    bytesOut: 0,
    requestLatencyMicros: emptyLatency(),
    deliveryLatencyMicros: emptyLatency(),
  });

  const answer = (request: Request): Response => {
    const id = request.id;
    switch (request.type) {
      case "hello":
        return { type: "error", id, code: ErrorCode.Internal, message: "Hello sent twice" };
      case "submit":
        tasks.push({ id: `fake-${nextTask}`, state: "queued", attempts: 0, task: request.task });
        return { type: "ok", id, taskId: `fake-${nextTask++}` };
      case "event":
        return { type: "ok", id, taskId: `fake-${nextTask++}` };
      case "status":
        return { type: "status", id, status: status() };
      case "queue":
        return { type: "queue", id, tasks: [...tasks], dead: [...dead] };
      case "retry": {
        const chosen = dead.filter((letter) =>
          request.all === true || (request.taskIds ?? []).includes(letter.id)
        );
        for (const letter of chosen) {
          dead.splice(dead.indexOf(letter), 1);
          tasks.push({ id: letter.id, state: "queued", attempts: 0, task: letter.task });
        }
        return { type: "ok", id, count: chosen.length };
      }
      case "purge":
        return { type: "ok", id, count: dead.splice(0).length };
      case "ping":
      case "reload":
      case "shutdown":
        return { type: "ok", id };
    }
  };

  let stopping: Promise<void> | undefined;
  const close = () =>
    stopping ??= (async () => {
      listener.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch {
          // Closed by a refused handshake.
        }
      }
      await serving;
      await Deno.remove(dir, { recursive: true });
    })();

  const serve = async (conn: Deno.UnixConn): Promise<void> => {
    const decoder = new FrameDecoder();
    const buffer = new Uint8Array(64 * 1024);
    let greeted = false;
    const send = (response: Response) => writeAll(conn, encodeResponse(response));
    const refuse = async (id: number, code: ErrorCode, message: string) => {
      await send({ type: "error", id, code, message });
      conn.close();
    };
    while (true) {
      const read = await conn.read(buffer);
      if (read === null) return;
      for (const payload of decoder.push(buffer.subarray(0, read))) {
        let request: Request;
        try {
          request = decodeRequest(payload);
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
          await send({
            type: "error",
            id: error.requestId ?? CONNECTION_ERROR_ID,
            code: error.code,
            message: error.message,
          });
          continue;
        }
        if (!greeted) {
          if (request.type !== "hello") {
            return await refuse(request.id, ErrorCode.HandshakeRequired, "Say hello first");
          }
          if (request.version < MIN_PROTOCOL_VERSION || request.version > PROTOCOL_VERSION) {
            return await refuse(
              request.id,
              ErrorCode.UnsupportedVersion,
              `Protocol version ${request.version} is not supported`,
            );
          }
          if (request.token !== token) {
            return await refuse(request.id, ErrorCode.Unauthorized, "Wrong token");
          }
          greeted = true;
          await send({
            type: "hello",
            id: request.id,
            version: PROTOCOL_VERSION,
            daemonVersion: version,
            pid: Deno.pid,
          });
          continue;
        }
        requests.push(request);
        counts[request.type] = (counts[request.type] ?? 0) + 1;
        await send(answer(request));
        if (request.type === "shutdown") {
          void close();
          return;
        }
      }
    }
  };

  const serving = (async () => {
    const connections: Promise<void>[] = [];
    try {
      for await (const conn of listener) {
        conns.add(conn);
        connectionsTotal += 1;
        connections.push(
          serve(conn).catch((error) => {
            // A client that went away mid-request: the fake drops it as the daemon would.
            if (!(error instanceof Deno.errors.BadResource) && !stopping) {
              console.error(`fake daemon: ${errorMessage(error)}`);
            }
          }).finally(() => {
            conns.delete(conn);
            try {
              conn.close();
            } catch {
              // Already closed.
            }
          }),
        );
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
    await Promise.all(connections);
  })();

  const finished = serving.then(() => stopping);
  return {
    socketPath,
    token,
    connectOptions: { socketPath, token },
    requests,
    tasks,
    dead,
    finished: finished.then(() => {}),
    close,
    [Symbol.asyncDispose]: close,
  };
}
