/**
 * The hook's slow paths, loaded only when needed: `--dry-run` and `--no-daemon` resolve the
 * event in this process; a daemon that cannot take the event gets it spooled as a raw
 * event (started, or replaced when it speaks an older protocol); a daemon's refusal
 * becomes one line on stderr.
 *
 * @module
 */

import {
  ErrorCode,
  type HookContext,
  type NotificationTask,
  ProtocolError,
} from "../../protocol/mod.ts";
import type { DaemonPaths } from "../../client/paths.ts";
import { requestOnce } from "../../client/request_once.ts";
import { daemonConnectOptions } from "../daemon_connect_options.ts";
import { ClientError, DaemonNotRunningError, RemoteError } from "../../client/errors.ts";
import { HookInputError, HookInputErrorCode } from "../../core/events/hook_input_error.ts";
import {
  type HookEventResolution,
  resolveHookEvent,
} from "../../core/events/resolve_hook_event.ts";
import { describeTask } from "../../core/events/describe_task.ts";
import { sessionSignal } from "../../core/events/session_signal.ts";
import { writeSpoolEvent } from "../../core/spool/write_spool_file.ts";
import { type CliContext, resolveContext } from "../context.ts";
import { spawnDetachedDaemon } from "../daemon_launch.ts";
import { publishDirectly } from "../submit_task.ts";
import { type CliIo, ExitCode } from "../io.ts";
import type { HookFlags } from "./hook_flags.ts";
import { errorLine, oneLine } from "./one_line.ts";

/** One run of the hook: its I/O, flags, and the event with its context. */
export interface HookJob {
  /** The command's I/O. */
  readonly io: CliIo;
  /** The hook's flags. */
  readonly flags: HookFlags;
  /** The event as read from stdin. */
  readonly payload: Uint8Array;
  /** What the hook knows (as it would be sent to the daemon). */
  readonly context: HookContext;
  /** The project the hook chose. */
  readonly projectDir: string | undefined;
}

const INPUT_CODES: ReadonlySet<string> = new Set(Object.values(HookInputErrorCode));

/**
 * The deadlines of the one retry to a socket the config names: short, since the hook has
 * already waited for the first daemon and Claude Code kills it at its timeout.
 */
export const CONFIG_SOCKET_RETRY = { connectTimeoutMs: 500, requestTimeoutMs: 1_500 } as const;

/** Codes that mean the daemon predates the `event` request. */
const OUTDATED_CODES: ReadonlySet<string> = new Set([
  ErrorCode.UnsupportedVersion,
  ErrorCode.UnknownType,
]);

/**
 * Whether `error` is one of the ways reaching the daemon fails: the client's errors (not
 * running, a timeout, a dropped connection, a refusal) and the system's (`Deno.errors`).
 */
function isExpectedFailure(error: unknown): boolean {
  return error instanceof ClientError || error instanceof ProtocolError ||
    Object.values(Deno.errors).some((kind) => error instanceof kind);
}

function say(io: CliIo, text: string): void {
  io.stderr(`claude-ntfy hook: ${text}\n`);
}

function loadContext(job: HookJob): CliContext {
  return resolveContext(job.io, { projectDir: job.projectDir, stateDir: job.flags["state-dir"] });
}

/** Resolves the event here, with the configuration this process loaded. */
function resolveWith(job: HookJob, context: CliContext): HookEventResolution {
  return resolveHookEvent(job.payload, job.context, () => ({
    config: context.config,
    warnings: [...context.warnings],
    files: [...context.configFiles],
  }));
}

/** Reports a skip (when asked) and returns the task to send, if any. */
function taskToSend(job: HookJob, resolved: HookEventResolution): NotificationTask | undefined {
  const { io, flags } = job;
  for (const warning of resolved.configWarnings) say(io, oneLine(warning));
  const { resolution, event } = resolved;
  if (resolution.kind === "skip") {
    if (flags.verbose || flags["dry-run"]) {
      say(io, `${event.name} skipped: ${oneLine(resolution.reason)}`);
    }
    return undefined;
  }
  for (const warning of resolution.warnings) say(io, oneLine(warning));
  return resolution.task;
}

/**
 * `--dry-run` (print the task) and `--no-daemon` (publish it from this process).
 *
 * @param job The hook run.
 * @returns The exit code.
 * @throws {HookInputError} for a payload that is no hook event, {ConfigError} for an
 * invalid configuration, `NtfyError` when publishing fails.
 */
