/**
 * Claude Code sessions as the daemon sees them: their state, label and last reply, and
 * the notifications each holds, so that a notification goes only when it matters, once.
 *
 * @example
 * ```ts
 * import { SessionTracker } from "./mod.ts";
 *
 * const tracker = new SessionTracker({ maxSessions: 100 });
 * console.log(tracker.size); // 0
 * ```
 *
 * @module
 */

export * from "./session_label.ts";
export * from "./session_tracker.ts";
