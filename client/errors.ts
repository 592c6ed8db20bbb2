/**
 * Errors raised by the daemon client. Every one has a stable `code`.
 *
 * @module
 */

/**
 * Base class of the client's errors: catch it for "the daemon could not be used", then
 * look at `code` (or the subclass) for why.
 *
 * @example Any client failure, with its code
 * ```ts
 * import assert from "node:assert/strict";
 * import { ClientError, requestOnce } from "@claude-ntfy/claude-ntfy";
 *
 * try {
 *   await requestOnce({ socketPath: "/nonexistent/daemon.sock", token: "t" }, { type: "ping" });
 * } catch (error) {
 *   if (!(error instanceof ClientError)) throw error;
 *   assert.equal(error.code, "DAEMON_NOT_RUNNING");
 * }
 * ```
 */
export class ClientError extends Error {
  /** A stable machine-readable code. */
  readonly code: string;

  /**
   * Creates a client error.
   *
   * @param code A stable machine-readable code, e.g. `TOKEN_UNREADABLE`.
   * @param message What went wrong, for humans.
   * @param options The underlying error, as `cause`.
   *
   * @example Create one
   * ```ts
   * import assert from "node:assert/strict";
   * import { ClientError } from "@claude-ntfy/claude-ntfy";
   *
   * const error = new ClientError("NO_TOKEN", "Cannot connect: no token and no token file given");
   * assert.equal(error.code, "NO_TOKEN");
   * ```
   */
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ClientError";
    this.code = code;
  }
}

/**
 * Nothing listens on the daemon's socket (or its token file is missing). Code
 * `DAEMON_NOT_RUNNING`.
 *
 * @example Telling "not running" from other failures
 * ```ts
 * import { connect, DaemonNotRunningError } from "@claude-ntfy/claude-ntfy";
 *
 * try {
 *   const client = await connect({ socketPath: "/nonexistent/daemon.sock", token: "t" });
 *   await client.close();
 * } catch (error) {
 *   if (!(error instanceof DaemonNotRunningError)) throw error;
 *   console.error("start it: claude-ntfy daemon start --detach");
 * }
 * ```
 */
export class DaemonNotRunningError extends ClientError {
  /**
   * Creates the error.
   *
   * @param message Where nothing listens, and what to do.
   * @param options The error `Deno.connect` or the token read threw, as `cause`.
   *
   * @example Create one
   * ```ts
   * import assert from "node:assert/strict";
   * import { DaemonNotRunningError } from "@claude-ntfy/claude-ntfy";
   *
   * assert.equal(new DaemonNotRunningError("Nothing listens").code, "DAEMON_NOT_RUNNING");
   * ```
   */
  constructor(message: string, options?: ErrorOptions) {
    super("DAEMON_NOT_RUNNING", message, options);
    this.name = "DaemonNotRunningError";
  }
}

/**
 * A connect or a request took longer than its timeout. Code `TIMEOUT`.
 *
 * @example A daemon that never answers
 * ```ts
 * import assert from "node:assert/strict";
 * import { requestOnce, TimeoutError } from "@claude-ntfy/claude-ntfy";
 *
 * const dir = await Deno.makeTempDir();
 * const listener = Deno.listen({ transport: "unix", path: `${dir}/silent.sock` });
 * try {
 *   await requestOnce(
 *     { socketPath: `${dir}/silent.sock`, token: "t", requestTimeoutMs: 50 },
 *     { type: "ping" },
 *   );
 * } catch (error) {
 *   assert.ok(error instanceof TimeoutError);
 * } finally {
 *   listener.close();
 *   await Deno.remove(dir, { recursive: true });
 * }
 * ```
 */
export class TimeoutError extends ClientError {
  /**
   * Creates the error.
   *
   * @param message What took too long, and how long was waited.
   *
   * @example Create one
   * ```ts
   * import assert from "node:assert/strict";
   * import { TimeoutError } from "@claude-ntfy/claude-ntfy";
   *
   * assert.equal(new TimeoutError("No answer within 10 ms").code, "TIMEOUT");
   * ```
   */
  constructor(message: string) {
    super("TIMEOUT", message);
    this.name = "TimeoutError";
  }
}

/**
 * The connection closed while a request was waiting for its answer. Code
 * `CONNECTION_CLOSED`.
 *
 * @example Closing the client rejects what is still waiting
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect, ConnectionClosedError } from "@claude-ntfy/claude-ntfy";
 * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
 *
 * await using daemon = await startFakeDaemon();
 * const client = await connect(daemon.connectOptions);
 * const waiting = client.submit({
 *   target: { serverUrl: "https://ntfy.sh", topic: "claude-alerts-x7q2" },
 *   message: { body: "Done." },
 *   origin: { event: "Stop", createdAt: Date.now() },
 * }).catch((error) => error);
 * await client.close();
 * assert.ok((await waiting) instanceof ConnectionClosedError);
 * ```
 */
export class ConnectionClosedError extends ClientError {
  /**
   * Creates the error.
   *
   * @param message Who closed the connection, or why it failed.
   * @param options The socket error, as `cause`.
   *
   * @example Create one
   * ```ts
   * import assert from "node:assert/strict";
   * import { ConnectionClosedError } from "@claude-ntfy/claude-ntfy";
   *
   * assert.equal(new ConnectionClosedError("Closed").code, "CONNECTION_CLOSED");
   * ```
   */
  constructor(message: string, options?: ErrorOptions) {
    super("CONNECTION_CLOSED", message, options);
    this.name = "ConnectionClosedError";
  }
}

/**
 * The daemon answered with an `error` response; `code` is the daemon's (see `ErrorCode`).
 *
 * @example A wrong token
 * ```ts
 * import assert from "node:assert/strict";
 * import { ErrorCode, RemoteError, requestOnce } from "@claude-ntfy/claude-ntfy";
 * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
 *
 * await using daemon = await startFakeDaemon();
 * try {
 *   await requestOnce({ socketPath: daemon.socketPath, token: "wrong" }, { type: "ping" });
 * } catch (error) {
 *   if (!(error instanceof RemoteError)) throw error;
 *   assert.equal(error.code, ErrorCode.Unauthorized);
 *   assert.equal(error.retryable, false);
 * }
 * ```
 */
export class RemoteError extends ClientError {
  /** Whether the same request may succeed later (e.g. a full queue). */
  readonly retryable: boolean;

  /**
   * Creates the error from the daemon's code and message.
   *
   * @param code The daemon's code, e.g. `QUEUE_FULL`.
   * @param message The daemon's message.
   * @param retryable Whether the same request may succeed later.
   *
   * @example Create one
   * ```ts
   * import assert from "node:assert/strict";
   * import { RemoteError } from "@claude-ntfy/claude-ntfy";
   *
   * assert.equal(new RemoteError("QUEUE_FULL", "The queue is full", true).retryable, true);
   * ```
   */
  constructor(code: string, message: string, retryable = false) {
    super(code, message);
    this.name = "RemoteError";
    this.retryable = retryable;
  }
}
