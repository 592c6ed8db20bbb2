/**
 * The hook's one request: a raw Claude Code event sent with `hello` on a fresh connection,
 * encoded and read with the protocol's lean event codec (`protocol/event_exchange.ts`;
 * answers with `decodeFlatEventAnswer`, which leaves the general decoder out of the hook)
 * rather than the general one, because the hook runs on every event and each module it
 * loads and each function it runs for the first time costs it start-up time.
 *
 * @module
 */

import {
  decodeFlatEventAnswer,
  encodeEventExchange,
  type EventAnswer,
} from "../protocol/event_exchange.ts";
import type { EventRequest } from "../protocol/messages.ts";
import { ErrorCode, ProtocolError } from "../protocol/errors.ts";
import { type ConnectOptions, helloFor } from "./connect_options.ts";
import { readToken } from "./_socket.ts";
import { exchangeOnce, HELLO_ID, REQUEST_ID } from "./_exchange_once.ts";

/** The daemon's acknowledgment of an event: queued as `taskId`, or `skipped` and why. */
export type EventAck = Extract<EventAnswer, { type: "ok" }>;

/**
 * Sends one raw hook event on a fresh connection and waits for the daemon's durable
 * acknowledgment: what `claude-ntfy hook` does on every Claude Code event. The same
 * exchange as `requestOnce` with an `event` request, for the event's fast path: it does
 * not wait for a decision from the phone (use `requestOnce` with `decisionWaitMs`).
 *
 * @param options Where the daemon is, its token and the time limits.
 * @param event The event's raw payload and the hook's context.
 * @returns The acknowledgment: the task id, or why nothing was queued.
 * @throws {DaemonNotRunningError} when nothing listens on the socket.
 * @throws {RemoteError} with the daemon's code (`UNAUTHORIZED`, `QUEUE_FULL`, `INVALID_JSON`, ...).
 * @throws {TimeoutError} when the daemon does not answer in time.
 * @throws {ProtocolError} `FRAME_TOO_LARGE` when the event does not fit in a frame (nothing
 * is sent), `INVALID_MESSAGE` when the answer is not an acknowledgment.
 *
 * @example Forward a hook event, as the hook does
 * ```ts
 * import assert from "node:assert/strict";
 * import { sendEventOnce } from "@claude-ntfy/claude-ntfy";
 * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
 *
 * await using daemon = await startFakeDaemon();
 * const ack = await sendEventOnce(daemon.connectOptions, {
 *   payload: new TextEncoder().encode('{"hook_event_name":"Stop"}'),
 *   context: { cwd: "/src/webapp", env: {}, receivedAt: Date.now() },
 * });
 * assert.deepEqual(ack, { type: "ok", id: 2, taskId: "fake-1" });
 * ```
 */
export async function sendEventOnce(
  options: ConnectOptions,
  event: Pick<EventRequest, "payload" | "context">,
): Promise<EventAck> {
  const token = readToken(options);
  // Encoded before anything is sent: an event too large sends nothing at all.
  const bytes = encodeEventExchange(
    { ...helloFor(options, token), id: HELLO_ID },
    { type: "event", id: REQUEST_ID, payload: event.payload, context: event.context },
  );
  const answer = await exchangeOnce(options, bytes, "event", decodeFlatEventAnswer);
  if (answer.type !== "ok") {
    throw new ProtocolError(
      ErrorCode.InvalidMessage,
      `Invalid answer to an event: a ${answer.type} message where an acknowledgment belongs`,
      { requestId: REQUEST_ID },
    );
  }
  return answer;
}
