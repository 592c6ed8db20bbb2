/**
 * The daemon client: one Unix socket connection with pipelined requests matched to their
 * responses by id. This is the only file of the client that calls `Deno.connect`.
 *
 * @module
 */

import {
  type DaemonStatus,
  type DeadTask,
  decodeResponse,
  encodeRequest,
  FrameDecoder,
  type HeldTask,
  type HookContext,
  type NotificationTask,
  type PermissionDecision,
  PROTOCOL_VERSION,
  ProtocolError,
  type Request,
  type Response,
} from "../protocol/mod.ts";
import {
  ClientError,
  ConnectionClosedError,
  DaemonNotRunningError,
  RemoteError,
  TimeoutError,
} from "./errors.ts";
import { schedule } from "./schedule.ts";

/** Options for {@linkcode connect}. */
export interface ConnectOptions {
  /** The daemon's socket. */
  socketPath: string;
  /** The daemon's token; read from `tokenPath` when absent. */
  token?: string;
  /** The daemon's token file (see `resolveDaemonPaths`). */
  tokenPath?: string;
  /** How long to wait for the socket and the handshake. @default {2000} */
  connectTimeoutMs?: number;
  /** How long to wait for each answer; 0 waits for ever. @default {10000} */
  requestTimeoutMs?: number;
  /** A name for the daemon's logs. @default {"claude-ntfy"} */
  clientName?: string;
  /**
   * The protocol version announced in `hello`: an older one talks to an older daemon
   * (to stop it after an upgrade, say). @default {PROTOCOL_VERSION}
   */
  protocolVersion?: number;
}

/** A request without its id: the client numbers requests itself. */
export type RequestBody = Request extends infer R ? R extends Request ? Omit<R, "id"> : never
  : never;

interface Pending {
  readonly type: Request["type"];
  readonly sentAt: number;
  resolve(response: Response): void;
  reject(error: Error): void;
}

const IDEMPOTENT: ReadonlySet<string> = new Set(["ping", "status", "reload", "queue"]);

function readToken(options: ConnectOptions): string {
  if (options.token !== undefined) return options.token;
  if (options.tokenPath === undefined) {
    throw new ClientError("NO_TOKEN", "Cannot connect: no token and no token file given");
  }
  try {
    return Deno.readTextFileSync(options.tokenPath).trim();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new DaemonNotRunningError(
        `The daemon is not running: no token file at ${options.tokenPath}`,
        { cause: error },
      );
    }
    throw new ClientError(
      "TOKEN_UNREADABLE",
      `Cannot read the daemon token at ${options.tokenPath}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

async function openSocket(path: string, timeoutMs: number): Promise<Deno.UnixConn> {
  let cancelTimer = () => {};
  const connecting = Deno.connect({ transport: "unix", path });
  try {
    return await Promise.race([
      connecting,
      new Promise<never>((_, reject) => {
        cancelTimer = schedule(
          timeoutMs,
          () => reject(new TimeoutError(`Connecting to ${path} timed out after ${timeoutMs} ms`)),
        );
      }),
    ]);
  } catch (error) {
    connecting.then((conn) => conn.close(), () => {});
    if (
      error instanceof Deno.errors.NotFound || error instanceof Deno.errors.ConnectionRefused
    ) {
      throw new DaemonNotRunningError(
        `The daemon is not running: nothing listens on ${path} (start it: claude-ntfy daemon start)`,
        { cause: error },
      );
    }
    if (error instanceof ClientError) throw error;
    throw new ClientError(
      "CONNECT_FAILED",
      `Cannot connect to ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    cancelTimer();
  }
}

/** One open, authenticated connection. */
class Session {
  readonly #conn: Deno.UnixConn;
  readonly #pending = new Map<number, Pending>();
  readonly #decoder = new FrameDecoder();
  readonly #requestTimeoutMs: number;
  #outgoing: Uint8Array[] = [];
  #flushScheduled = false;
  #writing: Promise<void> = Promise.resolve();
  #nextId = 1;
  #closedError: Error | undefined;
  #sweep: (() => void) | undefined;
  readonly reading: Promise<void>;

