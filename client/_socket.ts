// Opening a connection to the daemon: its token, and its socket. This is the only file of
// the client that calls `Deno.connect`.

import type { ConnectOptions } from "./connect_options.ts";
import { ClientError, DaemonNotRunningError, TimeoutError } from "./errors.ts";
import { scheduleWhilePending, withDeadline } from "./schedule.ts";
import { errorMessage } from "../protocol/error_message.ts";

/**
 * The token from the options, else from the token file.
 *
 * @throws {DaemonNotRunningError} when the token file does not exist.
 * @throws {ClientError} `NO_TOKEN` or `TOKEN_UNREADABLE`.
 */
export function readToken(options: ConnectOptions): string {
  if (options.token !== undefined) return options.token;
  if (options.tokenPath === undefined) {
    throw new ClientError("NO_TOKEN", "Cannot connect: no token and no token file given");
  }
  try {
    return Deno.readTextFileSync(options.tokenPath).trim();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new DaemonNotRunningError(
        `The daemon is not running: no token file at ${options.tokenPath}`,
        { cause: error },
      );
    }
    throw new ClientError(
      "TOKEN_UNREADABLE",
      `Cannot read the daemon token at ${options.tokenPath}: ${errorMessage(error)}`,
      { cause: error },
    );
  }
}

/**
 * Connects to the daemon's socket within `timeoutMs`.
 *
 * @throws {DaemonNotRunningError} when nothing listens there.
 * @throws {TimeoutError} when connecting takes longer.
 * @throws {ClientError} `CONNECT_FAILED` for anything else.
 */
export async function openSocket(path: string, timeoutMs: number): Promise<Deno.UnixConn> {
  const connecting = Deno.connect({ transport: "unix", path });
  try {
    return await withDeadline(
      connecting,
      timeoutMs,
      () => new TimeoutError(`Connecting to ${path} timed out after ${timeoutMs} ms`),
      scheduleWhilePending,
    );
  } catch (error) {
    connecting.then((conn) => conn.close(), () => {});
    if (
      error instanceof Deno.errors.NotFound || error instanceof Deno.errors.ConnectionRefused
    ) {
      throw new DaemonNotRunningError(
        `The daemon is not running: nothing listens on ${path} (start it: claude-ntfy daemon start)`,
        { cause: error },
      );
    }
    if (error instanceof ClientError) throw error;
    throw new ClientError(
      "CONNECT_FAILED",
      `Cannot connect to ${path}: ${errorMessage(error)}`,
      { cause: error },
    );
  }
}