export async function resolveHere(job: HookJob): Promise<number> {
  const task = taskToSend(job, resolveWith(job, loadContext(job)));
  if (task === undefined) return ExitCode.Ok;
  if (job.flags["dry-run"]) {
    job.io.stdout(describeTask(task));
    return ExitCode.Ok;
  }
  const id = await publishDirectly(task);
  if (job.flags.verbose) say(job.io, `published as ${id}`);
  return ExitCode.Ok;
}

/** Whether the daemon's session tracking needs the event (see `sessionSignal`). */
function mattersToSessions(resolved: HookEventResolution): boolean {
  const signal = sessionSignal(resolved.event);
  return signal.sessionId !== undefined &&
    (signal.activity || signal.waits !== undefined || signal.toolOutcome);
}

/** Whether the event may still reach a daemon later: anything but a refusal of the event itself. */
function worthSpooling(error: unknown): boolean {
  if (!(error instanceof RemoteError)) return true;
  return error.retryable || error.code === ErrorCode.Unauthorized || OUTDATED_CODES.has(error.code);
}

/**
 * What the hook does when the daemon did not take the event: a refusal of the event (bad
 * input, an invalid config, a host it may not reach) is reported; otherwise the event is
 * checked here and spooled raw for the daemon, which is started (or, when it is too old,
 * replaced) unless autostart is off. With `daemon.enabled = false` it is published here.
 *
 * @param job The hook run.
 * @param paths The daemon the hook tried.
 * @param error Why that failed.
 * @returns The exit code.
 */
export async function whenDaemonFailed(
  job: HookJob,
  paths: DaemonPaths,
  error: unknown,
): Promise<number> {
  const { io, flags } = job;
  if (!worthSpooling(error)) {
    const remote = error as RemoteError;
    const kind = INPUT_CODES.has(remote.code) ? "bad input" : "not sent";
    say(io, `${kind}: ${errorLine(remote)}`);
    return ExitCode.Error;
  }
  const outdated = error instanceof RemoteError && OUTDATED_CODES.has(error.code);
  let context: CliContext;
  try {
    context = loadContext(job);
    if (!outdated && context.paths.socketPath !== paths.socketPath) {
      // The config names another socket: the fast path could not know it.
      const answer = await requestOnce(
        daemonConnectOptions(context.paths, "hook", CONFIG_SOCKET_RETRY),
        { type: "event", payload: job.payload, context: job.context },
      ).catch(() => undefined);
      if (answer?.type === "ok") {
        if (flags.verbose) say(io, answer.skipped ?? `queued by the daemon as ${answer.taskId}`);
        return ExitCode.Ok;
      }
    }
    const resolved = resolveWith(job, context);
    const task = taskToSend(job, resolved);
    // An event that notifies nobody still tells the daemon's sessions that the user is
    // back or Claude waits: it is spooled all the same.
    if (task === undefined && !(context.config.daemon.enabled && mattersToSessions(resolved))) {
      return ExitCode.Ok;
    }
    if (task !== undefined && !context.config.daemon.enabled) {
      const id = await publishDirectly(task);
      if (flags.verbose) say(io, `published as ${id} (daemon.enabled = false)`);
      return ExitCode.Ok;
    }
  } catch (failure) {
    const kind = failure instanceof HookInputError ? "bad input" : "not sent";
    say(io, `${kind}: ${errorLine(failure)}`);
    return ExitCode.Error;
  }
  const file = await writeSpoolEvent(context.paths.spoolDir, job.payload, job.context);
  const notRunning = error instanceof DaemonNotRunningError;
  const autostart = context.config.daemon.autostart;
  const why = oneLine(error);
  if (outdated) {
    // Always said: every event takes this slow path until the daemon is replaced.
    if (autostart) spawnDetachedDaemon(context, { replace: true });
    say(
      io,
      `the running daemon is older than this hook (${why}); the event is spooled ` +
        (autostart
          ? "and a new daemon is replacing it"
          : 'until it restarts: run "claude-ntfy daemon stop && claude-ntfy daemon start --detach"'),
    );
  } else if (notRunning && !autostart) {
    // Safe on disk, but nobody will deliver it until a daemon runs: say so.
    say(
      io,
      `spooled; the daemon is not running and autostart is off: start it with ` +
        `"claude-ntfy daemon start --detach"`,
    );
  } else if (!isExpectedFailure(error)) {
    // Not the daemon's absence or a connection's trouble: a bug, said so that it is seen,
    // though the event is safe in the spool.
    if (notRunning) spawnDetachedDaemon(context);
    say(io, `spooled after an unexpected error (please report it): ${why}`);
  } else {
    if (notRunning) spawnDetachedDaemon(context);
    if (flags.verbose) {
      say(io, `spooled to ${file}${notRunning ? "; starting the daemon" : ""} (${why})`);
    }
  }
  return ExitCode.Ok;
}
