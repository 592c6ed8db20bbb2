/**
 * Runs a command's work with a connected daemon client, and turns "not running" into the
 * exit code scripts rely on (3) with the command's own message.
 *
 * @module
 */

import type { CliContext } from "./context.ts";
import type { DaemonClient } from "../client/client.ts";
import { connectDaemon, type DaemonCaller } from "./connect_daemon.ts";
import { DaemonNotRunningError } from "../client/errors.ts";
import { ExitCode } from "./io.ts";

/**
 * Connects, runs `work`, closes. When no daemon runs, calls `notRunning` (which prints the
 * command's message) and returns {@linkcode ExitCode.NotRunning}; other errors propagate.
 */
export async function withDaemon(
  context: CliContext,
  caller: DaemonCaller,
  handlers: { notRunning(): void; work(client: DaemonClient): Promise<number> },
): Promise<number> {
  let client: DaemonClient;
  try {
    client = await connectDaemon(context.paths, caller);
  } catch (error) {
    if (!(error instanceof DaemonNotRunningError)) throw error;
    handlers.notRunning();
    return ExitCode.NotRunning;
  }
  try {
    return await handlers.work(client);
  } finally {
    await client.close();
  }
}
