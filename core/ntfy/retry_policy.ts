/**
 * How long to wait before publishing a failed message again.
 *
 * @module
 */

import type { NtfyError } from "./errors.ts";

/** The longest wait a `Retry-After` header can impose: one hour. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * How much longer the backoff is after ntfy's rate limit (429) without a `Retry-After`
 * header. ntfy sends none; its default visitor limit refills one request every 5 s, so
 * with the usual 1 s base delay the first retry waits 5-10 s.
 */
export const RATE_LIMIT_BACKOFF_FACTOR = 5;

const DAILY_QUOTA_CODE = 42908;

/** Limits and randomness for {@linkcode retryDelayMs}. */
export interface RetryDelayOptions {
  /** The shortest backoff, and the unit it doubles from. */
  baseDelayMs: number;
  /** The longest backoff. A `Retry-After` header may ask for more (up to one hour). */
  maxDelayMs: number;
  /** A source of numbers in `[0, 1)`. @default {Math.random} */
  random?: () => number;
}

/**
 * The delay before the next attempt, after `attempt` failed attempts (1-based).
 *
 * Exponential backoff with full jitter between `baseDelayMs` and a ceiling of
 * `baseDelayMs * 2 ** attempt`, both capped at `maxDelayMs`: the first retry waits
 * 1-2 units, the second 1-4, the third 1-8. Then:
 * - a `Retry-After` from the server is a floor: never retry sooner than it asked, though
 *   no later than {@linkcode MAX_RETRY_AFTER_MS};
 * - a 429 without `Retry-After` backs off from `baseDelayMs *`
 *   {@linkcode RATE_LIMIT_BACKOFF_FACTOR} instead;
 * - ntfy's daily message quota (42908) without `Retry-After` waits `maxDelayMs`.
 *
 * The function does not decide whether to retry at all: check `error.retryable` first.
 * It is pure: the same arguments and `random` give the same delay.
 *
 * @throws {RangeError} if `attempt` is not a positive integer or a delay is negative.
 *
 * @example
 * ```ts
 * import { NtfyError } from "./errors.ts";
 * import { retryDelayMs } from "./retry_policy.ts";
 *
 * const error = new NtfyError("ntfy rejected the message: 50001 internal server error (HTTP 500)", {
 *   kind: "http",
 *   httpStatus: 500,
 *   retryable: true,
 * });
 * const delay = retryDelayMs(2, error, { baseDelayMs: 1_000, maxDelayMs: 60_000, random: () => 0.5 });
 * console.log(delay); // 2500
 * ```
 */
export function retryDelayMs(
  attempt: number,
  error: Pick<NtfyError, "httpStatus" | "ntfyCode" | "retryAfterMs">,
  options: RetryDelayOptions,
): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(
      `Cannot compute retry delay: attempt must be a positive integer, got ${attempt}`,
    );
  }
  const { baseDelayMs, maxDelayMs } = options;
  if (!(baseDelayMs >= 0) || !(maxDelayMs >= 0)) {
    throw new RangeError(
      `Cannot compute retry delay: delays must be non-negative, got base ${baseDelayMs} and max ${maxDelayMs}`,
    );
  }
  const random = Math.min(Math.max((options.random ?? Math.random)(), 0), 1);
  const rateLimited = error.httpStatus === 429;

  let delay: number;
  if (rateLimited && error.ntfyCode === DAILY_QUOTA_CODE && error.retryAfterMs === undefined) {
    delay = maxDelayMs;
  } else {
    const unit = rateLimited && error.retryAfterMs === undefined
      ? baseDelayMs * RATE_LIMIT_BACKOFF_FACTOR
      : baseDelayMs;
    // Past 2 ** 40 the ceiling is far beyond any sensible maximum anyway.
    const ceiling = Math.min(maxDelayMs, unit * 2 ** Math.min(attempt, 40));
    const floor = Math.min(unit, maxDelayMs);
    delay = floor + random * (ceiling - floor);
  }
  if (error.retryAfterMs !== undefined && error.retryAfterMs > 0) {
    delay = Math.max(delay, Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS));
  }
  return Math.round(delay);
}