  constructor(conn: Deno.UnixConn, requestTimeoutMs: number) {
    this.#conn = conn;
    this.#requestTimeoutMs = requestTimeoutMs;
    this.reading = this.#readLoop();
  }

  get closed(): boolean {
    return this.#closedError !== undefined;
  }

  request(body: RequestBody): Promise<Response> {
    if (this.#closedError) return Promise.reject(this.#closedError);
    const id = this.#nextId;
    this.#nextId = this.#nextId >= 0xffff_ffff ? 1 : this.#nextId + 1;
    let frame: Uint8Array;
    try {
      frame = encodeRequest({ ...body, id } as Request);
    } catch (error) {
      // A rejection, not a throw: callers that pipeline (hello, then this) handle both alike.
      return Promise.reject(error);
    }
    return new Promise<Response>((resolve, reject) => {
      this.#pending.set(id, { type: body.type, sentAt: performance.now(), resolve, reject });
      if (this.#requestTimeoutMs > 0 && this.#sweep === undefined) this.#startSweep();
      this.#outgoing.push(frame);
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        queueMicrotask(() => this.#flush());
      }
    });
  }

  #startSweep(): void {
    const every = Math.max(10, Math.min(1_000, this.#requestTimeoutMs / 4));
    const tick = () => {
      const now = performance.now();
      for (const [id, pending] of this.#pending) {
        if (now - pending.sentAt < this.#requestTimeoutMs) break;
        this.#pending.delete(id);
        pending.reject(
          new TimeoutError(
            `No answer to ${pending.type} request ${id} within ${this.#requestTimeoutMs} ms`,
          ),
        );
      }
      if (this.#pending.size === 0) this.#stopSweep();
      else this.#sweep = schedule(every, tick);
    };
    this.#sweep = schedule(every, tick);
  }

  #stopSweep(): void {
    this.#sweep?.();
    this.#sweep = undefined;
  }

  #flush(): void {
    this.#flushScheduled = false;
    const frames = this.#outgoing;
    this.#outgoing = [];
    if (frames.length === 0 || this.#closedError) return;
    let bytes: Uint8Array;
    if (frames.length === 1) bytes = frames[0]!;
    else {
      let total = 0;
      for (const frame of frames) total += frame.byteLength;
      bytes = new Uint8Array(total);
      let offset = 0;
      for (const frame of frames) {
        bytes.set(frame, offset);
        offset += frame.byteLength;
      }
    }
    this.#writing = this.#writing.then(async () => {
      let written = 0;
      while (written < bytes.byteLength && !this.#closedError) {
        written += await this.#conn.write(bytes.subarray(written));
      }
    }).catch((error) => {
      this.#fail(
        new ConnectionClosedError(`Write to the daemon failed: ${error.message}`, {
          cause: error,
        }),
      );
    });
  }

  async #readLoop(): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const read = await this.#conn.read(buffer);
        if (read === null) break;
        for (const payload of this.#decoder.push(buffer.subarray(0, read))) {
          this.#deliver(decodeResponse(payload));
        }
      }
      this.#fail(new ConnectionClosedError("The daemon closed the connection"));
    } catch (error) {
      if (this.#closedError) return;
      this.#fail(
        error instanceof ProtocolError ? error : new ConnectionClosedError(
          `Connection to the daemon failed: ${(error as Error).message}`,
          { cause: error },
        ),
      );
    }
  }

  #deliver(response: Response): void {
    const pending = this.#pending.get(response.id);
    if (pending === undefined) {
      if (response.type === "error") {
        // An error tied to no request (a garbled frame): fail everything.
        this.#fail(new RemoteError(response.code, response.message));
      }
      return;
    }
    this.#pending.delete(response.id);
    if (this.#pending.size === 0) this.#stopSweep();
    if (response.type === "error") {
      pending.reject(new RemoteError(response.code, response.message, response.retryable));
    } else pending.resolve(response);
  }

  #fail(error: Error): void {
    if (this.#closedError) return;
    this.#closedError = error;
    this.#stopSweep();
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    try {
      this.#conn.close();
    } catch (closeError) {
      if (!(closeError instanceof Deno.errors.BadResource)) throw closeError;
    }
  }

  async close(): Promise<void> {
    this.#fail(new ConnectionClosedError("The client closed the connection"));
    await this.reading;
  }
}

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
    const timeoutMs = options.connectTimeoutMs ?? 2_000;
    const conn = await openSocket(options.socketPath, timeoutMs);
    const session = new Session(conn, options.requestTimeoutMs ?? 10_000);
    let cancelTimer = () => {};
    try {
      const response = await Promise.race([
        session.request({
          type: "hello",
          version: options.protocolVersion ?? PROTOCOL_VERSION,
          token,
          client: options.clientName ?? "claude-ntfy",
        }),
        new Promise<never>((_, reject) => {
          cancelTimer = schedule(
            timeoutMs,
            () =>
              reject(new TimeoutError(`The daemon did not answer hello within ${timeoutMs} ms`)),
          );
        }),
      ]);
      if (response.type !== "hello") {
        throw new ProtocolError("INVALID_MESSAGE", `Expected a hello answer, got ${response.type}`);
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
   * With `context.decisionWaitMs` the daemon may hold the answer until the phone answers a
   * permission request (open the client with a `requestTimeoutMs` longer than that).
   *
   * @param payload The hook's stdin, unparsed.
   * @param context What the hook process knows (see `HookContext`).
   * @returns The queued task's id, or why no notification is sent, and the phone's
   * decision when there is one.
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

  /** The daemon's statistics. */
  async status(): Promise<DaemonStatus> {
    const response = await this.#request({ type: "status" });
    if (response.type !== "status") {
      throw new ProtocolError("INVALID_MESSAGE", `Expected a status answer, got ${response.type}`);
    }
    return response.status;
  }

  /** The tasks the daemon holds and its dead letters (credentials masked). */
  async queue(): Promise<{ tasks: readonly HeldTask[]; dead: readonly DeadTask[] }> {
    const response = await this.#request({ type: "queue" });
    if (response.type !== "queue") {
      throw new ProtocolError("INVALID_MESSAGE", `Expected a queue answer, got ${response.type}`);
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
 * @example Nothing listens: a typed error
 * ```ts
 * import { DaemonNotRunningError, requestOnce } from "@claude-ntfy/claude-ntfy";
 *
 * try {
 *   await requestOnce({ socketPath: "/nonexistent/daemon.sock", token: "t" }, { type: "ping" });
 * } catch (error) {
 *   console.log(error instanceof DaemonNotRunningError); // true
 * }
 * ```
 */
export async function requestOnce(options: ConnectOptions, body: RequestBody): Promise<Response> {
  const token = readToken(options);
  const conn = await openSocket(options.socketPath, options.connectTimeoutMs ?? 2_000);
  const session = new Session(conn, options.requestTimeoutMs ?? 10_000);
  try {
    const hello = session.request({
      type: "hello",
      version: options.protocolVersion ?? PROTOCOL_VERSION,
      token,
      client: options.clientName ?? "claude-ntfy",
    });
    const answer = session.request(body);
    // If hello fails the daemon closes the connection: report hello's reason, not the close.
    answer.catch(() => {});
    await hello;
    return await answer;
  } finally {
    await session.close();
  }
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
 */
export async function submitOnce(options: ConnectOptions, task: NotificationTask): Promise<string> {
  const response = await requestOnce(options, { type: "submit", task });
  return response.type === "ok" ? response.taskId ?? "" : "";
}
