/**
 * The daemon's memory of Claude Code sessions: for each `session_id`, where it is (working,
 * waiting for permission or input, done), its label and last reply, and the notifications
 * it has held or sent since it last showed activity. From that it decides, event by event,
 * which of those notifications the event makes pointless and whether the event's own
 * notification would be a second buzz for the same thing.
 *
 * @module
 */

import type { NtfyTarget } from "../../protocol/mod.ts";
import type { HookEvent } from "../../core/events/hook_event.ts";
import {
  type SessionSignal,
  sessionSignal,
  type SessionState,
  sessionStateAfter,
  type WaitKind,
} from "../../core/events/session_signal.ts";
import {
  describeToolCall,
  type SessionVariables,
} from "../../core/templates/template_variables.ts";
import { labelFromPrompt } from "./session_label.ts";

/** A notification a session has held or sent in its current waiting period. */
export interface TrackedNotification {
  /** The queue's id for it. */
  readonly taskId: string;
  /** What it tells the user the session waits for; `unknown` when that was lost (restart). */
  readonly kind?: WaitKind | "unknown";
  /** Its ntfy sequence id, to clear it on the phone once it is pointless. */
  readonly sequenceId?: string;
  /** Where it went, for the clear. */
  readonly target: NtfyTarget;
  /** The tool call a permission dialog is about. */
  readonly toolCall?: string;
  /** When its event happened (ms since the epoch): older activity does not end it. */
  readonly at: number;
  /**
   * Set for a permission request's approval notification: the approval desk sent it and
   * ends it itself, so activity only forgets it (no cancel, no clear).
   */
  readonly approval?: true;
}

/** What the tracker decided for one event. */
export interface Observation {
  /** The session's variables for the event's templates; none for an event without one. */
  readonly session?: SessionVariables;
  /** Notifications the event makes pointless: cancel them, or clear them if sent. */
  readonly ended: readonly TrackedNotification[];
  /**
   * Why the event's own notification would be a second buzz for what the session already
   * notified in this waiting period, if it would.
   */
  readonly duplicateOf?: string;
  /** The event's session facts. */
  readonly signal: SessionSignal;
}

/** What {@linkcode SessionTracker} is built with. */
export interface SessionTrackerOptions {
  /** Most sessions remembered; the least recently active is forgotten first. @default {1000} */
  readonly maxSessions?: number;
  /** A session idle this long is forgotten. @default {86_400_000 (24 h)} */
  readonly idleMs?: number;
  /** Most notifications remembered per session (the oldest go first). @default {16} */
  readonly maxNotifications?: number;
}

interface Session {
  readonly id: string;
  project?: string;
  label?: string;
  state: SessionState;
  lastMessage?: string;
  pendingTool?: string;
  lastActivity: number;
  notifications: TrackedNotification[];
}

/** A snapshot of one session, for status and tests. */
export interface SessionSnapshot {
  readonly id: string;
  readonly project?: string;
  readonly label?: string;
  readonly state: SessionState;
  readonly lastMessage?: string;
  readonly lastActivity: number;
  /** The ids of the notifications held or sent in its current waiting period. */
  readonly notifications: readonly string[];
}

const EVENT_KINDS: Readonly<Record<string, WaitKind>> = {
  PermissionRequest: "permission",
  Stop: "input",
};

/**
 * Tracks sessions, bounded in memory (least recently active first out) and forgetting
 * idle ones. Its decisions are pure bookkeeping; the caller cancels, clears and queues.
 * Events of one session must be observed one at a time and in order: run each through
 * {@linkcode SessionTracker.serialize}.
 *
 * @example A permission dialog answered at the terminal
 * ```ts
 * import assert from "node:assert/strict";
 * import { SessionTracker } from "./session_tracker.ts";
 *
 * const tracker = new SessionTracker();
 * const target = { serverUrl: "https://ntfy.sh", topic: "t" };
 * const ask = { name: "PermissionRequest", payload: { session_id: "s", tool_name: "Bash", tool_input: { command: "ls" } }, truncated: false };
 * tracker.observe(ask, { at: 1_000 });
 * tracker.track("s", { taskId: "t-1", kind: "permission", target, at: 1_000 });
 * const done = { name: "PostToolUse", payload: { session_id: "s", tool_name: "Bash", tool_input: { command: "ls" } }, truncated: false };
 * assert.deepEqual(tracker.observe(done, { at: 3_000 }).ended.map((n) => n.taskId), ["t-1"]);
 * ```
 */
