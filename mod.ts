/**
 * claude-ntfy: Claude Code hook events as ntfy push notifications.
 *
 * This module is the public API for other programs: the wire protocol (typed messages,
 * length-prefixed msgpack frames, the notification task) and a client for a running
 * claude-ntfy daemon.
 *
 * @example Ping a running daemon
 * ```ts ignore
 * import { connect, resolveDaemonPaths } from "@claude-ntfy/claude-ntfy";
 *
 * const paths = resolveDaemonPaths({ homeDir: Deno.env.get("HOME")! });
 * const client = await connect({ socketPath: paths.socketPath, tokenPath: paths.tokenPath });
 * console.log(`round trip ${await client.ping()} ms`);
 * await client.close();
 * ```
 *
 * @module
 */

export * from "./protocol/mod.ts";
export {
  connect,
  type ConnectOptions,
  DaemonClient,
  type RequestBody,
  requestOnce,
  submitOnce,
} from "./client/client.ts";
export {
  ClientError,
  ConnectionClosedError,
  DaemonNotRunningError,
  RemoteError,
  TimeoutError,
} from "./client/errors.ts";
export {
  type DaemonPaths,
  MAX_SOCKET_PATH_BYTES,
  type PathInputs,
  resolveDaemonPaths,
} from "./client/paths.ts";
