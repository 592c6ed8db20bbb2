/**
 * The daemon's side of a raw hook event: let the session tracker see it (which may make
 * notifications held or sent for its session pointless: those are cancelled, or cleared
 * on the phone), resolve it with the event's configuration and what is known of its
 * session, then queue the task it calls for (or hand a permission request whose hook waits
 * to the approval desk), or say why there is none. The hook's input and config errors
 * become typed answers the hook can print.
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
import {
  type ConfigForEvent,
  type HookEventResolution,
  type ParsedHookEvent,
  parseHookEvent,
  resolveParsedEvent,
} from "../core/events/resolve_hook_event.ts";
import { TemplateError } from "../core/templates/template_error.ts";
import { DaemonError } from "./errors.ts";
import type { Logger } from "./log.ts";
import type { SessionTracker, TrackedNotification } from "./sessions/session_tracker.ts";
import type { SessionSignal } from "../core/events/session_signal.ts";
import { errorMessage } from "../protocol/error_message.ts";
import type { TakenEvents } from "./taken_events.ts";

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
  /** Told the notification's task id once it is queued (an approval then waits). */
  readonly onSent?: (taskId: string) => void;
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
  /** The sessions; without them every event is resolved on its own. */
  readonly sessions?: SessionTracker;
  /**
   * Cancels a task that has not been sent; resolves false when it is too late (sent, being
   * sent, or gone). Needed with `sessions`.
   */
  cancelTask?(id: string): Promise<boolean>;
  /** The daemon's clock, in ms since the epoch. @default {Date.now} */
  readonly now?: () => number;
  /** Sees every event taken in, sent or skipped (approvals end when a session moves on). */
  readonly observe?: (event: HookEvent) => void;
  /**
   * The event ids taken in lately: an event whose id is there is a duplicate (the hook
   * spooled a copy it could not tell the daemon had). Without it every copy is taken in.
   */
  readonly taken?: TakenEvents;
  /**
   * Sends an event's notification in place of `acceptTask` and waits for a decision, when
   * it applies (a permission request whose hook waits, approvals on); resolves with
   * `undefined` when it does not, and the task goes to `acceptTask`. Calls `toSend.onSent`
   * with the notification's task id once it is queued, before the wait.
   */
  readonly approve?: (
    toSend: EventToSend,
  ) => Promise<{ readonly taskId: string; readonly decision?: PermissionDecision } | undefined>;
}

/**
 * The most of its hold a notification keeps when its event is taken in late (spooled
 * while the daemon started): long enough for the events after it, taken in right behind
 * it, to cancel it.
 */
export const LATE_HOLD_MS = 1_000;

/**
 * Resolves a raw event and queues its notification. With `intake.sessions`, events of one
 * session are taken one at a time, in order: the notifications the event makes pointless
 * are cancelled first (a sent one with a sequence id gets a `clear` task), and a
 * notification that would be a second buzz for what the session already notified is
 * skipped as merged. A permission request the approval desk takes is sent at once, never
 * held, cancelled or merged; its wait for the answer runs outside the session's turn, so
 * that the events showing it was answered at the terminal get in.
 *
 * @param payload The hook's stdin.
 * @param context The hook's context.
 * @param intake The daemon's configuration and queue.
 * @param taskId The id to queue the task under (spooled events keep their file's name).
 * @returns The queued task's id (with the phone's decision, when one was asked for and
 * given), or why nothing was queued.
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
  const parsed = asDaemonError(() => parseHookEvent(payload, context));
  const { eventId } = context;
  if (eventId !== undefined && intake.taken !== undefined) {
    if (!intake.taken.claim(eventId)) {
      intake.log.debug("event skipped", { reason: "duplicate", eventId });
      return { skipped: `a duplicate: event ${eventId} was taken in already` };
    }
    try {
      return await takeOnce(parsed, context, intake, taskId);
    } catch (error) {
      // Not taken after all: another copy of it may be.
      intake.taken.release(eventId);
      throw error;
    }
  }
  return await takeOnce(parsed, context, intake, taskId);
}

/** Takes an event in: in its session's turn, when there are sessions. */
async function takeOnce(
  parsed: ParsedHookEvent,
  context: HookContext,
  intake: EventIntake,
  taskId: string | undefined,
): Promise<EventOutcome> {
  const { sessions } = intake;
  const sessionId = parsed.event.payload.session_id;
  const step = sessions === undefined
    ? await takeParsed(parsed, context, intake, taskId)
    : await sessions.serialize(
      typeof sessionId === "string" && sessionId !== "" ? sessionId : undefined,
      () => takeParsed(parsed, context, intake, taskId),
    );
  // An approval's wait is outside the session's turn: the events that end it must get in.
  return "answer" in step ? await step.answer : step;
}