export class SessionTracker {
  readonly #sessions = new Map<string, Session>();
  readonly #chains = new Map<string, Promise<unknown>>();
  readonly #maxSessions: number;
  readonly #idleMs: number;
  readonly #maxNotifications: number;
  #lastSweep = 0;

  /** Creates an empty tracker. */
  constructor(options: SessionTrackerOptions = {}) {
    this.#maxSessions = options.maxSessions ?? 1000;
    this.#idleMs = options.idleMs ?? 86_400_000;
    this.#maxNotifications = options.maxNotifications ?? 16;
  }

  /** Sessions remembered. */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Runs `work` after every earlier `work` of the same session has settled, so that one
   * session's events are observed, queued and tracked in the order they came. Work for
   * other sessions, and without a session, runs at once.
   */
  serialize<T>(sessionId: string | undefined, work: () => Promise<T>): Promise<T> {
    if (sessionId === undefined) return work();
    const previous = this.#chains.get(sessionId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.then(() => {}, () => {});
    this.#chains.set(sessionId, settled);
    void settled.then(() => {
      if (this.#chains.get(sessionId) === settled) this.#chains.delete(sessionId);
    });
    return run;
  }

  /**
   * Takes in one event of a session: updates its state, and says which of its tracked
   * notifications the event ends and whether the event's own would duplicate one.
   *
   * An event ends a notification when it shows activity in the session (the user sent a
   * prompt or answered at the terminal, Claude went on working) and is not older than the
   * notification. Two exceptions keep a permission dialog's notification: a tool call
   * beside it (parallel tools) starting or ending, and any subagent activity; but the
   * outcome of the dialog's own tool call ends it, whoever ran it.
   *
   * An event that waits for the user duplicates the session's notification of the same
   * kind (permission, input, question) in the same waiting period: a dialog's
   * `Notification` after its `PermissionRequest`, an `idle_prompt` after `Stop`, a
   * repeated `idle_prompt`.
   */
  observe(event: HookEvent, context: { at: number; projectDir?: string }): Observation {
    const signal = sessionSignal(event);
    const { sessionId } = signal;
    this.#sweep(context.at);
    if (sessionId === undefined) return { ended: [], signal };
    const session = this.#touch(sessionId, context.at);
    if (context.projectDir !== undefined) session.project = context.projectDir;

    const ended: TrackedNotification[] = [];
    const kept: TrackedNotification[] = [];
    for (const notification of session.notifications) {
      (this.#ends(signal, notification, context.at) ? ended : kept).push(notification);
    }
    session.notifications = kept;
    this.#update(session, event, signal, context);

    const kind = signal.waits;
    const earlier = kind === undefined
      ? undefined
      : kept.find((notification) => notification.kind === kind || notification.kind === "unknown");
    return {
      session: {
        ...(session.label === undefined ? {} : { label: session.label }),
        state: session.state,
        ...(session.lastMessage === undefined ? {} : { lastMessage: session.lastMessage }),
        ...(session.pendingTool === undefined ? {} : { pendingTool: session.pendingTool }),
      },
      ended,
      ...(earlier === undefined ? {} : {
        duplicateOf: `the session already has a notification for this ${
          kind === "permission" ? "permission dialog" : "wait"
        } (task ${earlier.taskId})`,
      }),
      signal,
    };
  }

  /** Remembers a notification the session held or sent (after the queue took it). */
  track(sessionId: string, notification: TrackedNotification): void {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) return;
    session.notifications.push(notification);
    if (session.notifications.length > this.#maxNotifications) session.notifications.shift();
  }

  /**
   * Takes back the tasks a restart found held in the journal: each becomes a tracked
   * notification of its session again, so that activity can still cancel it. What it
   * waited for is lost for a `Notification`: it counts as any kind. Clears and deletes are
   * left out: they are no notifications.
   */
  adopt(tasks: ReadonlyArray<{ readonly id: string; readonly task: AdoptableTask }>): void {
    for (const { id, task } of tasks) {
      const sessionId = task.origin.sessionId;
      // A held clear or delete (an approval's, against a crash) is no notification of the
      // session's: nothing the session does may cancel it.
      if (sessionId === undefined || (task.operation ?? "publish") !== "publish") continue;
      const at = task.origin.createdAt;
      const session = this.#touch(sessionId, at);
      if (task.origin.project !== undefined) session.project = task.origin.project;
      this.track(sessionId, {
        taskId: id,
        kind: EVENT_KINDS[task.origin.event] ??
          (task.message.sequenceId === undefined ? undefined : "unknown"),
        ...(task.message.sequenceId === undefined ? {} : { sequenceId: task.message.sequenceId }),
        target: task.target,
        at,
      });
    }
  }

  /** One session as tracked, or `undefined`. */
  get(sessionId: string): SessionSnapshot | undefined {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) return undefined;
    return {
      id: session.id,
      ...(session.project === undefined ? {} : { project: session.project }),
      ...(session.label === undefined ? {} : { label: session.label }),
      state: session.state,
      ...(session.lastMessage === undefined ? {} : { lastMessage: session.lastMessage }),
      lastActivity: session.lastActivity,
      notifications: session.notifications.map((notification) => notification.taskId),
    };
  }

  #ends(signal: SessionSignal, notification: TrackedNotification, at: number): boolean {
    if (at < notification.at) return false;
    const ownOutcome = notification.toolCall !== undefined && signal.toolOutcome &&
      signal.toolCall === notification.toolCall;
    if (ownOutcome) return true;
    if (!signal.activity) return false;
    // A tool beside the dialog's own (parallel tool calls) says nothing about the dialog.
    const besideDialog = notification.kind === "permission" &&
      notification.toolCall !== undefined && signal.toolCall !== undefined &&
      signal.toolCall !== notification.toolCall;
    return !besideDialog;
  }

