/**
 * What a hook event says about its Claude Code session: whether someone is active in it
 * (the user answered at the terminal, sent a prompt, Claude went on working), whether it
 * now waits for the user and for what, and which tool call it is about. Pure: the daemon's
 * session tracker decides with it which held notifications to drop and which to merge.
 *
 * @module
 */

import { type HookEvent, NOTIFICATION_WAITS, payloadString, type WaitKind } from "./hook_event.ts";

export type { WaitKind } from "./hook_event.ts";

/** Where a session is, as far as its hook events tell. */
export type SessionState = "working" | "waiting_permission" | "waiting_input" | "done";

/** The session facts one event carries. */
export interface SessionSignal {
  /** The session (`session_id`), when the payload names one. */
  readonly sessionId?: string;
  /** From a subagent: the payload has an `agent_id`, or it is `SubagentStart`/`SubagentStop`. */
  readonly subagent: boolean;
  /**
   * The session is active: notifications held for it before this event are dropped. Only
   * the main agent's events count; a background subagent working says nothing about the
   * user.
   */
  readonly activity: boolean;
  /** The session now waits for the user, in this way. */
  readonly waits?: WaitKind;
  /**
   * The tool call the event is about (`tool_name` and `tool_input`), so that a permission
   * dialog is matched with its own outcome and not with a tool running beside it.
   */
  readonly toolCall?: string;
  /** A tool call's outcome (`PostToolUse`, `PostToolUseFailure`), which ends its dialog. */
  readonly toolOutcome: boolean;
  /** For `Stop`: the background tasks still running (Claude is not really done). */
  readonly backgroundRunning?: number;
  /** `SessionEnd`. */
  readonly ends: boolean;
  /** The main agent's `Stop`: it finished its reply. */
  readonly stop: boolean;
  /** For `UserPromptSubmit`: a prompt the user typed (not a background task reporting back). */
  readonly userPrompt?: string;
}

/** Events by which the main agent shows the session is active. */
const ACTIVITY_EVENTS = new Set([
  "UserPromptSubmit",
  "PreToolUse",
  "PostToolUse",
  "PostToolUseFailure",
  "PostToolBatch",
  "PermissionDenied",
  "PreCompact",
  "PostCompact",
  "SessionStart",
  "SessionEnd",
  "MessageDisplay",
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON with sorted keys, so that equal inputs give equal strings whatever their order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (isRecord(value)) {
    return `{${
      Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`)
        .join(",")
    }}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * The key of a tool call: its tool name and its input. Equal for a `PermissionRequest`
 * and the `PostToolUse` of the same call.
 *
 * @example
 * ```ts
 * import { toolCallKey } from "./session_signal.ts";
 *
 * console.log(toolCallKey("Bash", { command: "ls", description: "List" })); // Bash {"command":"ls","description":"List"}
 * ```
 */
export function toolCallKey(toolName: string, toolInput: unknown): string {
  return `${toolName} ${stableJson(toolInput ?? {})}`;
}

/** Running background tasks in a `Stop` payload (a task without a status counts). */
function runningBackgroundTasks(payload: Readonly<Record<string, unknown>>): number | undefined {
  const tasks = payload.background_tasks;
  if (!Array.isArray(tasks)) return undefined;
  return tasks.filter((task) =>
    !isRecord(task) || task.status === undefined ||
    task.status === "running"
  ).length;
}

/** A prompt Claude Code submits itself when a background task finishes. */
function isTaskNotification(prompt: string): boolean {
  return prompt.trimStart().startsWith("<task-notification>");
}

/**
 * The state an event leaves its session in, or `undefined` when it says nothing about it
 * (a subagent working, an `auth_success` notification, an unknown event).
 *
 * @example
 * ```ts
 * import { sessionSignal, sessionStateAfter } from "./session_signal.ts";
 *
 * const stop = sessionSignal({ name: "Stop", payload: { background_tasks: [] }, truncated: false });
 * console.log(sessionStateAfter(stop)); // done
 * ```
 */
export function sessionStateAfter(signal: SessionSignal): SessionState | undefined {
  switch (signal.waits) {
    case "permission":
      return "waiting_permission";
    case "question":
      return "waiting_input";
    case "input":
      return signal.backgroundRunning === undefined || signal.backgroundRunning === 0
        ? (signal.stop ? "done" : "waiting_input")
        : "waiting_input";
  }
  return signal.activity ? "working" : undefined;
}

/**
 * Reads the session facts of an event.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sessionSignal } from "./session_signal.ts";
 *
 * const signal = sessionSignal({
 *   name: "Notification",
 *   payload: { session_id: "s1", notification_type: "idle_prompt" },
 *   truncated: false,
 * });
 * assert.deepEqual([signal.sessionId, signal.waits, signal.activity], ["s1", "input", false]);
 * ```
 */
export function sessionSignal(event: HookEvent): SessionSignal {
  const { name, payload } = event;
  const sessionId = payloadString(event, "session_id") || undefined;
  const subagent = payloadString(event, "agent_id") !== undefined ||
    name === "SubagentStart" || name === "SubagentStop";
  const toolName = payloadString(event, "tool_name");
  const toolCall = toolName === undefined ? undefined : toolCallKey(toolName, payload.tool_input);
  const toolOutcome = name === "PostToolUse" || name === "PostToolUseFailure";
  let activity = !subagent && ACTIVITY_EVENTS.has(name);
  let waits: WaitKind | undefined;
  let backgroundRunning: number | undefined;
  let userPrompt: string | undefined;
  switch (name) {
    case "PermissionRequest":
      // A dialog waits for the user whoever asked: the main agent or a subagent.
      waits = "permission";
      break;
    case "Notification": {
      const type = payloadString(event, "notification_type");
      // Older Claude Code versions sent no type, and only for prompts that wait.
      waits = type === undefined ? "input" : NOTIFICATION_WAITS[type];
      break;
    }
    case "Stop":
      if (!subagent) {
        waits = "input";
        backgroundRunning = runningBackgroundTasks(payload);
      }
      break;
    case "SessionEnd":
      // `claude -p` ends every run with reason "other": nobody came back to the terminal.
      if (payloadString(event, "reason") === "other") activity = false;
      break;
    case "UserPromptSubmit": {
      const prompt = payloadString(event, "prompt");
      if (prompt !== undefined && !isTaskNotification(prompt)) userPrompt = prompt;
      break;
    }
  }
  return {
    ...(sessionId === undefined ? {} : { sessionId }),
    subagent,
    activity,
    ...(waits === undefined ? {} : { waits }),
    ...(toolCall === undefined ? {} : { toolCall }),
    toolOutcome,
    ...(backgroundRunning === undefined ? {} : { backgroundRunning }),
    ends: name === "SessionEnd",
    stop: name === "Stop" && !subagent,
    ...(userPrompt === undefined ? {} : { userPrompt }),
  };
}
