/**
 * The answer to a Claude Code permission request that the daemon hands back to a waiting
 * hook (on `ok`, as `decision`), and its validation: the hook prints it for Claude Code,
 * so a malformed one must never get through.
 *
 * @module
 */

import { isRecord, optionalString } from "./_validate.ts";

/**
 * One permission change applied with an "allow", as Claude Code's `permission_suggestions`
 * give them (`{"type": "addRules", "rules": […], "behavior": "allow", "destination": …}`,
 * `{"type": "setMode", "mode": "acceptEdits", …}`): plain JSON, passed through unchanged.
 */
export type PermissionUpdate = Readonly<Record<string, unknown>>;

/**
 * A decision for a `PermissionRequest` hook: what Claude Code reads from the hook's
 * `hookSpecificOutput.decision`.
 */
export interface PermissionDecision {
  /** Run the tool, or refuse it. */
  readonly behavior: "allow" | "deny";
  /** For `deny`: told to Claude as the reason. */
  readonly message?: string;
  /** For `allow`: permission rules to add ("always allow"). */
  readonly updatedPermissions?: readonly PermissionUpdate[];
}

/** Bounds on a decision's fields. */
export const DECISION_LIMITS = {
  /** The deny message. */
  maxMessageChars: 2_048,
  /** Entries of `updatedPermissions`. */
  maxUpdates: 16,
  /** Nesting inside one update (an update holds `rules`, each rule a map). */
  maxUpdateDepth: 4,
  /** Entries of any array or map inside an update. */
  maxUpdateEntries: 64,
  /** Any string inside an update. */
  maxUpdateStringChars: 4_096,
} as const;

/** Whether `value` is plain JSON (no binary, no NaN) within the nesting and size bounds. */
function isPlainJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value === "string") {
    return value.length <= DECISION_LIMITS.maxUpdateStringChars && value.isWellFormed();
  }
  if (depth >= DECISION_LIMITS.maxUpdateDepth) return false;
  const items = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : undefined;
  if (items === undefined || items.length > DECISION_LIMITS.maxUpdateEntries) return false;
  return items.every((item) => isPlainJson(item, depth + 1));
}

/**
 * Checks a decision read from the wire and returns a clean copy holding only known fields.
 *
 * @param value The decoded value.
 * @param fail Builds the error to throw for a field that is wrong.
 * @returns The typed decision.
 * @throws whatever `fail` returns, for the first field that is wrong.
 *
 * @example An "always allow" decision
 * ```ts
 * import { validatePermissionDecision } from "./permission_decision.ts";
 *
 * const decision = validatePermissionDecision({
 *   behavior: "allow",
 *   updatedPermissions: [{ type: "setMode", mode: "acceptEdits", destination: "session" }],
 * }, (message) => new TypeError(message));
 * console.log(decision.updatedPermissions?.length); // 1
 * ```
 */
export function validatePermissionDecision(
  value: unknown,
  fail: (message: string) => Error,
): PermissionDecision {
  if (!isRecord(value)) throw fail('"decision" must be a map');
  const behavior = value.behavior;
  if (behavior !== "allow" && behavior !== "deny") {
    throw fail('"decision.behavior" must be "allow" or "deny"');
  }
  const message = optionalString(value, "message", fail);
  if (message !== undefined && message.length > DECISION_LIMITS.maxMessageChars) {
    throw fail(`"decision.message" holds at most ${DECISION_LIMITS.maxMessageChars} characters`);
  }
  const updates = value.updatedPermissions;
  if (updates !== undefined && updates !== null) {
    if (behavior !== "allow") throw fail('"decision.updatedPermissions" goes with "allow" only');
    if (
      !Array.isArray(updates) || updates.length > DECISION_LIMITS.maxUpdates ||
      !updates.every((update) => isRecord(update) && isPlainJson(update, 0))
    ) {
      throw fail(
        `"decision.updatedPermissions" must be at most ${DECISION_LIMITS.maxUpdates} plain JSON maps`,
      );
    }
  }
  return {
    behavior,
    ...(message === undefined ? {} : { message }),
    ...(updates === undefined || updates === null
      ? {}
      : { updatedPermissions: updates as PermissionUpdate[] }),
  };
}