  #update(
    session: Session,
    event: HookEvent,
    signal: SessionSignal,
    context: { at: number; projectDir?: string },
  ): void {
    if (signal.activity || signal.waits !== undefined) session.lastActivity = context.at;
    const next = sessionStateAfter(signal);
    // A permission dialog still open keeps the session waiting while tools beside it run.
    const dialogOpen = session.notifications.some((notification) =>
      notification.kind === "permission"
    );
    if (next !== undefined && !(dialogOpen && next === "working")) session.state = next;
    if (signal.userPrompt !== undefined && session.label === undefined) {
      session.label = labelFromPrompt(signal.userPrompt);
    }
    const reply = event.payload.last_assistant_message;
    if (!signal.subagent && typeof reply === "string" && reply !== "") {
      session.lastMessage = reply;
    }
    const tool = event.payload.tool_name;
    if (!signal.subagent && event.name === "PreToolUse" && typeof tool === "string") {
      session.pendingTool = describeToolCall(
        { tool, input: event.payload.tool_input },
        session.project,
      );
    }
    if (signal.ends && session.notifications.length === 0) this.#sessions.delete(session.id);
  }

  /** The session, made the most recently active; created (evicting the oldest) if new. */
  #touch(sessionId: string, at: number): Session {
    let session = this.#sessions.get(sessionId);
    if (session === undefined) {
      session = { id: sessionId, state: "working", lastActivity: at, notifications: [] };
      while (this.#sessions.size >= this.#maxSessions) {
        const oldest = this.#sessions.keys().next().value!;
        this.#sessions.delete(oldest);
      }
    } else {
      this.#sessions.delete(sessionId);
    }
    this.#sessions.set(sessionId, session);
    return session;
  }

  /** Forgets sessions idle for longer than `idleMs`; at most once a minute. */
  #sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    for (const [id, session] of this.#sessions) {
      if (now - session.lastActivity > this.#idleMs) this.#sessions.delete(id);
    }
  }
}

/** The parts of a task {@linkcode SessionTracker.adopt} reads. */
export interface AdoptableTask {
  readonly target: NtfyTarget;
  /** What the task does to the phone's notification. @default {"publish"} */
  readonly operation?: string;
  readonly message: { readonly sequenceId?: string };
  readonly origin: {
    readonly event: string;
    readonly project?: string;
    readonly sessionId?: string;
    readonly createdAt: number;
  };
}
