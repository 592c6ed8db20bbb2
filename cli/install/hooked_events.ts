/**
 * The one list of Claude Code events that claude-ntfy's hook is registered for, and each
 * one's timeout: `init --install-hooks` writes it into settings.json and the plugin's
 * `hooks/hooks.json` holds the same (a test keeps them equal).
 *
 * @module
 */

/** One registered event. */
export interface HookedEvent {
  /** The event name, as Claude Code spells it. */
  readonly event: string;
  /** Seconds Claude Code gives the hook before it kills it. */
  readonly timeoutSecs: number;
  /**
   * Set for the events the daemon follows sessions by: they tell it the user is back (a
   * prompt, a tool running after a dialog, the session ending), so that a held
   * notification is dropped, and when Claude waits or is done.
   */
  readonly sessions?: true;
}

/** Seconds Claude Code gives the hook for most events. */
export const HOOK_TIMEOUT_SECS = 10;

/**
 * Seconds for `PermissionRequest`. Longer, so that a hook that waits for an answer from
 * the phone is not cut short; Claude Code shows its own dialog meanwhile (in a terminal).
 */
export const PERMISSION_REQUEST_TIMEOUT_SECS = 120;

/**
 * Every event the hook is registered for: the ones that notify by default, the activity
 * events the daemon follows (prompts, tool calls, session start and end) and the rarer
 * ones a config may turn on (`SubagentStart`, `PreCompact`). Whether an event notifies is
 * the config's choice (`hooks.events`), made by the daemon: registering an event only
 * costs a process start each time it fires.
 */
export const HOOKED_EVENTS: readonly HookedEvent[] = [
  { event: "SessionStart", timeoutSecs: HOOK_TIMEOUT_SECS, sessions: true },
  { event: "UserPromptSubmit", timeoutSecs: HOOK_TIMEOUT_SECS, sessions: true },
  { event: "PreToolUse", timeoutSecs: HOOK_TIMEOUT_SECS, sessions: true },
  { event: "PermissionRequest", timeoutSecs: PERMISSION_REQUEST_TIMEOUT_SECS, sessions: true },
  { event: "PostToolUse", timeoutSecs: HOOK_TIMEOUT_SECS, sessions: true },
  { event: "PostToolUseFailure", timeoutSecs: HOOK_TIMEOUT_SECS, sessions: true },
  { event: "PostToolBatch", timeoutSecs: HOOK_TIMEOUT_SECS, sessions: true },
  { event: "Notification", timeoutSecs: HOOK_TIMEOUT_SECS, sessions: true },
  { event: "SubagentStart", timeoutSecs: HOOK_TIMEOUT_SECS },
  { event: "SubagentStop", timeoutSecs: HOOK_TIMEOUT_SECS, sessions: true },
  { event: "PreCompact", timeoutSecs: HOOK_TIMEOUT_SECS },
  { event: "Stop", timeoutSecs: HOOK_TIMEOUT_SECS, sessions: true },
  { event: "SessionEnd", timeoutSecs: HOOK_TIMEOUT_SECS, sessions: true },
];

/**
 * The events of {@linkcode HOOKED_EVENTS} the daemon follows sessions by, in its order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SESSION_EVENTS } from "./hooked_events.ts";
 *
 * assert.ok(SESSION_EVENTS.includes("UserPromptSubmit"));
 * assert.ok(!SESSION_EVENTS.includes("PreCompact"));
 * ```
 */
export const SESSION_EVENTS: readonly string[] = HOOKED_EVENTS
  .filter((entry) => entry.sessions === true)
  .map((entry) => entry.event);

/**
 * The timeout for an event: its entry in {@linkcode HOOKED_EVENTS}, else
 * {@linkcode HOOK_TIMEOUT_SECS}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hookTimeoutSecs } from "./hooked_events.ts";
 *
 * assert.deepEqual(hookTimeoutSecs("PermissionRequest"), 120);
 * assert.deepEqual(hookTimeoutSecs("SomeFutureEvent"), 10);
 * ```
 */
export function hookTimeoutSecs(event: string): number {
  return HOOKED_EVENTS.find((entry) => entry.event === event)?.timeoutSecs ?? HOOK_TIMEOUT_SECS;
}
