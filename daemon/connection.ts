/**
 * One client connection: reads frames, enforces the handshake, hands requests to the
 * daemon's handler and writes responses in order of completion. It never lets one client
 * hold up another: reads, handling and writes are per connection, and every buffer is
 * bounded.
 *
 * @module
 */

import {
  CONNECTION_ERROR_ID,
  decodeRequest,
  ErrorCode,
  FrameDecoder,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  ProtocolError,
  type Request,
  type Response,
} from "../protocol/mod.ts";
import { DaemonError } from "./errors.ts";
import type { DaemonStats } from "./stats/daemon_stats.ts";
import type { Logger } from "./log.ts";
import type { RequestHandler } from "./request_handler.ts";
import { errorMessage } from "../protocol/error_message.ts";
import { writeAll } from "../client/write_all.ts";
import { ResponseBuffer } from "./response_buffer.ts";
import { decodeSubmit } from "../protocol/submit_decoder.ts";

/** Limits applied to every connection. */
export interface ConnectionLimits {
  /** Largest frame accepted. @default {1048576} */
  readonly maxFrameBytes: number;
  /** Requests being handled at once on one connection. @default {1024} */
  readonly maxInFlight: number;
  /** Response bytes waiting for a client that does not read before it is dropped. @default {8388608} */
  readonly maxPendingWriteBytes: number;
  /** Protocol errors tolerated on one authenticated connection before it is closed. @default {100} */
  readonly maxProtocolErrors: number;
  /**
   * Largest frame accepted before the handshake: a peer without the token cannot make the
   * daemon buffer more than this per connection. @default {65536}
   */
  readonly maxUnauthenticatedFrameBytes?: number;
}

/** Default per-connection limits. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxFrameBytes: 1024 * 1024,
  maxInFlight: 1024,
  maxPendingWriteBytes: 8 * 1024 * 1024,
  maxProtocolErrors: 100,
  maxUnauthenticatedFrameBytes: 64 * 1024,
};

/** What a connection needs from the daemon. */
export interface ConnectionContext {
  /** The token clients must present in `hello`. */
  readonly token: string;
  /** The daemon's software version. */
  readonly version: string;
  /** Answers an authenticated request other than `hello`. */
  readonly handle: RequestHandler;
  /** Counters. */
  readonly stats: DaemonStats;
  /** The daemon's logger. */
  readonly log: Logger;
  /** Per-connection limits. */
  readonly limits: ConnectionLimits;
}

const encoder = new TextEncoder();

/** Compares two secrets in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  let difference = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return difference === 0;
}

/**
 * A served connection. The daemon keeps these to time out idle and half-sent ones and to
 * close them all at shutdown.
 */
export class ClientConnection {
  readonly #conn: Deno.Conn;
  readonly #context: ConnectionContext;
  readonly #decoder: FrameDecoder;
  readonly #id: number;
  #authenticated = false;
  #closed = false;
  #closeAfterFlush = false;
  #inFlight = 0;
  #protocolErrors = 0;
  readonly #pending = new ResponseBuffer();
  #flushing = false;
  #laterFlushQueued = false;
  readonly #gone = new AbortController();
  /** Last time bytes arrived (ms, monotonic). */
  lastActivity = performance.now();

