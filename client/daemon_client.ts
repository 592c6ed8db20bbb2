/**
 * A client for a running daemon: one connection, requests issued concurrently and
 * pipelined on it, one transparent reconnect for requests that are safe to repeat.
 *
 * @module
 */

import {
  type DaemonStatus,
  type DeadTask,
  ErrorCode,
  type HeldTask,
  type HookContext,
  type NotificationTask,
  type PermissionDecision,
  ProtocolError,
  type Response,
} from "../protocol/mod.ts";
import {
  type ConnectOptions,
  helloFor,
  type RequestBody,
  withDefaults,
} from "./connect_options.ts";
import { ConnectionClosedError, TimeoutError } from "./errors.ts";
import { withDeadline } from "./schedule.ts";
import { Session } from "./_session.ts";
import { openSocket, readToken } from "./_socket.ts";

/** Requests the client may send again on a new connection when the old one dropped. */
const IDEMPOTENT: ReadonlySet<string> = new Set(["ping", "status", "reload", "queue"]);

/**
 * A connection to the daemon. Requests may be issued concurrently; they are pipelined on
 * the one socket and their answers matched by id. `ping`, `status`, `reload` and `queue`
 * are sent again once on a new connection if the old one dropped; `submit`, `event`,
 * `retry`, `purge` and `shutdown` are not (the daemon may have acted on them).
 *
 * Open one with {@linkcode connect}; close it when done.
 *
 * @example Several requests on one connection
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect } from "@claude-ntfy/claude-ntfy";
 * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
 *
 * await using daemon = await startFakeDaemon();
 * const client = await connect(daemon.connectOptions);
 * const [roundTrip, status] = await Promise.all([client.ping(), client.status()]);
 * assert.ok(roundTrip >= 0);
 * assert.equal(status.pid, client.daemon.pid);
 * await client.close();
 * ```
 */
export class DaemonClient {
  readonly #options: ConnectOptions;
  #session: Session;
  #daemonInfo: { version: string; pid: number };

  private constructor(
    options: ConnectOptions,
    session: Session,
    info: { version: string; pid: number },
  ) {
    this.#options = options;
    this.#session = session;
    this.#daemonInfo = info;
  }

  /**
   * Connects and performs the handshake: `hello` with the protocol version and the token.
   * The same as {@linkcode connect}.
   *
   * @param options Where the daemon is, its token and the time limits.
   * @returns An open client.
   * @throws {DaemonNotRunningError} when nothing listens on the socket or the token file
   * is missing.
   * @throws {RemoteError} `UNAUTHORIZED` for a wrong token, `UNSUPPORTED_VERSION` for a
   * protocol the daemon does not speak.
   * @throws {TimeoutError} when the daemon does not answer within `connectTimeoutMs`.
   *
   * @example Open, then close
   * ```ts
   * import assert from "node:assert/strict";
   * import { DaemonClient } from "@claude-ntfy/claude-ntfy";
   * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
   *
   * await using daemon = await startFakeDaemon();
   * const client = await DaemonClient.open(daemon.connectOptions);
   * assert.equal(client.daemon.version, "fake");
   * await client.close();
   * ```
   */
  static async open(options: ConnectOptions): Promise<DaemonClient> {
    const [session, info] = await DaemonClient.#handshake(options);
    return new DaemonClient(options, session, info);
  }

