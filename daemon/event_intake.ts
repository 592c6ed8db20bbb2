/**
 * The daemon's side of a raw hook event: resolve it with the event's configuration, then
 * queue the task it calls for, or say why there is none. The hook's input and config
 * errors become typed answers the hook can print.
 *
 * @module
 */

import {
  ErrorCode,
  type HookContext,
  type NotificationTask,
  type PermissionDecision,
} from "../protocol/mod.ts";
import type { Config } from "../core/config/config.ts";
import { ConfigError } from "../core/config/config_error.ts";
import type { HookEvent } from "../core/events/hook_event.ts";
import { HookInputError } from "../core/events/hook_input_error.ts";
import { type ConfigForEvent, resolveHookEvent } from "../core/events/resolve_hook_event.ts";
import { TemplateError } from "../core/templates/template_error.ts";
import { DaemonError } from "./errors.ts";
import type { Logger } from "./log.ts";

/** What became of an event, and the phone's decision when one was asked for and given. */
export type EventOutcome =
  | { readonly taskId: string; readonly decision?: PermissionDecision }
  | { readonly skipped: string };

/** A resolved event with a notification to send. */
export interface EventToSend {
  /** The event. */
  readonly event: HookEvent;
  /** Its notification. */
  readonly task: NotificationTask;
  /** The configuration it resolved with. */
  readonly config: Config;
}

/** Resolves a raw event and queues its task (see {@linkcode takeEvent}), bound to a daemon. */
export type TakeEvent = (
  payload: Uint8Array,
  context: HookContext,
  taskId?: string,
) => Promise<EventOutcome>;

/** What {@linkcode takeEvent} needs from the daemon. */
export interface EventIntake {
  /** The configuration for an event (see `EventConfigCache`). */
  readonly configFor: ConfigForEvent;
  /** Checks, journals and queues a task; resolves with its id. */
  acceptTask(task: NotificationTask, id?: string): Promise<string>;
  /** Where config warnings and skips are logged. */
  readonly log: Logger;
  /** Sees every event taken in, sent or skipped (approvals end when a session moves on). */
  readonly observe?: (event: HookEvent) => void;
  /**
   * Sends an event's notification in place of `acceptTask` and waits for a decision, when
   * it applies (a permission request whose hook waits, approvals on); resolves with
   * `undefined` when it does not, and the task goes to `acceptTask`.
   */
  readonly approve?: (
    toSend: EventToSend,
  ) => Promise<{ readonly taskId: string; readonly decision?: PermissionDecision } | undefined>;
}

/**
 * Resolves a raw event and queues its notification.
 *
 * @param payload The hook's stdin.
 * @param context The hook's context.
 * @param intake The daemon's configuration and queue.
 * @param taskId The id to queue the task under (spooled events keep their file's name).
 * @returns The queued task's id, or why nothing was queued.
 * @throws {DaemonError} with the input error's code (`INVALID_JSON`, …) for a payload that
 * is no hook event, `CONFIG_INVALID` for a configuration that cannot be used, and whatever
 * `acceptTask` throws (`QUEUE_FULL`, `HOST_NOT_PERMITTED`, …).
 *
 * @example A skipped event
 * ```ts
 * import { takeEvent } from "./event_intake.ts";
 * import { Logger } from "./log.ts";
 * import { loadConfig } from "../core/config/load_config.ts";
 *
 * const outcome = await takeEvent(
 *   new TextEncoder().encode('{"hook_event_name":"PreToolUse","tool_name":"Bash"}'),
 *   { cwd: "/src/app", env: { CLAUDE_NTFY_TOPIC: "alerts" }, receivedAt: 0 },
 *   {
 *     configFor: (projectDir, { env }) =>
 *       loadConfig({ homeDir: "/nowhere", projectDir, env: (n) => env[n], readTextFile: () => null }),
 *     acceptTask: () => Promise.resolve("never"),
 *     log: new Logger({ sink: () => {} }),
 *   },
 * );
 * console.log("skipped" in outcome); // true
 * ```
 */
export async function takeEvent(
  payload: Uint8Array,
  context: HookContext,
  intake: EventIntake,
  taskId?: string,
): Promise<EventOutcome> {
  let resolved;
  try {
    resolved = resolveHookEvent(payload, context, intake.configFor);
  } catch (error) {
    if (error instanceof HookInputError) {
      throw new DaemonError(error.code, error.message, false, { cause: error });
    }
    if (error instanceof ConfigError || error instanceof TemplateError) {
      throw new DaemonError(ErrorCode.ConfigInvalid, error.message, false, { cause: error });
    }
    throw error;
  }
  const { event, resolution, configWarnings } = resolved;
  for (const warning of configWarnings) intake.log.warn("config", { warning });
  intake.observe?.(event);
  if (resolution.kind === "skip") {
    intake.log.debug("event skipped", { event: event.name, reason: resolution.reason });
    return { skipped: resolution.reason };
  }
  for (const warning of resolution.warnings) {
    intake.log.warn("template", { event: event.name, warning });
  }
  const approved = await intake.approve?.({
    event,
    task: resolution.task,
    config: resolved.config,
  });
  if (approved !== undefined) return approved;
  return { taskId: await intake.acceptTask(resolution.task, taskId) };
}
