/**
 * Errors raised by the daemon client. Every one has a stable `code`.
 *
 * @module
 */

/** Base class of the client's errors. */
export class ClientError extends Error {
  /** A stable machine-readable code. */
  readonly code: string;

  /** Creates a client error. */
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ClientError";
    this.code = code;
  }
}

/**
 * Nothing listens on the daemon's socket (or its token file is missing).
 *
 * @example
 * ```ts ignore
 * try { await connect({ socketPath, tokenPath }); } catch (error) {
 *   if (error instanceof DaemonNotRunningError) console.error("start it: claude-ntfy daemon start");
 * }
 * ```
 */
export class DaemonNotRunningError extends ClientError {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super("DAEMON_NOT_RUNNING", message, options);
    this.name = "DaemonNotRunningError";
  }
}

/** A connect or a request took longer than its timeout. */
export class TimeoutError extends ClientError {
  /** Creates the error. */
  constructor(message: string) {
    super("TIMEOUT", message);
    this.name = "TimeoutError";
  }
}

/** The connection closed while a request was waiting for its answer. */
export class ConnectionClosedError extends ClientError {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super("CONNECTION_CLOSED", message, options);
    this.name = "ConnectionClosedError";
  }
}

/** The daemon answered with an `Error` response. */
export class RemoteError extends ClientError {
  /** Whether the same request may succeed later (e.g. a full queue). */
  readonly retryable: boolean;

  /** Creates the error from the daemon's code and message. */
  constructor(code: string, message: string, retryable = false) {
    super(code, message);
    this.name = "RemoteError";
    this.retryable = retryable;
  }
}
