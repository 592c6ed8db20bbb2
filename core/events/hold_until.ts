/**
 * When a notification may be sent: after its event's hold (`hooks.delay_secs`,
 * `hooks.delays.<Event>`), and outside quiet hours (`hooks.quiet_hours`) unless it is
 * urgent.
 *
 * @module
 */

import type { HooksConfig } from "../config/config.ts";
import { TIME_RANGE_PATTERN } from "../config/_schema.ts";

/** Quiet hours as minutes after local midnight; `end` before `start` wraps midnight. */
export interface QuietHours {
  /** First quiet minute. */
  readonly start: number;
  /** First minute after the quiet hours. */
  readonly end: number;
}

/**
 * Parses `"HH:MM-HH:MM"`; `undefined` for none (unset or empty).
 *
 * @throws {SyntaxError} for any other text.
 *
 * @example
 * ```ts
 * import { parseQuietHours } from "./hold_until.ts";
 *
 * console.log(parseQuietHours("22:00-07:30")); // { start: 1320, end: 450 }
 * ```
 */
export function parseQuietHours(text: string | undefined): QuietHours | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const match = TIME_RANGE_PATTERN.exec(text.trim());
  if (match === null) throw new SyntaxError(`Invalid quiet hours: "${text}" is not HH:MM-HH:MM`);
  const [, h1, m1, h2, m2] = match.map(Number);
  return { start: h1! * 60 + m1!, end: h2! * 60 + m2! };
}

/**
 * If local time `at` (ms since the epoch) falls in the quiet hours, the time they end;
 * else `undefined`. Computed on the local calendar, so a DST change is followed.
 *
 * @example
 * ```ts
 * import { quietHoursEnd } from "./hold_until.ts";
 *
 * const quiet = { start: 22 * 60, end: 7 * 60 };
 * const end = quietHoursEnd(quiet, new Date(2026, 0, 1, 23, 15).getTime());
 * console.log(new Date(end!).getHours(), new Date(end!).getDate()); // 7 2
 * ```
 */
export function quietHoursEnd(quiet: QuietHours, at: number): number | undefined {
  const date = new Date(at);
  const minute = date.getHours() * 60 + date.getMinutes();
  const wraps = quiet.end < quiet.start;
  const inside = wraps
    ? minute >= quiet.start || minute < quiet.end
    : minute >= quiet.start && minute < quiet.end;
  if (!inside) return undefined;
  const end = new Date(date);
  end.setHours(Math.floor(quiet.end / 60), quiet.end % 60, 0, 0);
  // Past the end's time of day today (the evening part of a range that wraps): tomorrow.
  if (end.getTime() <= at) end.setDate(end.getDate() + 1);
  return end.getTime();
}

/** What {@linkcode holdUntil} decides with. */
export interface HoldOptions {
  /** The `[hooks]` configuration. */
  readonly hooks: Pick<HooksConfig, "delay_secs" | "delays" | "quiet_hours">;
  /** The event's name (for `hooks.delays`). */
  readonly event: string;
  /** When the event happened, in ms since the epoch. */
  readonly now: number;
  /** The notification's priority: 5 goes through quiet hours. */
  readonly priority: number;
}

/**
 * The time a notification may be sent, or `undefined` for at once: the event's time plus
 * its hold, moved to the end of the quiet hours when it would fall inside them (unless
 * its priority is 5).
 *
 * @example
 * ```ts
 * import { holdUntil } from "./hold_until.ts";
 *
 * const hooks = { delay_secs: 30, delays: { Stop: 0 } };
 * console.log(holdUntil({ hooks, event: "Notification", now: 1_000, priority: 4 })); // 31000
 * console.log(holdUntil({ hooks, event: "Stop", now: 1_000, priority: 3 })); // undefined
 * ```
 */
export function holdUntil(options: HoldOptions): number | undefined {
  const { hooks, event, now, priority } = options;
  const delaySecs = Object.hasOwn(hooks.delays, event) ? hooks.delays[event]! : hooks.delay_secs;
  let at = now + Math.round(delaySecs * 1000);
  const quiet = priority >= 5 ? undefined : parseQuietHours(hooks.quiet_hours);
  if (quiet !== undefined) at = quietHoursEnd(quiet, at) ?? at;
  return at > now ? at : undefined;
}
