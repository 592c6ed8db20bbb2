/**
 * A Claude Code hook event, as read from the hook's stdin, and what is known about
 * the events Claude Code sends.
 *
 * @module
 */

/** One hook event: its name and the JSON payload Claude Code sent. */
export interface HookEvent {
  /** The event name, e.g. `Notification`; unknown future names are allowed. */
  readonly name: string;
  /** The payload (an empty object when it could not be read). */
  readonly payload: Readonly<Record<string, unknown>>;
  /** True when the input exceeded the size limit and some of the payload is missing. */
  readonly truncated: boolean;
}

/** The events documented at the time of writing, in the order `templates` lists them. */
export const KNOWN_HOOK_EVENTS: readonly string[] = [
  "Notification",
  "PermissionRequest",
  "Stop",
  "PostToolUseFailure",
  "PreToolUse",
  "PostToolUse",
  "PostToolBatch",
  "UserPromptSubmit",
  "SubagentStart",
  "SubagentStop",
  "PreCompact",
  "SessionStart",
  "SessionEnd",
];

/** What a session can wait for: a permission dialog, its next prompt, or an answer. */
export type WaitKind = "permission" | "input" | "question";

/** `Notification` types that mean Claude is waiting for the user, and what it waits for. */
export const NOTIFICATION_WAITS: Readonly<Record<string, WaitKind>> = {
  permission_prompt: "permission",
  idle_prompt: "input",
  elicitation_dialog: "question",
};

/** A string field of the payload, or `undefined`. */
export function payloadString(event: HookEvent, key: string): string | undefined {
  const value = event.payload[key];
  return typeof value === "string" ? value : undefined;
}

/**
 * Whether the event means Claude is blocked until the user acts: a permission request,
 * or a `Notification` of type `permission_prompt`, `idle_prompt` or `elicitation_dialog`
 * (or without a type, as older Claude Code versions sent only those).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { waitsForUser } from "./hook_event.ts";
 *
 * const event = { name: "Notification", payload: { notification_type: "idle_prompt" }, truncated: false };
 * assert.deepEqual(waitsForUser(event), true);
 * ```
 */
export function waitsForUser(event: HookEvent): boolean {
  if (event.name === "PermissionRequest") return true;
  if (event.name !== "Notification") return false;
  const type = payloadString(event, "notification_type");
  return type === undefined || Object.hasOwn(NOTIFICATION_WAITS, type);
}

/**
 * What `hooks.filters` entries are matched against, like Claude Code's own matchers:
 * the tool name for tool events, `notification_type` for `Notification`, `source` for
 * `SessionStart`, `reason` for `SessionEnd`, `trigger` for `PreCompact`, `agent_type`
 * for subagent events. `undefined` when the event has none (filters then do not apply).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { filterSubject } from "./hook_event.ts";
 *
 * const event = { name: "PreToolUse", payload: { tool_name: "Bash" }, truncated: false };
 * assert.deepEqual(filterSubject(event), "Bash");
 * ```
 */
export function filterSubject(event: HookEvent): string | undefined {
  const tool = payloadString(event, "tool_name");
  if (tool !== undefined) return tool;
  switch (event.name) {
    case "Notification":
      return payloadString(event, "notification_type");
    case "SessionStart":
      return payloadString(event, "source");
    case "SessionEnd":
      return payloadString(event, "reason");
    case "PreCompact":
      return payloadString(event, "trigger");
    case "SubagentStart":
    case "SubagentStop":
      return payloadString(event, "agent_type");
    default:
      return undefined;
  }
}