/** An event's outcome, or, for an approval that was sent, the wait for its answer. */
type Step = EventOutcome | { readonly answer: Promise<EventOutcome> };

/** Runs `step`, turning input, config and template errors into the daemon's answers. */
function asDaemonError<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof HookInputError) {
      throw new DaemonError(error.code, error.message, false, { cause: error });
    }
    if (error instanceof ConfigError || error instanceof TemplateError) {
      throw new DaemonError(ErrorCode.ConfigInvalid, error.message, false, { cause: error });
    }
    throw error;
  }
}

async function takeParsed(
  parsed: ParsedHookEvent,
  context: HookContext,
  intake: EventIntake,
  taskId: string | undefined,
): Promise<Step> {
  const at = context.receivedAt;
  const observation = intake.sessions?.observe(parsed.event, {
    at,
    ...(parsed.projectDir === undefined ? {} : { projectDir: parsed.projectDir }),
  });
  const ended = observation === undefined || observation.ended.length === 0
    ? ""
    : await endNotifications(observation.ended, parsed.event, at, intake);
  const resolved: HookEventResolution = asDaemonError(() =>
    resolveParsedEvent(parsed, context, intake.configFor, observation?.session)
  );
  const { event, resolution, configWarnings } = resolved;
  for (const warning of configWarnings) intake.log.warn("config", { warning });
  intake.observe?.(event);
  if (resolution.kind === "skip") {
    intake.log.debug("event skipped", { event: event.name, reason: resolution.reason });
    return { skipped: `${resolution.reason}${ended}` };
  }
  for (const warning of resolution.warnings) {
    intake.log.warn("template", { event: event.name, warning });
  }
  const approval = await startApproval(
    { event, task: resolution.task, config: resolved.config },
    intake,
  );
  if (approval !== undefined) {
    // The desk sent it at once and clears it itself: activity in the session neither
    // cancels nor clears it, but the dialog's own Notification would be a second buzz.
    track(observation?.signal, intake, {
      taskId: approval.taskId,
      target: resolution.task.target,
      approval: true,
      at,
    });
    return { answer: approval.answer };
  }
  if (observation?.duplicateOf !== undefined) {
    const reason = `merged: ${observation.duplicateOf}`;
    intake.log.debug("event merged", { event: event.name, reason });
    return { skipped: `${reason}${ended}` };
  }
  const task = holdFromNow(resolution.task, context.receivedAt, intake.now?.() ?? Date.now());
  const id = await intake.acceptTask(task, taskId);
  track(observation?.signal, intake, {
    taskId: id,
    ...(task.message.sequenceId === undefined ? {} : { sequenceId: task.message.sequenceId }),
    target: task.target,
    at,
  });
  return { taskId: id };
}

/** Remembers a notification of the event's session, with what the session waits for. */
function track(
  signal: SessionSignal | undefined,
  intake: EventIntake,
  notification: Omit<TrackedNotification, "kind" | "toolCall">,
): void {
  if (signal?.sessionId === undefined) return;
  intake.sessions?.track(signal.sessionId, {
    ...notification,
    ...(signal.waits === undefined ? {} : { kind: signal.waits }),
    ...(signal.waits === "permission" && signal.toolCall !== undefined
      ? { toolCall: signal.toolCall }
      : {}),
  });
}