  static async #handshake(
    options: ConnectOptions,
  ): Promise<[Session, { version: string; pid: number }]> {
    const token = readToken(options);
    const { socketPath, connectTimeoutMs: timeoutMs, requestTimeoutMs } = withDefaults(options);
    const conn = await openSocket(socketPath, timeoutMs);
    const session = new Session(conn, requestTimeoutMs);
    try {
      const response = await withDeadline(
        session.request(helloFor(options, token)),
        timeoutMs,
        () => new TimeoutError(`The daemon did not answer hello within ${timeoutMs} ms`),
      );
      if (response.type !== "hello") {
        throw new ProtocolError(
          ErrorCode.InvalidMessage,
          `Expected a hello answer, got ${response.type}`,
        );
      }
      return [session, { version: response.daemonVersion, pid: response.pid }];
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  /**
   * The daemon's software version and process id, from the handshake (the latest one,
   * after a reconnect).
   *
   * @example Which daemon answered
   * ```ts
   * import assert from "node:assert/strict";
   * import { connect } from "@claude-ntfy/claude-ntfy";
   * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
   *
   * await using daemon = await startFakeDaemon();
   * const client = await connect(daemon.connectOptions);
   * assert.equal(client.daemon.pid, Deno.pid); // the fake runs in this process
   * await client.close();
   * ```
   */
  get daemon(): { readonly version: string; readonly pid: number } {
    return this.#daemonInfo;
  }

  async #request(body: RequestBody): Promise<Response> {
    try {
      return await this.#session.request(body);
    } catch (error) {
      if (!(error instanceof ConnectionClosedError) || !IDEMPOTENT.has(body.type)) throw error;
      // One transparent reconnect for requests that are safe to repeat.
      const [session, info] = await DaemonClient.#handshake(this.#options);
      this.#session = session;
      this.#daemonInfo = info;
      return await this.#session.request(body);
    }
  }

  /**
   * Checks the daemon answers.
   *
   * @returns The round trip in milliseconds.
   * @throws {ClientError} when the daemon cannot be reached, even after one reconnect.
   *
   * @example A round trip
   * ```ts
   * import assert from "node:assert/strict";
   * import { connect } from "@claude-ntfy/claude-ntfy";
   * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
   *
   * await using daemon = await startFakeDaemon();
   * const client = await connect(daemon.connectOptions);
   * const ms = await client.ping();
   * assert.ok(ms >= 0 && ms < 10_000);
   * await client.close();
   * ```
   */
  async ping(): Promise<number> {
    const started = performance.now();
    await this.#request({ type: "ping" });
    return performance.now() - started;
  }

  /**
   * Hands a resolved notification to the daemon, which journals it durably, then
   * delivers it. Not sent again on a dropped connection (the daemon may already hold it).
   *
   * @param task The notification: where to, what, from which event.
   * @returns The daemon's task id, once the task is durably queued.
   * @throws {RemoteError} `INVALID_TASK`, `HOST_NOT_PERMITTED`, `QUEUE_FULL` (retryable)…
   * @throws {ConnectionClosedError} when the connection drops before the answer.
   *
   * @example Queue a notification
   * ```ts
   * import assert from "node:assert/strict";
   * import { connect } from "@claude-ntfy/claude-ntfy";
   * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
   *
   * await using daemon = await startFakeDaemon();
   * const client = await connect(daemon.connectOptions);
   * const task = {
   *   target: { serverUrl: "https://ntfy.sh", topic: "claude-alerts-x7q2" },
   *   message: { title: "webapp: Claude finished", body: "Done." },
   *   origin: { event: "Stop", createdAt: Date.now() },
   * };
   * const id = await client.submit(task);
   * assert.equal(id, "fake-1");
   * await client.close();
   * ```
   */
  async submit(task: NotificationTask): Promise<string> {
    const response = await this.#request({ type: "submit", task });
    return response.type === "ok" ? response.taskId ?? "" : "";
  }

  /**
   * Hands a raw hook event to the daemon, which resolves it with its configuration.
   * Not retried on a dropped connection (the daemon may already hold it).
   *
   * @param payload The hook's stdin, unparsed.
   * @param context What the hook process knows (see `HookContext`).
   * @returns The queued task's id, or why no notification is sent.
   * @throws {RemoteError} `CONFIG_INVALID` when the configuration the event needs is
   * broken, `QUEUE_FULL` (retryable)…
   *
   * @example Forward a hook event
   * ```ts
   * import assert from "node:assert/strict";
   * import { connect } from "@claude-ntfy/claude-ntfy";
   * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
   *
   * await using daemon = await startFakeDaemon();
   * const client = await connect(daemon.connectOptions);
   * const payload = new TextEncoder().encode('{"hook_event_name":"Stop","session_id":"s1"}');
   * const answer = await client.event(payload, { cwd: "/src/webapp", env: {}, receivedAt: Date.now() });
   * assert.equal(answer.taskId, "fake-1");
   * await client.close();
   * ```
   */
  async event(
    payload: Uint8Array,
    context: HookContext,
  ): Promise<{
    readonly taskId?: string;
    readonly skipped?: string;
    readonly decision?: PermissionDecision;
  }> {
    const response = await this.#request({ type: "event", payload, context });
    if (response.type !== "ok") return {};
    return {
      taskId: response.taskId,
      skipped: response.skipped,
      ...(response.decision === undefined ? {} : { decision: response.decision }),
    };
  }

  /**
   * The daemon's state and statistics: queue, deliveries, connections, latency.
   *
   * @returns The status, as `claude-ntfy daemon status --json` prints it.
   * @throws {ClientError} when the daemon cannot be reached, even after one reconnect.
   *
   * @example How much is queued
   * ```ts
   * import assert from "node:assert/strict";
   * import { connect } from "@claude-ntfy/claude-ntfy";
   * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
   *
   * await using daemon = await startFakeDaemon();
   * const client = await connect(daemon.connectOptions);
   * const status = await client.status();
   * assert.equal(status.queueSize, 0);
   * assert.equal(status.isRunning, true);
   * await client.close();
   * ```
   */
  async status(): Promise<DaemonStatus> {
    const response = await this.#request({ type: "status" });
    if (response.type !== "status") {
      throw new ProtocolError(
        ErrorCode.InvalidMessage,
        `Expected a status answer, got ${response.type}`,
      );
    }
    return response.status;
  }

  /**
   * The tasks the daemon holds (queued, in flight, waiting to retry) and its dead
   * letters. Credentials are masked and long bodies cut.
   *
   * @returns The held tasks and the dead letters, oldest first.
   * @throws {ClientError} when the daemon cannot be reached, even after one reconnect.
   *
   * @example What is waiting
   * ```ts
   * import assert from "node:assert/strict";
   * import { connect } from "@claude-ntfy/claude-ntfy";
   * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
   *
   * await using daemon = await startFakeDaemon();
   * const client = await connect(daemon.connectOptions);
   * const { tasks, dead } = await client.queue();
   * assert.deepEqual([tasks.length, dead.length], [0, 0]);
   * await client.close();
   * ```
   */
  async queue(): Promise<{ tasks: readonly HeldTask[]; dead: readonly DeadTask[] }> {
    const response = await this.#request({ type: "queue" });
    if (response.type !== "queue") {
      throw new ProtocolError(
        ErrorCode.InvalidMessage,
        `Expected a queue answer, got ${response.type}`,
      );
    }
    return { tasks: response.tasks, dead: response.dead };
  }

  /**
   * Queues dead letters again, with their attempts reset.
   *
   * @param which The dead letters' task ids, or `"all"`.
   * @returns How many were queued again (ids that are not dead letters are skipped).
   * @throws {ClientError} when the daemon cannot be reached.
   *
   * @example Retry every dead letter
   * ```ts
   * import assert from "node:assert/strict";
   * import { connect } from "@claude-ntfy/claude-ntfy";
   * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
   *
   * await using daemon = await startFakeDaemon();
   * const client = await connect(daemon.connectOptions);
   * assert.equal(await client.retry("all"), 0);
   * await client.close();
   * ```
   */
  async retry(which: readonly string[] | "all"): Promise<number> {
    const response = await this.#request(
      which === "all" ? { type: "retry", all: true } : { type: "retry", taskIds: which },
    );
    return response.type === "ok" ? response.count ?? 0 : 0;
  }

  /**
   * Deletes every dead letter.
   *
   * @returns How many there were.
   * @throws {ClientError} when the daemon cannot be reached.
   *
   * @example Empty the dead letters
   * ```ts
   * import assert from "node:assert/strict";
   * import { connect } from "@claude-ntfy/claude-ntfy";
   * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
   *
   * await using daemon = await startFakeDaemon();
   * const client = await connect(daemon.connectOptions);
   * assert.equal(await client.purge(), 0);
   * await client.close();
   * ```
   */
  async purge(): Promise<number> {
    const response = await this.#request({ type: "purge" });
    return response.type === "ok" ? response.count ?? 0 : 0;
  }

  /**
   * Asks the daemon to re-read its settings (log level, queue size, retries), as SIGHUP
   * does. Event configuration is read per event and needs no reload.
   *
   * @throws {ClientError} when the daemon cannot be reached, even after one reconnect.
   *
   * @example Reload
   * ```ts
   * import assert from "node:assert/strict";
   * import { connect } from "@claude-ntfy/claude-ntfy";
   * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
   *
   * await using daemon = await startFakeDaemon();
   * const client = await connect(daemon.connectOptions);
   * await client.reload();
   * assert.equal(daemon.requests.at(-1)?.type, "reload");
   * await client.close();
   * ```
   */
  async reload(): Promise<void> {
    await this.#request({ type: "reload" });
  }

  /**
   * Asks the daemon to shut down gracefully: it stops accepting work, finishes what is in
   * flight and exits. Resolves once it has acknowledged, before it is gone.
   *
   * @throws {ClientError} when the daemon cannot be reached.
   *
   * @example Stop the daemon
   * ```ts
   * import { connect } from "@claude-ntfy/claude-ntfy";
   * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
   *
   * await using daemon = await startFakeDaemon();
   * const client = await connect(daemon.connectOptions);
   * await client.shutdown();
   * await daemon.finished;
   * await client.close();
   * ```
   */
  async shutdown(): Promise<void> {
    await this.#request({ type: "shutdown" });
  }

  /**
   * Closes the connection. Requests still waiting for an answer reject with
   * {@linkcode ConnectionClosedError}.
   *
   * @example Always close
   * ```ts
   * import { connect } from "@claude-ntfy/claude-ntfy";
   * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
   *
   * await using daemon = await startFakeDaemon();
   * const client = await connect(daemon.connectOptions);
   * try {
   *   await client.ping();
   * } finally {
   *   await client.close();
   * }
   * ```
   */
  async close(): Promise<void> {
    await this.#session.close();
  }
}

