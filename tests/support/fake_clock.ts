/**
 * A clock and timers that move only when a test says so: `advance(ms)` runs the timers
 * that fall due, in order, each seeing the time it was due at.
 *
 * @module
 */

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/**
 * A manual clock with `setTimeout`/`clearTimeout`, shaped like the pacer's `PacerClock`.
 *
 * @example
 * ```ts
 * import { FakeClock } from "./fake_clock.ts";
 *
 * const clock = new FakeClock();
 * let fired = 0;
 * clock.setTimeout(() => fired++, 100);
 * clock.advance(99);
 * clock.advance(1);
 * console.log(fired); // 1
 * ```
 */
export class FakeClock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, Timer>();

  /** Starts at `start` milliseconds. */
  constructor(start = 1_000_000) {
    this.#now = start;
  }

  /** The time now, in milliseconds. */
  now(): number {
    return this.#now;
  }

  /** Timers waiting. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Runs `fn` once the clock has advanced `ms` from now. */
  setTimeout(fn: () => void, ms: number): number {
    const id = this.#nextId++;
    this.#timers.set(id, { id, at: this.#now + Math.max(0, ms), fn });
    return id;
  }

  /** Cancels a timer; an unknown handle is ignored. */
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Moves the clock forward, running each timer due on the way at its own time. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const timer of this.#timers.values()) {
        if (timer.at <= end && (next === undefined || timer.at < next.at)) next = timer;
      }
      if (next === undefined) break;
      this.#timers.delete(next.id);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = end;
  }
}
