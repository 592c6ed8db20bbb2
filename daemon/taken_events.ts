/**
 * The event ids the daemon has taken in lately. A hook that gets no answer in time spools
 * its event though the daemon may already have it; both copies carry the hook's event id
 * (`HookContext.eventId`), and the second is skipped as a duplicate. Bounded: the oldest ids
 * are forgotten first, long after any spooled copy would have been taken in.
 *
 * @module
 */

/** The most ids remembered. */
export const TAKEN_EVENTS_LIMIT = 10_000;

/**
 * A bounded set of event ids, each claimed once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TakenEvents } from "./taken_events.ts";
 *
 * const taken = new TakenEvents();
 * assert.equal(taken.claim("4242.1764000000000"), true);
 * assert.equal(taken.claim("4242.1764000000000"), false); // a duplicate
 * ```
 */
export class TakenEvents {
  readonly #limit: number;
  readonly #ids = new Set<string>();

  /**
   * Creates an empty record.
   *
   * @param limit The most ids remembered. @default {TAKEN_EVENTS_LIMIT}
   */
  constructor(limit: number = TAKEN_EVENTS_LIMIT) {
    this.#limit = limit;
  }

  /** How many ids it remembers. */
  get size(): number {
    return this.#ids.size;
  }

  /**
   * Claims `id` for the event being taken in: `false` when it was claimed before (the event
   * is a duplicate). The oldest id is forgotten when the record is full.
   *
   * @param id The event's id.
   * @returns Whether this is the first claim.
   */
  claim(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.#limit) {
      // A Set iterates in insertion order: the first is the oldest.
      this.#ids.delete(this.#ids.values().next().value!);
    }
    return true;
  }

  /**
   * Gives a claim back: the event was not taken after all (an error), so another copy of it
   * may be.
   *
   * @param id The event's id.
   */
  release(id: string): void {
    this.#ids.delete(id);
  }
}