/**
 * Hands the event to the approval desk, if there is one, until its notification is sent:
 * resolves with the notification's id and the wait for the answer, or `undefined` when
 * approvals do not apply (nothing was sent; the event goes on as any other).
 */
async function startApproval(
  toSend: EventToSend,
  intake: EventIntake,
): Promise<{ readonly taskId: string; readonly answer: Promise<EventOutcome> } | undefined> {
  if (intake.approve === undefined) return undefined;
  let onSent!: (taskId: string) => void;
  const sent = new Promise<string>((resolve) => onSent = resolve);
  const answer = intake.approve({ ...toSend, onSent });
  const first = await Promise.race([
    sent.then((taskId) => ({ taskId })),
    answer.then((outcome) => ({ outcome })),
  ]);
  if ("taskId" in first) {
    const taskId = first.taskId;
    return { taskId, answer: answer.then((outcome) => outcome ?? { taskId }) };
  }
  const outcome = first.outcome;
  // An `approve` that does not report sending (a test double) answers in one step.
  return outcome === undefined
    ? undefined
    : { taskId: outcome.taskId, answer: Promise.resolve(outcome) };
}

/**
 * Cancels the held notifications `event` made pointless and asks ntfy to clear those
 * already sent (once per sequence id). A failure here is logged, never the event's.
 * Returns a note for the event's answer.
 */
async function endNotifications(
  ended: readonly TrackedNotification[],
  event: HookEvent,
  at: number,
  intake: EventIntake,
): Promise<string> {
  let cancelled = 0;
  const cleared = new Set<string>();
  for (const notification of ended) {
    // An approval's notification is the desk's to end: it watches the session too.
    if (notification.approval) continue;
    try {
      if (await intake.cancelTask?.(notification.taskId)) {
        cancelled += 1;
        continue;
      }
      const sequenceId = notification.sequenceId;
      if (sequenceId === undefined || cleared.has(sequenceId)) continue;
      cleared.add(sequenceId);
      await intake.acceptTask(clearTask(notification, event, at));
    } catch (error) {
      intake.log.warn("cannot end a pointless notification", {
        id: notification.taskId,
        error: errorMessage(error),
      });
    }
  }
  if (cancelled + cleared.size > 0) {
    intake.log.debug("session active: notifications ended", {
      event: event.name,
      cancelled,
      cleared: cleared.size,
    });
  }
  const parts = [
    cancelled === 0 ? "" : `cancelled ${cancelled} held notification${cancelled > 1 ? "s" : ""}`,
    cleared.size === 0 ? "" : `cleared ${cleared.size} sent one${cleared.size > 1 ? "s" : ""}`,
  ].filter(Boolean);
  return parts.length === 0 ? "" : ` (${parts.join(", ")}: the session is active)`;
}

/**
 * A held task taken in after its event (from the spool, say) still holds, counted from
 * now, up to {@linkcode LATE_HOLD_MS}: the hold ending before the daemon saw what came
 * after the event would send what that made pointless.
 */
function holdFromNow(task: NotificationTask, eventAt: number, now: number): NotificationTask {
  if (task.notBefore === undefined) return task;
  const hold = Math.min(task.notBefore - eventAt, LATE_HOLD_MS);
  return now + hold > task.notBefore ? { ...task, notBefore: now + hold } : task;
}

/** The task that clears a sent notification on the phone, by its sequence id. */
function clearTask(notification: TrackedNotification, event: HookEvent, at: number) {
  const sessionId = event.payload.session_id;
  const task: NotificationTask = {
    target: notification.target,
    message: { body: "", sequenceId: notification.sequenceId },
    origin: {
      event: event.name,
      ...(typeof sessionId === "string" ? { sessionId } : {}),
      createdAt: at,
    },
    operation: "clear",
  };
  return task;
}
