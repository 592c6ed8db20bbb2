// A module with documentation gaps, for check_examples_test.ts.

/** Adds. */
export function add(a: number, b: number): number {
  return a + b;
}

/**
 * Subtracts.
 *
 * @param a The first.
 * @param b The second.
 * @returns The difference.
 *
 * @example
 * ```ts ignore
 * subtract(3, 2);
 * ```
 */
export function subtract(a: number, b: number): number {
  return a - b;
}

/**
 * A counter.
 *
 * @example Counting
 * ```ts
 * import { Counter } from "./_docs_fixture.ts";
 *
 * new Counter().increment();
 * ```
 */
export class Counter {
  #count = 0;

  /** Adds one. */
  increment(): number {
    return ++this.#count;
  }
}