  /** Wraps an accepted connection. Call {@linkcode ClientConnection.serve} to run it. */
  constructor(conn: Deno.Conn, context: ConnectionContext, id: number) {
    this.#conn = conn;
    this.#context = context;
    this.#id = id;
    this.#decoder = new FrameDecoder({
      maxFrameBytes: Math.min(
        context.limits.maxFrameBytes,
        context.limits.maxUnauthenticatedFrameBytes ?? 64 * 1024,
      ),
    });
  }

  /** Connection number, for logs. */
  get id(): number {
    return this.#id;
  }

  /** Bytes of a frame that started but has not finished arriving. */
  get partialFrameBytes(): number {
    return this.#decoder.bufferedBytes;
  }

  /** Whether the connection has closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Requests being answered now: a connection waiting on one is not idle. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Reads and answers frames until the client goes away or the connection is closed. */
  async serve(): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (!this.#closed && !this.#closeAfterFlush) {
        let read: number | null;
        try {
          read = await this.#conn.read(buffer);
        } catch (error) {
          if (!this.#closed) {
            this.#context.log.debug("connection read failed", {
              conn: this.#id,
              error: errorMessage(error),
            });
          }
          break;
        }
        if (read === null) break;
        this.lastActivity = performance.now();
        this.#context.stats.bytesRead(read);
        // Payload views point into `buffer`: decode them all before the next read.
        if (!this.#consume(buffer.subarray(0, read))) break;
      }
    } finally {
      if (!this.#closeAfterFlush) this.close();
    }
  }

  /** Decodes a chunk; returns false when the connection must stop reading. */
  #consume(chunk: Uint8Array): boolean {
    try {
      // Frames are handled as they complete, so a hello raises the frame limit for the
      // frames after it in the same chunk.
      this.#decoder.each(chunk, (payload) => {
        if (!this.#closeAfterFlush) this.#handleFrame(payload);
      });
    } catch (error) {
      this.#protocolError(error, CONNECTION_ERROR_ID);
      this.#closeAfterFlush = true;
      this.#flushSoon();
      return false;
    }
    this.#flushSoon();
    return !this.#closeAfterFlush;
  }

  #handleFrame(payload: Uint8Array): void {
    // When its bytes were read: the frames of one read share the time, and a request's
    // latency counts its wait behind the frames before it.
    const started = this.lastActivity;
    // A burst is made of plain submits: read straight into the task, whose bytes are then
    // journaled as they came. Anything else takes the general path.
    const submit = decodeSubmit(payload);
    if (submit !== undefined) {
      this.#dispatch(
        submit.request,
        started,
        payload.subarray(submit.taskStart, submit.taskEnd),
      );
      return;
    }
    let request: Request;
    try {
      request = decodeRequest(payload);
    } catch (error) {
      const id = error instanceof ProtocolError ? error.requestId : undefined;
      this.#protocolError(error, id ?? CONNECTION_ERROR_ID);
      if (!this.#authenticated || this.#protocolErrors >= this.#context.limits.maxProtocolErrors) {
        this.#closeAfterFlush = true;
      }
      return;
    }
    this.#dispatch(request, started);
  }

  #protocolError(error: unknown, id: number): void {
    this.#protocolErrors += 1;
    this.#context.stats.protocolError();
    const code = error instanceof ProtocolError ? error.code : ErrorCode.Internal;
    const message = errorMessage(error);
    this.#context.log.debug("protocol error", { conn: this.#id, code, message });
    this.#send({ type: "error", id, code, message });
  }

  /** `encodedTask`: a submit's task as msgpack, valid until the next read. */
  #dispatch(request: Request, started: number, encodedTask?: Uint8Array): void {
    if (request.type === "hello") {
      this.#hello(request);
      this.#context.stats.recordRequest("hello", (performance.now() - started) * 1000);
      return;
    }
    if (!this.#authenticated) {
      this.#fail(request.id, ErrorCode.HandshakeRequired, "Send hello with the daemon token first");
      this.#closeAfterFlush = true;
      return;
    }
    if (this.#inFlight >= this.#context.limits.maxInFlight) {
      this.#fail(
        request.id,
        ErrorCode.TooManyInFlight,
        `Too many requests in flight on this connection: limit ${this.#context.limits.maxInFlight}`,
        true,
      );
      return;
    }
    let answer: Response | Promise<Response>;
    try {
      answer = this.#context.handle(request, this.#gone.signal, encodedTask);
    } catch (error) {
      answer = errorResponse(request.id, error);
    }
    if (answer instanceof Promise) {
      this.#inFlight += 1;
      answer.then(
        (response) => this.#answerLater(request, response, started),
        (error) => this.#answerLater(request, errorResponse(request.id, error), started),
      );
    } else {
      this.#answer(request, answer, started);
    }
  }

  #answerLater(request: Request, response: Response, started: number): void {
    this.#inFlight -= 1;
    this.#answer(request, response, started);
    // After the answers settled with this one (a journal batch settles its Submits together):
    // they go in one write.
    if (this.#laterFlushQueued) return;
    this.#laterFlushQueued = true;
    queueMicrotask(() => {
      this.#laterFlushQueued = false;
      this.#flushSoon();
    });
  }

  #answer(request: Request, response: Response, started: number): void {
    this.#context.stats.recordRequest(request.type, (performance.now() - started) * 1000);
    this.#send(response);
  }

  #hello(request: Extract<Request, { type: "hello" }>): void {
    if (request.version < MIN_PROTOCOL_VERSION || request.version > PROTOCOL_VERSION) {
      this.#fail(
        request.id,
        ErrorCode.UnsupportedVersion,
        `Unsupported protocol version ${request.version}: this daemon speaks ` +
          `${MIN_PROTOCOL_VERSION} to ${PROTOCOL_VERSION}`,
      );
      this.#closeAfterFlush = true;
      return;
    }
    if (request.token === undefined || !constantTimeEqual(request.token, this.#context.token)) {
      this.#fail(
        request.id,
        ErrorCode.Unauthorized,
        request.token === undefined
          ? "Missing token: read it from the daemon's token file"
          : "Wrong token: the daemon may have restarted; read its token file again",
      );
      this.#context.log.warn("rejected a client with a missing or wrong token", { conn: this.#id });
      this.#closeAfterFlush = true;
      return;
    }
    this.#authenticated = true;
    this.#decoder.maxFrameBytes = this.#context.limits.maxFrameBytes;
    this.#send({
      type: "hello",
      id: request.id,
      version: PROTOCOL_VERSION,
      daemonVersion: this.#context.version,
      pid: Deno.pid,
    });
  }

  #fail(id: number, code: ErrorCode, message: string, retryable = false): void {
    this.#send({ type: "error", id, code, message, retryable });
  }

  #send(response: Response): void {
    if (this.#closed) return;
    const maxFrameBytes = this.#context.limits.maxFrameBytes;
    try {
      this.#pending.append(response, maxFrameBytes);
    } catch (error) {
      this.#pending.append(errorResponse(response.id, error), maxFrameBytes);
    }
    if (this.#pending.byteLength > this.#context.limits.maxPendingWriteBytes) {
      this.#context.log.warn("dropping a client that does not read its responses", {
        conn: this.#id,
        pendingBytes: this.#pending.byteLength,
      });
      this.close();
    }
  }

  #flushSoon(): void {
    if (this.#flushing || this.#closed) return;
    if (this.#pending.byteLength === 0) {
      this.#afterFlush();
      return;
    }
    this.#flushing = true;
    void this.#flush();
  }

  async #flush(): Promise<void> {
    try {
      while (this.#pending.byteLength > 0 && !this.#closed) {
        const bytes = this.#pending.take();
        await writeAll(this.#conn, bytes);
        this.#context.stats.bytesWritten(bytes.byteLength);
        this.#pending.recycle(bytes);
      }
    } catch (error) {
      if (!this.#closed) {
        this.#context.log.debug("connection write failed", {
          conn: this.#id,
          error: errorMessage(error),
        });
      }
      this.close();
    } finally {
      this.#flushing = false;
    }
    this.#afterFlush();
  }

  #afterFlush(): void {
    if (this.#pending.byteLength > 0 || this.#closed) return;
    if (this.#closeAfterFlush && this.#inFlight === 0) this.close();
  }

  /** Closes the connection now; pending responses are dropped. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending.clear();
    // A reason of our own: without one, abort() makes a DOMException, stack trace and all,
    // which cost the daemon about 0.05 ms on every connection.
    this.#gone.abort(CONNECTION_CLOSED);
    try {
      this.#conn.close();
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
  }

  /** Closes once every pending response has been written (for graceful shutdown). */
  closeWhenIdle(): void {
    this.#closeAfterFlush = true;
    this.#flushSoon();
  }
}

/** Why a connection's `connectionClosed` signal aborts. */
const CONNECTION_CLOSED = "connection closed";

/** Turns any thrown value into an `Error` response. */
export function errorResponse(id: number, error: unknown): Response {
  if (error instanceof DaemonError || error instanceof ProtocolError) {
    return {
      type: "error",
      id,
      code: error.code,
      message: error.message,
      retryable: error instanceof DaemonError ? error.retryable : false,
    };
  }
  return {
    type: "error",
    id,
    code: ErrorCode.Internal,
    message: `Internal error: ${errorMessage(error)}`,
  };
}
