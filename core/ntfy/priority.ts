/**
 * ntfy's priority names: `min`, `low`, `default`, `high`, `max` (alias `urgent`) for the
 * numbers 1 to 5, as ntfy's `X-Priority` header reads them.
 *
 * @module
 */

import type { Priority } from "../../protocol/mod.ts";

/** The name of each priority, by number (index 0 is unused). */
const NAMES = ["", "min", "low", "default", "high", "max"] as const;

const BY_NAME: Readonly<Record<string, Priority>> = {
  min: 1,
  low: 2,
  default: 3,
  high: 4,
  max: 5,
  urgent: 5,
};

/**
 * Reads a priority: `1` to `5`, or `min`, `low`, `default`, `high`, `max`, `urgent`, in
 * any case and with surrounding spaces.
 *
 * @param text What the user wrote (a flag, an environment variable, a config value).
 * @returns The priority, or `undefined` when `text` names none.
 *
 * @example Numbers and names
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePriority } from "./priority.ts";
 *
 * assert.equal(parsePriority("urgent"), 5);
 * assert.equal(parsePriority(" High "), 4);
 * assert.equal(parsePriority("2"), 2);
 * assert.equal(parsePriority("6"), undefined);
 * ```
 */
export function parsePriority(text: string): Priority | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^[1-5]$/.test(trimmed)) return Number(trimmed) as Priority;
  return Object.hasOwn(BY_NAME, trimmed) ? BY_NAME[trimmed] : undefined;
}

/**
 * ntfy's name for a priority.
 *
 * @param priority A priority from 1 to 5.
 * @returns Its name, e.g. `default` for 3.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { priorityName } from "./priority.ts";
 *
 * assert.equal(priorityName(3), "default");
 * assert.equal(priorityName(5), "max");
 * ```
 */
export function priorityName(priority: Priority): string {
  return NAMES[priority];
}
