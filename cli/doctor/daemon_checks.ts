/**
 * `doctor`'s checks of the daemon: it answers (or why not), and its folder, socket and
 * token are private.
 *
 * @module
 */

import type { CliContext } from "../context.ts";
import { connectDaemon } from "../connect_daemon.ts";
import { DaemonNotRunningError, RemoteError } from "../../client/errors.ts";
import { dirname } from "../../client/paths.ts";
import { ErrorCode, PROTOCOL_VERSION } from "../../protocol/mod.ts";
import { errorMessage } from "../../protocol/error_message.ts";
import { check, type DoctorCheck } from "../install/doctor_check.ts";
import { countSpoolFiles } from "../../core/spool/spool_files.ts";
import { modeOf, octal } from "./_files.ts";

/** `doctor`'s line for a daemon that refused or failed a request. */
function daemonFailure(context: CliContext, error: unknown): DoctorCheck {
  if (error instanceof RemoteError && error.code === ErrorCode.UnsupportedVersion) {
    return check(
      "daemon",
      "fail",
      `The running daemon is older than this CLI (it refuses protocol ${PROTOCOL_VERSION}): ` +
        "hooks spool their events until it is replaced",
      { fix: '"claude-ntfy daemon stop", then "claude-ntfy daemon start --detach"' },
    );
  }
  return check("daemon", "fail", `Daemon does not answer: ${errorMessage(error)}`, {
    fix:
      `"claude-ntfy daemon stop", then "claude-ntfy daemon start --detach"; see ${context.paths.logPath}`,
  });
}

/** The daemon answers a ping and a status request; warns about failed deliveries. */
export async function daemonCheck(context: CliContext): Promise<DoctorCheck> {
  if (!context.config.daemon.enabled) {
    return check(
      "daemon",
      "skip",
      "Daemon not used (daemon.enabled = false): hooks publish directly",
    );
  }
  let client;
  try {
    client = await connectDaemon(context.paths, "doctor");
  } catch (error) {
    if (error instanceof DaemonNotRunningError) {
      const waiting = countSpoolFiles(context.paths.spoolDir);
      const autostart = context.config.daemon.autostart;
      return check(
        "daemon",
        autostart ? "warn" : "fail",
        autostart
          ? "Daemon not running (the next hook starts it)"
          : "Daemon not running and daemon.autostart is off: hook notifications wait in the spool",
        {
          details: [
            error.message,
            ...(waiting === 0
              ? []
              : [`${waiting} notification(s) wait in ${context.paths.spoolDir}`]),
          ],
          fix: autostart
            ? '"claude-ntfy daemon start --detach" to start it now'
            : '"claude-ntfy daemon start --detach", or "claude-ntfy config set daemon.autostart true"',
        },
      );
    }
    return daemonFailure(context, error);
  }
  try {
    const roundTrip = await client.ping();
    const status = await client.status();
    const title = `Daemon running: pid ${client.daemon.pid}, version ${client.daemon.version}, ` +
      `ping ${roundTrip.toFixed(1)} ms`;
    const details = [
      `socket ${context.paths.socketPath}`,
      `delivered ${status.delivered}, failed ${status.failed}, dead ${status.dead}, queued ${status.queueSize}`,
    ];
    if (status.failed > 0 || status.dead > 0) {
      return check("daemon", "warn", `${title}; some deliveries failed`, {
        details,
        fix: `see ${context.paths.logPath}; "claude-ntfy doctor --send" tests the server`,
      });
    }
    return check("daemon", "ok", title, { details });
  } catch (error) {
    return daemonFailure(context, error);
  } finally {
    await client.close();
  }
}

/** The state folder, the socket's folder, the socket and the token file are private. */
export function permissionCheck(context: CliContext): DoctorCheck {
  const { stateDir, socketPath, tokenPath } = context.paths;
  const dirMode = modeOf(stateDir);
  if (dirMode === undefined) {
    return check("permissions", "ok", `State folder not created yet (${stateDir})`);
  }
  const problems: string[] = [];
  const fixes: string[] = [];
  const want = (path: string, mode: number | undefined, wanted: number) => {
    if (mode !== undefined && (mode & 0o077) !== 0) {
      problems.push(`${path} is ${octal(mode)}, should be ${octal(wanted)}`);
      fixes.push(`chmod ${wanted.toString(8)} "${path}"`);
    }
  };
  want(stateDir, dirMode, 0o700);
  const socketDir = dirname(socketPath);
  if (socketDir !== stateDir) want(socketDir, modeOf(socketDir), 0o700);
  want(socketPath, modeOf(socketPath), 0o600);
  want(tokenPath, modeOf(tokenPath), 0o600);
  if (problems.length > 0) {
    return check("permissions", "warn", "Daemon files are open to other users", {
      details: problems,
      fix: fixes.join("; "),
    });
  }
  return check("permissions", "ok", `State folder, socket and token are private (${stateDir})`);
}