/**
 * Connects to a running daemon and performs the handshake.
 *
 * @param options Where the daemon is (`socketPath`), its token (`token`, or `tokenPath`
 * to read it from), the time limits and a client name for its logs.
 * @returns An open client; close it when done.
 * @throws {DaemonNotRunningError} when nothing listens on the socket or the token file
 * is missing.
 * @throws {RemoteError} `UNAUTHORIZED` when the token is wrong.
 * @throws {TimeoutError} when the daemon does not answer in time.
 *
 * @example The user's daemon, or why not
 * ```ts
 * import { connect, DaemonNotRunningError, resolveDaemonPaths } from "@claude-ntfy/claude-ntfy";
 *
 * const paths = resolveDaemonPaths({ homeDir: "/nonexistent/home" });
 * try {
 *   const client = await connect({ socketPath: paths.socketPath, tokenPath: paths.tokenPath });
 *   console.log(`round trip ${await client.ping()} ms`);
 *   await client.close();
 * } catch (error) {
 *   if (!(error instanceof DaemonNotRunningError)) throw error;
 *   console.log("not running: claude-ntfy daemon start --detach");
 * }
 * ```
 *
 * @example A daemon to test against
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect } from "@claude-ntfy/claude-ntfy";
 * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
 *
 * await using daemon = await startFakeDaemon();
 * const client = await connect({ ...daemon.connectOptions, clientName: "my-tool" });
 * assert.equal(typeof (await client.ping()), "number");
 * await client.close();
 * ```
 */
export function connect(options: ConnectOptions): Promise<DaemonClient> {
  return DaemonClient.open(options);
}
