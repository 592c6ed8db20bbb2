/**
 * The daemon client, by piece:
 *
 * - `connect_options.ts`: where the daemon is, its token, the time limits;
 * - `daemon_client.ts`: {@linkcode DaemonClient} and {@linkcode connect}, a connection
 *   for many requests;
 * - `request_once.ts`: {@linkcode requestOnce} and {@linkcode submitOnce}, one request on a
 *   fresh connection;
 * - `_session.ts`: one connection's pipelined requests, matched to answers by id;
 * - `_socket.ts`: the token file and the one call to `Deno.connect`;
 * - `errors.ts`, `paths.ts`.
 *
 * @module
 */

export type { ConnectOptions, RequestBody } from "./connect_options.ts";
export { connect, DaemonClient } from "./daemon_client.ts";
export { requestOnce, submitOnce } from "./request_once.ts";
export { type EventAck, sendEventOnce } from "./send_event.ts";
