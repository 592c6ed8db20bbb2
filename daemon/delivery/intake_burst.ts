/**
 * Gives a burst of incoming tasks the daemon's one thread before the deliveries it brings.
 * Each delivery costs tens of microseconds of CPU (most of it in `fetch`), taking in a task
 * a few: while tasks arrive many at once, deliveries that could start wait, until the
 * arrivals pause, and never longer than {@linkcode MAX_BURST_HOLD_MS} at a time (then the
 * free workers start, and the next ones wait again). Only when deliveries start changes:
 * what is delivered, its order, retries and pacing do not.
 *
 * @module
 */

/** Arrivals this close together (ms) count as one burst. */
export const BURST_WINDOW_MS = 10;

/** Arrivals within {@linkcode BURST_WINDOW_MS} that make a burst. */
export const BURST_ARRIVALS = 32;

/** Longest a delivery that could start waits for a burst to pass (ms). */
export const MAX_BURST_HOLD_MS = 100;

/**
 * Tells, from arrival times, whether a burst is under way and deliveries should wait.
 *
 * @example
 * ```ts
 * import { IntakeBurst } from "./intake_burst.ts";
 *
 * const burst = new IntakeBurst();
 * for (let i = 0; i < 40; i++) burst.note(1_000);
 * console.log(burst.holds(1_005)); // true: tasks are pouring in
 * console.log(burst.holds(1_011)); // false: they paused
 * ```
 */
export class IntakeBurst {
  #windowStart = -Infinity;
  #arrivals = 0;
  #lastBurstAt = -Infinity;
  #holdingSince: number | undefined;

  /** Whether any burst was ever seen: until then {@linkcode IntakeBurst.holds} is false. */
  get seen(): boolean {
    return this.#lastBurstAt !== -Infinity;
  }

  /** Counts a task that arrived at `at` (monotonic ms, as `performance.now()`). */
  note(at: number): void {
    if (at - this.#windowStart > BURST_WINDOW_MS) {
      this.#windowStart = at;
      this.#arrivals = 0;
    }
    if (++this.#arrivals >= BURST_ARRIVALS) this.#lastBurstAt = at;
  }

  /**
   * Whether deliveries that could start at `now` should wait: a burst is under way, and
   * they have not yet waited {@linkcode MAX_BURST_HOLD_MS}.
   */
  holds(now: number): boolean {
    if (now - this.#lastBurstAt >= BURST_WINDOW_MS) {
      this.#holdingSince = undefined;
      return false;
    }
    this.#holdingSince ??= now;
    if (now - this.#holdingSince < MAX_BURST_HOLD_MS) return true;
    // Waited long enough: these start now, and the next ones wait again.
    this.#holdingSince = undefined;
    return false;
  }
}
