/**
 * Hands a resolved task over. In order: to the daemon over the socket; if that fails, into
 * the spool folder (atomically, then the daemon is started in the background unless
 * autostart is off); with `--no-daemon` or `daemon.enabled = false`, straight to ntfy.
 * Shared by `hook` and `test`.
 *
 * @module
 */

import type { NotificationTask } from "../protocol/mod.ts";
import type { CliContext } from "./context.ts";
import { submitOnce } from "../client/request_once.ts";
import { daemonConnectOptions } from "./daemon_connect_options.ts";
import {
  ClientError,
  ConnectionClosedError,
  DaemonNotRunningError,
  RemoteError,
  TimeoutError,
} from "../client/errors.ts";
import { writeSpoolFile } from "../core/spool/write_spool_file.ts";
import { spawnDetachedDaemon } from "./daemon_launch.ts";
import { errorMessage } from "../protocol/error_message.ts";

/** How a task left this process. */
export interface SubmitOutcome {
  /**
   * `daemon`: queued by the daemon; `spool`: written to the spool folder for the daemon to
   * pick up; `direct`: published by this process.
   */
  readonly via: "daemon" | "spool" | "direct";
  /** The daemon's task id, the spool file, or ntfy's message id. */
  readonly id: string;
  /** Why the daemon did not take it, when it did not. */
  readonly fallbackReason?: string;
  /** Whether a daemon was started in the background. */
  readonly startedDaemon?: boolean;
  /** Whether the daemon was found not running. */
  readonly daemonNotRunning?: boolean;
}

/** Options for {@linkcode submitTask}. */
export interface SubmitOptions {
  /** Skip the daemon and publish directly. */
  readonly noDaemon?: boolean;
  /** Give up on the daemon's answer after this long. @default {5000} */
  readonly requestTimeoutMs?: number;
  /** Whether to start a missing daemon; default from config and `CLAUDE_NTFY_AUTOSTART`. */
  readonly autostart?: boolean;
}

/**
 * Publishes directly, loading the publisher only when needed (it is off the hot path). A
 * clear or delete that sequence ids rule out is done without a request, with id `""`.
 */
export async function publishDirectly(task: NotificationTask): Promise<string> {
  const { publishWithSequences, SequenceSupport } = await import(
    "../core/ntfy/sequence_support.ts"
  );
  return (await publishWithSequences(task, { support: new SequenceSupport() })).id;
}

/** Failures after which the task is spooled rather than lost. */
function shouldSpool(error: unknown): boolean {
  if (
    error instanceof DaemonNotRunningError || error instanceof TimeoutError ||
    error instanceof ConnectionClosedError
  ) {
    return true;
  }
  if (error instanceof RemoteError) return error.retryable;
  // A socket we may not open, a token we cannot read: the spool still works.
  return error instanceof ClientError;
}

function viaDaemon(
  task: NotificationTask,
  context: CliContext,
  options: SubmitOptions,
): Promise<string> {
  const overrides = options.requestTimeoutMs === undefined
    ? {}
    : { requestTimeoutMs: options.requestTimeoutMs };
  return submitOnce(daemonConnectOptions(context.paths, "hook", overrides), task);
}

/**
 * Submits the task to the daemon; when the daemon cannot take it, spools it and starts the
 * daemon. Publishes directly only when the daemon is disabled or not wanted.
 *
 * @throws whatever the daemon or ntfy answered when no path worked (e.g. an invalid task).
 */
export async function submitTask(
  task: NotificationTask,
  context: CliContext,
  options: SubmitOptions = {},
): Promise<SubmitOutcome> {
  if (options.noDaemon || !context.config.daemon.enabled) {
    return { via: "direct", id: await publishDirectly(task) };
  }
  try {
    return { via: "daemon", id: await viaDaemon(task, context, options) };
  } catch (error) {
    if (!shouldSpool(error)) throw error;
    const file = await writeSpoolFile(context.paths.spoolDir, task);
    const notRunning = error instanceof DaemonNotRunningError;
    const autostart = options.autostart ?? context.config.daemon.autostart;
    let startedDaemon = false;
    if (notRunning && autostart) {
      spawnDetachedDaemon(context);
      startedDaemon = true;
    }
    return {
      via: "spool",
      id: file,
      fallbackReason: errorMessage(error),
      startedDaemon,
      daemonNotRunning: notRunning,
    };
  }
}
