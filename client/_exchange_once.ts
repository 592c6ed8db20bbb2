/**
 * One exchange on a fresh connection: open the socket, write `hello` and one request in a
 * single write, read answers until both have come, close. Shared by `requestOnce` (any
 * request, the general codec) and `sendEventOnce` (the hook's event, a lean codec); each
 * brings its own decoder, so the hook loads only its own.
 *
 * @module
 */

import { FrameDecoder } from "../protocol/frame_decoder.ts";
import { errorMessage } from "../protocol/error_message.ts";
import { type ConnectOptions, withDefaults } from "./connect_options.ts";
import { ConnectionClosedError, RemoteError, TimeoutError } from "./errors.ts";
import { scheduleWhilePending, withDeadline } from "./schedule.ts";
import { writeAll } from "./write_all.ts";
import { openSocket } from "./_socket.ts";

/** The id of `hello`, the first request of an exchange. */
export const HELLO_ID = 1;
/** The id of the request that follows it. */
export const REQUEST_ID = 2;

/** What an exchange needs of an answer: its type, its id and, for an error, why. */
export interface AnswerLike {
  /** The answer's type; `error` is thrown as a `RemoteError`. */
  readonly type: string;
  /** The id of the request it answers. */
  readonly id: number;
  /** An error's code. */
  readonly code?: string;
  /** An error's message. */
  readonly message?: string;
  /** Whether an error is worth trying again. */
  readonly retryable?: boolean;
}

/**
 * Sends `bytes` (`hello` with id {@linkcode HELLO_ID}, then the request with id
 * {@linkcode REQUEST_ID}) on a fresh connection and resolves with the request's answer.
 *
 * @throws {DaemonNotRunningError} when nothing listens on the socket.
 * @throws {RemoteError} with the daemon's code, for an `error` answer to either request.
 * @throws {TimeoutError} when the daemon does not answer in time.
 * @throws {ConnectionClosedError} when the connection fails or closes first.
 */
export async function exchangeOnce<A extends AnswerLike>(
  options: ConnectOptions,
  bytes: Uint8Array,
  requestType: string,
  decode: (payload: Uint8Array) => A,
): Promise<A> {
  const { socketPath, connectTimeoutMs, requestTimeoutMs } = withDefaults(options);
  const conn = await openSocket(socketPath, connectTimeoutMs);
  const exchange = writeThenRead(conn, bytes, decode);
  // Once the time is up the connection is closed under a pending read: nobody waits for it.
  exchange.catch(() => {});
  try {
    return await withDeadline(
      exchange,
      requestTimeoutMs,
      () =>
        new TimeoutError(
          `No answer to ${requestType} request ${REQUEST_ID} within ${requestTimeoutMs} ms`,
        ),
      scheduleWhilePending,
    );
  } finally {
    try {
      conn.close();
    } catch {
      // Closed by the daemon already.
    }
  }
}

/**
 * Writes the frames and reads answers until both `hello`'s and the request's have come:
 * no session, no per-request timers, which saves the hook about a millisecond of start-up
 * work on every event.
 */
async function writeThenRead<A extends AnswerLike>(
  conn: Deno.UnixConn,
  bytes: Uint8Array,
  decode: (payload: Uint8Array) => A,
): Promise<A> {
  const decoder = new FrameDecoder();
  const buffer = new Uint8Array(64 * 1024);
  let writeFailure: unknown;
  try {
    await writeAll(conn, bytes);
  } catch (error) {
    // A daemon that refuses hello closes before reading a large request: its refusal may
    // be waiting to be read, and it is the reason to report.
    writeFailure = error;
  }
  let greeted = false;
  let answer: A | undefined;
  while (!(greeted && answer)) {
    let read: number | null;
    try {
      read = await conn.read(buffer);
    } catch (error) {
      throw new ConnectionClosedError(
        `Connection to the daemon failed: ${errorMessage(writeFailure ?? error)}`,
        { cause: writeFailure ?? error },
      );
    }
    if (read === null) {
      throw writeFailure === undefined
        ? new ConnectionClosedError("The daemon closed the connection")
        : new ConnectionClosedError(`Write to the daemon failed: ${errorMessage(writeFailure)}`, {
          cause: writeFailure,
        });
    }
    for (const payload of decoder.push(buffer.subarray(0, read))) {
      const response = decode(payload);
      // Hello's refusal comes first (the daemon then closes): it is the reason to report.
      if (response.type === "error") {
        throw new RemoteError(
          response.code ?? "UNKNOWN",
          response.message ?? "",
          response.retryable,
        );
      }
      if (response.id === HELLO_ID) greeted = true;
      else if (response.id === REQUEST_ID) answer = response;
    }
  }
  return answer;
}
