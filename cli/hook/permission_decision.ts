/**
 * The hook's side of an approval: for a `PermissionRequest` it tells the daemon how long it
 * will wait, waits for the answer, and prints the phone's decision in the form Claude Code
 * reads. Anything short of a decision (no answer in time, answered at the terminal, the
 * daemon unreachable, restarting or answering oddly) prints nothing: Claude Code then
 * shows its own prompt, or denies in `-p` mode. Never "allow" by default.
 *
 * @module
 */

import type { PermissionDecision } from "../../protocol/mod.ts";
import type { DaemonPaths } from "../../client/paths.ts";
import { connect, type DaemonClient } from "../../client/client.ts";
import { RemoteError } from "../../client/errors.ts";
import { type CliIo, ExitCode } from "../io.ts";
import { type HookJob, whenDaemonFailed } from "./hook_fallback.ts";
import { oneLine } from "./one_line.ts";

/**
 * How long the hook waits for a decision, in milliseconds: longer than the longest
 * `approval.timeout_secs` (3600), since the daemon answers by then. Claude Code's own
 * `timeout` for the hook (written by `init --install-hooks`) usually ends it first.
 */
export const DECISION_WAIT_MS = 3_605_000;

/** Extra time for the daemon's answer to arrive after its own deadline. */
const ANSWER_GRACE_MS = 5_000;

/**
 * What a `PermissionRequest` hook prints for Claude Code: one line of JSON.
 *
 * @example
 * ```ts
 * import { permissionDecisionOutput } from "./permission_decision.ts";
 *
 * console.log(permissionDecisionOutput({ behavior: "allow" }).trim());
 * // {"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow"}}}
 * ```
 */
export function permissionDecisionOutput(decision: PermissionDecision): string {
  const output = {
    hookSpecificOutput: {
      hookEventName: "PermissionRequest",
      decision: {
        behavior: decision.behavior,
        ...(decision.message === undefined ? {} : { message: decision.message }),
        ...(decision.updatedPermissions === undefined
          ? {}
          : { updatedPermissions: decision.updatedPermissions }),
      },
    },
  };
  return `${JSON.stringify(output)}\n`;
}

function say(io: CliIo, text: string): void {
  io.stderr(`claude-ntfy hook: ${text}\n`);
}

/**
 * Hands a `PermissionRequest` to the daemon and waits for its decision, then prints it.
 *
 * When the daemon cannot take the event (not running, outdated, refusing it) this is the
 * usual fallback: spooled or reported, with no decision. When the connection drops or the
 * wait runs out after the daemon took the event, nothing is spooled (the notification
 * would go out twice) and nothing is printed.
 *
 * @param job The hook run.
 * @param paths The daemon to ask.
 * @returns The exit code: 0 unless the event itself was refused.
 */
export async function askForDecision(job: HookJob, paths: DaemonPaths): Promise<number> {
  const { io, flags } = job;
  let client: DaemonClient;
  try {
    client = await connect({
      socketPath: paths.socketPath,
      tokenPath: paths.tokenPath,
      connectTimeoutMs: 1_000,
      requestTimeoutMs: DECISION_WAIT_MS + ANSWER_GRACE_MS,
      clientName: "claude-ntfy-hook",
    });
  } catch (error) {
    return await whenDaemonFailed(job, paths, error);
  }
  let answer;
  try {
    answer = await client.event(job.payload, { ...job.context, decisionWaitMs: DECISION_WAIT_MS });
  } catch (error) {
    // A refusal: the daemon did not take the event, so the usual fallback applies.
    if (error instanceof RemoteError) return await whenDaemonFailed(job, paths, error);
    if (flags.verbose) say(io, `no decision: ${oneLine(error)}`);
    return ExitCode.Ok;
  } finally {
    await client.close();
  }
  if (flags.verbose) {
    say(
      io,
      answer.skipped !== undefined
        ? `skipped: ${oneLine(answer.skipped)}`
        : `queued by the daemon as ${answer.taskId}; ${
          answer.decision === undefined ? "no decision" : `decision: ${answer.decision.behavior}`
        }`,
    );
  }
  if (answer.decision !== undefined) io.stdout(permissionDecisionOutput(answer.decision));
  return ExitCode.Ok;
}
