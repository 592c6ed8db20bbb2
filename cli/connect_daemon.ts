/**
 * The one place the CLI opens a session with the daemon (see `daemon_connect_options.ts`
 * for who calls it how).
 *
 * @module
 */

import type { DaemonClient } from "../client/daemon_client.ts";
import type { DaemonPaths } from "../client/paths.ts";
import { type DaemonCaller, daemonConnectOptions } from "./daemon_connect_options.ts";

export { type DaemonCaller, daemonConnectOptions };

/**
 * Connects to the daemon at `paths` as `caller`.
 *
 * @param paths The daemon's paths.
 * @param caller Who is calling.
 * @returns An open client; close it when done.
 * @throws {DaemonNotRunningError} when nothing listens on the socket.
 * @throws {ClientError} for any other failure to connect or authenticate.
 *
 * @example Nothing listens
 * ```ts
 * import { resolveDaemonPaths } from "../client/paths.ts";
 * import { DaemonNotRunningError } from "../client/errors.ts";
 * import { connectDaemon } from "./connect_daemon.ts";
 *
 * const paths = resolveDaemonPaths({ homeDir: "/nonexistent" });
 * await connectDaemon(paths, "cli").catch((error) => {
 *   console.log(error instanceof DaemonNotRunningError); // true
 * });
 * ```
 */
export async function connectDaemon(
  paths: DaemonPaths,
  caller: DaemonCaller,
): Promise<DaemonClient> {
  // Loaded here, not with this module: the hook only needs the options above, and the
  // session client is code it would load on every event for nothing.
  const { connect } = await import("../client/daemon_client.ts");
  return connect(daemonConnectOptions(paths, caller));
}
