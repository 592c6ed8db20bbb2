/**
 * One request on a fresh connection, sent with `hello` in a single write. (The hook sends
 * its events with the leaner `sendEventOnce`, `send_event.ts`.)
 *
 * @module
 */

import { decodeResponse, encodeRequest } from "../protocol/codec.ts";
import type { Request, Response } from "../protocol/messages.ts";
import type { NotificationTask } from "../protocol/task.ts";
import { concatBytes } from "../protocol/concat_bytes.ts";
import { type ConnectOptions, helloFor, type RequestBody } from "./connect_options.ts";
import { readToken } from "./_socket.ts";
import { exchangeOnce, HELLO_ID, REQUEST_ID } from "./_exchange_once.ts";

/**
 * Sends one request on a fresh connection with a single write: `hello` and the request are
 * pipelined, saving a round trip over `connect()` then a method call.
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
  // Both frames are encoded before anything is sent: one too large sends nothing at all.
  const bytes = concatBytes([
    encodeRequest({ ...helloFor(options, token), id: HELLO_ID }),
    encodeRequest({ ...body, id: REQUEST_ID } as Request),
  ]);
  return await exchangeOnce(options, bytes, body.type, decodeResponse);
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
