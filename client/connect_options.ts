/**
 * How to reach a daemon: its socket, its token and the time limits, shared by
 * {@linkcode connect} and {@linkcode requestOnce}.
 *
 * @module
 */

import { type HelloRequest, PROTOCOL_VERSION, type Request } from "../protocol/messages.ts";

/** Options for `connect` and `requestOnce`. */
export interface ConnectOptions {
  /** The daemon's socket. */
  socketPath: string;
  /** The daemon's token; read from `tokenPath` when absent. */
  token?: string;
  /** The daemon's token file (see `resolveDaemonPaths`). */
  tokenPath?: string;
  /** How long to wait for the socket and the handshake; 0 waits for ever. @default {2000} */
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

/** {@linkcode ConnectOptions} with every default filled in. */
export interface ResolvedConnectOptions {
  readonly socketPath: string;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/** The options' time limits, defaults filled in. */
export function withDefaults(options: ConnectOptions): ResolvedConnectOptions {
  return {
    socketPath: options.socketPath,
    connectTimeoutMs: options.connectTimeoutMs ?? 2_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
  };
}

/** The `hello` that opens every connection. */
export function helloFor(options: ConnectOptions, token: string): Omit<HelloRequest, "id"> {
  return {
    type: "hello",
    version: options.protocolVersion ?? PROTOCOL_VERSION,
    token,
    client: options.clientName ?? "claude-ntfy",
  };
}
