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
import { schedule } from "./schedule.ts";
import { Session } from "./_session.ts";
import { openSocket, readToken } from "./_socket.ts";

/** Requests the client may send again on a new connection when the old one dropped. */
const IDEMPOTENT: ReadonlySet<string> = new Set(["ping", "status", "reload", "queue"]);

/**
 * A connection to the daemon. Requests may be issued concurrently; they are pipelined on
 * the one socket and their answers matched by id.
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

  /** Opens a session: connect, then `hello` with the token. */
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
    let cancelTimer = () => {};
    try {
      const response = await Promise.race([
        session.request(helloFor(options, token)),
        new Promise<never>((_, reject) => {
          cancelTimer = schedule(
            timeoutMs,
            () =>
              reject(new TimeoutError(`The daemon did not answer hello within ${timeoutMs} ms`)),
          );
        }),
      ]);
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
    } finally {
      cancelTimer();
    }
  }

  /** The daemon's software version and process id, from the handshake. */
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

  /** Checks the daemon answers; resolves with the round trip in milliseconds. */
  async ping(): Promise<number> {
    const started = performance.now();
    await this.#request({ type: "ping" });
    return performance.now() - started;
  }

  /**
   * Hands a task to the daemon; resolves with the daemon's task id once it is queued.
   * Not retried on a dropped connection (the daemon may already hold it).
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
   */
  async event(
    payload: Uint8Array,
    context: HookContext,
  ): Promise<{ readonly taskId?: string; readonly skipped?: string }> {
    const response = await this.#request({ type: "event", payload, context });
    return response.type === "ok" ? { taskId: response.taskId, skipped: response.skipped } : {};
  }

  /** The daemon's statistics. */
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

  /** The tasks the daemon holds and its dead letters (credentials masked). */
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

  /** Queues dead letters again: the ones named, or all; resolves with how many. */
  async retry(which: readonly string[] | "all"): Promise<number> {
    const response = await this.#request(
      which === "all" ? { type: "retry", all: true } : { type: "retry", taskIds: which },
    );
    return response.type === "ok" ? response.count ?? 0 : 0;
  }

  /** Deletes every dead letter; resolves with how many there were. */
  async purge(): Promise<number> {
    const response = await this.#request({ type: "purge" });
    return response.type === "ok" ? response.count ?? 0 : 0;
  }

  /** Asks the daemon to re-read its configuration. */
  async reload(): Promise<void> {
    await this.#request({ type: "reload" });
  }

  /** Asks the daemon to shut down gracefully; resolves once it has acknowledged. */
  async shutdown(): Promise<void> {
    await this.#request({ type: "shutdown" });
  }

  /** Closes the connection; pending requests reject with `ConnectionClosedError`. */
  async close(): Promise<void> {
    await this.#session.close();
  }
}

/**
 * Connects to a running daemon and performs the handshake.
 *
 * @throws {DaemonNotRunningError} when nothing listens on the socket.
 * @throws {RemoteError} `UNAUTHORIZED` when the token is wrong.
 * @throws {TimeoutError} when the daemon does not answer in time.
 *
 * @example
 * ```ts ignore
 * import { connect, resolveDaemonPaths } from "@claude-ntfy/claude-ntfy";
 *
 * const paths = resolveDaemonPaths({ homeDir: Deno.env.get("HOME")! });
 * const client = await connect({ socketPath: paths.socketPath, tokenPath: paths.tokenPath });
 * console.log(await client.ping(), "ms");
 * await client.close();
 * ```
 */
export function connect(options: ConnectOptions): Promise<DaemonClient> {
  return DaemonClient.open(options);
}
