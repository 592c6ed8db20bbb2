/**
 * One line of `claude-ntfy doctor`'s checklist.
 *
 * @module
 */

/** How a check came out. */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

/** One line of the checklist. */
export interface DoctorCheck {
  /** A stable name, e.g. `daemon`. */
  readonly id: string;
  /** The outcome. */
  readonly status: CheckStatus;
  /** One line saying what was found. */
  readonly title: string;
  /** Further facts, one a line. */
  readonly details?: readonly string[];
  /** How to fix it, for `warn` and `fail`. */
  readonly fix?: string;
}

/**
 * Builds a check, leaving out empty details and a missing fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { check } from "./doctor_check.ts";
 *
 * assert.deepEqual(check("topic", "fail", "No topic set", { details: [], fix: "run init" }), {
 *   id: "topic", status: "fail", title: "No topic set", fix: "run init",
 * });
 * ```
 */
export function check(
  id: string,
  status: CheckStatus,
  title: string,
  extra: { details?: string[]; fix?: string } = {},
): DoctorCheck {
  return {
    id,
    status,
    title,
    ...(extra.details?.length ? { details: extra.details } : {}),
    ...(extra.fix === undefined ? {} : { fix: extra.fix }),
  };
}
