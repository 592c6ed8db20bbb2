// One connection to the daemon with pipelined requests matched to their answers by id.

import {
  decodeResponse,
  DEFAULT_MAX_FRAME_BYTES,
  FRAME_HEADER_BYTES,
  FrameDecoder,
  ProtocolError,
  type Request,
  type Response,
} from "../protocol/mod.ts";
import { MsgpackEncoder } from "../protocol/msgpack_encoder.ts";
import { appendFrame, checkMessageLength } from "../protocol/_frame_append.ts";
import { errorMessage } from "../protocol/error_message.ts";
import type { RequestBody } from "./connect_options.ts";
import { ConnectionClosedError, RemoteError, TimeoutError } from "./errors.ts";
import { schedule } from "./schedule.ts";
import { writeAll } from "./write_all.ts";

const encoder = new MsgpackEncoder();

/** Bytes the outgoing buffer starts with: most sessions send a request or two. */
const OUTGOING_BYTES = 1024;

interface Pending {
  readonly type: Request["type"];
  readonly sentAt: number;
  resolve(response: Response): void;
  reject(error: Error): void;
}

/**
 * One connection: requests numbered and pipelined (queued frames go out in one write), answers
 * matched to them by id, a sweep that times out unanswered ones, and every pending request
 * rejected with the same error when the connection ends.
 */
export class Session {
  readonly #conn: Deno.UnixConn;
  readonly #pending = new Map<number, Pending>();
  readonly #decoder = new FrameDecoder();
  readonly #requestTimeoutMs: number;
  /** Frames waiting for the next write, back to back. */
  #outgoing = new Uint8Array(OUTGOING_BYTES);
  #outgoingLength = 0;
  /** When the frames waiting were queued (one clock read for all of them). */
  #queuedAt: number | undefined;
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
    try {
      this.#queue({ ...body, id } as Request);
    } catch (error) {
      // A rejection, not a throw: callers that pipeline (hello, then this) handle both alike.
      return Promise.reject(error);
    }
    this.#queuedAt ??= performance.now();
    const sentAt = this.#queuedAt;
    return new Promise<Response>((resolve, reject) => {
      this.#pending.set(id, { type: body.type, sentAt, resolve, reject });
      if (this.#requestTimeoutMs > 0 && this.#sweep === undefined) this.#startSweep();
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

  /**
   * Frames `request` onto the outgoing bytes, as `encodeRequest` frames it.
   *
   * @throws {ProtocolError} `FRAME_TOO_LARGE` when its payload is over the frame limit.
   */
  #queue(request: Request): void {
    const payload = encoder.encodeShared(request);
    checkMessageLength(request.type, request.id, payload.byteLength, DEFAULT_MAX_FRAME_BYTES);
    const start = this.#outgoingLength;
    this.#outgoing = appendFrame(this.#outgoing, start, payload);
    this.#outgoingLength = start + FRAME_HEADER_BYTES + payload.byteLength;
  }

  #flush(): void {
    this.#flushScheduled = false;
    this.#queuedAt = undefined;
    // The bytes are handed to the write as they are: the next requests get a buffer of
    // their own, about as large (a pipelining caller keeps needing that much).
    const bytes = this.#outgoing.subarray(0, this.#outgoingLength);
    this.#outgoing = new Uint8Array(Math.max(OUTGOING_BYTES, this.#outgoingLength));
    this.#outgoingLength = 0;
    if (bytes.length === 0 || this.#closedError) return;
    this.#writing = this.#writing.then(async () => {
      if (!this.#closedError) await writeAll(this.#conn, bytes);
    }).catch((error) => {
      this.#fail(
        new ConnectionClosedError(`Write to the daemon failed: ${errorMessage(error)}`, {
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
          `Connection to the daemon failed: ${errorMessage(error)}`,
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
