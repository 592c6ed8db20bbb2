/**
 * One request on a fresh connection, sent with `hello` in a single write: what the hook
 * does on every Claude Code event.
 *
 * @module
 */

// Straight from the modules, not protocol/mod.ts: the hook bundles this file, and must not
// load the protocol's web-stream class (see protocol/frame_decoder_stream.ts).
import { decodeResponse, encodeRequest } from "../protocol/codec.ts";
import { FrameDecoder } from "../protocol/frame_decoder.ts";
import type { Request, Response } from "../protocol/messages.ts";
import type { NotificationTask } from "../protocol/task.ts";
import { errorMessage } from "../protocol/error_message.ts";
import { concatBytes } from "../protocol/concat_bytes.ts";
import {
  type ConnectOptions,
  helloFor,
  type RequestBody,
  withDefaults,
} from "./connect_options.ts";
import { ConnectionClosedError, RemoteError, TimeoutError } from "./errors.ts";
import { schedule } from "./schedule.ts";
import { writeAll } from "./write_all.ts";
import { openSocket, readToken } from "./_socket.ts";

/** The ids of the two requests: `hello`, then the one asked for. */
const HELLO_ID = 1;
const REQUEST_ID = 2;

/**
 * Sends one request on a fresh connection with a single write: `hello` and the request are
 * pipelined, saving a round trip over `connect()` then a method call. This is what the
 * hook does on every Claude Code event.
 *
 * @param options Where the daemon is, its token and the time limits.
 * @param body The request, without an id.
 * @returns The daemon's answer (never an `error`: that is thrown).
 * @throws {DaemonNotRunningError} when nothing listens on the socket.
 * @throws {RemoteError} with the daemon's code (`UNAUTHORIZED`, `QUEUE_FULL`, ...).
 * @throws {TimeoutError} when the daemon does not answer in time.
 *
 * @example Forward a hook event, as the hook does
 * ```ts
 * import assert from "node:assert/strict";
 * import { requestOnce } from "@claude-ntfy/claude-ntfy";
 * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
 *
 * await using daemon = await startFakeDaemon();
 * const answer = await requestOnce(daemon.connectOptions, {
 *   type: "event",
 *   payload: new TextEncoder().encode('{"hook_event_name":"Stop"}'),
 *   context: { cwd: "/src/webapp", env: {}, receivedAt: Date.now() },
 * });
 * assert.deepEqual(answer, { type: "ok", id: 2, taskId: "fake-1" });
 * ```
 *
 * @example Nothing listens: a typed error
 * ```ts
 * import assert from "node:assert/strict";
 * import { DaemonNotRunningError, requestOnce } from "@claude-ntfy/claude-ntfy";
 *
 * await assert.rejects(
 *   requestOnce({ socketPath: "/nonexistent/daemon.sock", token: "t" }, { type: "ping" }),
 *   DaemonNotRunningError,
 * );
 * ```
 */
export async function requestOnce(options: ConnectOptions, body: RequestBody): Promise<Response> {
  const token = readToken(options);
  const { socketPath, connectTimeoutMs, requestTimeoutMs } = withDefaults(options);
  // Both frames are encoded before anything is sent: one too large sends nothing at all.
  const bytes = concatBytes([
    encodeRequest({ ...helloFor(options, token), id: HELLO_ID }),
    encodeRequest({ ...body, id: REQUEST_ID } as Request),
  ]);
  const conn = await openSocket(socketPath, connectTimeoutMs);
  let cancelTimer = () => {};
  const timeout = new Promise<never>((_, reject) => {
    if (requestTimeoutMs <= 0) return;
    cancelTimer = schedule(requestTimeoutMs, () =>
      reject(
        new TimeoutError(
          `No answer to ${body.type} request ${REQUEST_ID} within ${requestTimeoutMs} ms`,
        ),
      ));
  });
  const exchange = exchangeOnce(conn, bytes);
  // Once the time is up the connection is closed under a pending read: nobody waits for it.
  exchange.catch(() => {});
  try {
    return await Promise.race([exchange, timeout]);
  } finally {
    cancelTimer();
    try {
      conn.close();
    } catch {
      // Closed by the daemon already.
    }
  }
}

/**
 * Writes the frames and reads answers until both `hello`'s and the request's have come.
 * This is the whole client on the hook's path: no session, no per-request timers, which
 * saves the hook about a millisecond of start-up work on every event.
 */
async function exchangeOnce(conn: Deno.UnixConn, bytes: Uint8Array): Promise<Response> {
  try {
    await writeAll(conn, bytes);
  } catch (error) {
    throw new ConnectionClosedError(`Write to the daemon failed: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  const decoder = new FrameDecoder();
  const buffer = new Uint8Array(64 * 1024);
  let greeted = false;
  let answer: Response | undefined;
  while (!(greeted && answer)) {
    let read: number | null;
    try {
      read = await conn.read(buffer);
    } catch (error) {
      throw new ConnectionClosedError(
        `Connection to the daemon failed: ${errorMessage(error)}`,
        { cause: error },
      );
    }
    if (read === null) throw new ConnectionClosedError("The daemon closed the connection");
    for (const payload of decoder.push(buffer.subarray(0, read))) {
      const response = decodeResponse(payload);
      // Hello's refusal comes first (the daemon then closes): it is the reason to report.
      if (response.type === "error") {
        throw new RemoteError(response.code, response.message, response.retryable);
      }
      if (response.id === HELLO_ID) greeted = true;
      else if (response.id === REQUEST_ID) answer = response;
    }
  }
  return answer;
}

/**
 * Submits one task on a fresh connection (see {@linkcode requestOnce}); resolves with the
 * daemon's task id.
 *
 * @param options Where the daemon is, its token and the time limits.
 * @param task The notification to queue.
 * @returns The daemon's task id.
 * @throws {DaemonNotRunningError} when nothing listens on the socket.
 * @throws {RemoteError} with the daemon's code (`UNAUTHORIZED`, `QUEUE_FULL`, ...).
 * @throws {TimeoutError} when the daemon does not answer in time.
 *
 * @example Queue one notification
 * ```ts
 * import assert from "node:assert/strict";
 * import { submitOnce } from "@claude-ntfy/claude-ntfy";
 * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
 *
 * await using daemon = await startFakeDaemon();
 * const id = await submitOnce(daemon.connectOptions, {
 *   target: { serverUrl: "https://ntfy.sh", topic: "claude-alerts-x7q2" },
 *   message: { title: "webapp: allow Bash?", body: "$ rm -rf dist", priority: 4 },
 *   origin: { event: "PermissionRequest", createdAt: Date.now() },
 * });
 * assert.equal(id, "fake-1");
 * ```
 */
export async function submitOnce(options: ConnectOptions, task: NotificationTask): Promise<string> {
  const response = await requestOnce(options, { type: "submit", task });
  return response.type === "ok" ? response.taskId ?? "" : "";
}
