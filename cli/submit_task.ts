/**
 * Hands a resolved task over: to the daemon when it runs, else straight to ntfy.
 * Shared by `hook` and `test`.
 *
 * @module
 */

import type { NotificationTask } from "../protocol/mod.ts";
import type { CliContext } from "./context.ts";
import { connect } from "./client/client.ts";
import { DaemonNotRunningError } from "./client/errors.ts";

/** How a task left this process. */
export interface SubmitOutcome {
  /** `daemon`: queued by the daemon; `direct`: published by this process. */
  readonly via: "daemon" | "direct";
  /** The daemon's task id, or ntfy's message id for a direct publish. */
  readonly id: string;
  /** Why the daemon was not used, when it was not. */
  readonly fallbackReason?: string;
}

/** Options for {@linkcode submitTask}. */
export interface SubmitOptions {
  /** Skip the daemon and publish directly. */
  readonly noDaemon?: boolean;
  /** Give up on the daemon's answer after this long. @default {5000} */
  readonly requestTimeoutMs?: number;
}

/** Publishes directly, loading the publisher only when needed (it is off the hot path). */
export async function publishDirectly(task: NotificationTask): Promise<string> {
  const { publish } = await import("../daemon/ntfy/publisher.ts");
  return (await publish(task)).id;
}

/**
 * Submits the task to the daemon, or publishes it directly when the daemon is disabled,
 * not wanted, or not running.
 *
 * @throws whatever the daemon or ntfy answered when neither path worked.
 */
export async function submitTask(
  task: NotificationTask,
  context: CliContext,
  options: SubmitOptions = {},
): Promise<SubmitOutcome> {
  if (options.noDaemon || !context.config.daemon.enabled) {
    return { via: "direct", id: await publishDirectly(task) };
  }
  let client;
  try {
    client = await connect({
      socketPath: context.paths.socketPath,
      tokenPath: context.paths.tokenPath,
      connectTimeoutMs: 1_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
      clientName: "claude-ntfy-hook",
    });
  } catch (error) {
    if (!(error instanceof DaemonNotRunningError)) throw error;
    return {
      via: "direct",
      id: await publishDirectly(task),
      fallbackReason: error.message,
    };
  }
  try {
    return { via: "daemon", id: await client.submit(task) };
  } finally {
    await client.close();
  }
}
