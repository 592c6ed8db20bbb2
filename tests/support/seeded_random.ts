/**
 * A small seeded pseudo-random generator for fuzz tests: the same seed gives the same
 * sequence on every run and every machine, so a failing run can be replayed.
 *
 * @module
 */

/**
 * A deterministic random source (sfc32, seeded through splitmix32). Not for secrets.
 *
 * @example Replaying a sequence
 * ```ts
 * import assert from "node:assert/strict";
 * import { SeededRandom } from "./seeded_random.ts";
 *
 * const a = new SeededRandom(42);
 * const b = new SeededRandom(42);
 * assert.equal(a.int(1000), b.int(1000));
 * ```
 */
export class SeededRandom {
  /** The seed this generator started from. */
  readonly seed: number;
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** Creates a generator; `seed` is taken as an unsigned 32-bit integer. */
  constructor(seed: number) {
    this.seed = seed >>> 0;
    let state = this.seed;
    const splitmix = () => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = splitmix();
    this.#b = splitmix();
    this.#c = splitmix();
    this.#d = splitmix();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniformly random unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 0x1_0000_0000;
  }

  /** An integer in [0, max). `max` must be at least 1. */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  /** An integer in [min, max], both inclusive. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** `length` random bytes. */
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    let i = 0;
    for (; i + 4 <= length; i += 4) {
      const word = this.uint32();
      out[i] = word;
      out[i + 1] = word >>> 8;
      out[i + 2] = word >>> 16;
      out[i + 3] = word >>> 24;
    }
    for (; i < length; i++) out[i] = this.uint32();
    return out;
  }

  /** A size skewed towards small values: mostly under 64, sometimes up to `max`. */
  size(max: number): number {
    const roll = this.next();
    if (roll < 0.7) return this.int(Math.min(64, max) + 1);
    if (roll < 0.95) return this.int(Math.min(4096, max) + 1);
    return this.int(max + 1);
  }
}

/**
 * The seed named by environment variable `name` (decimal or `0x` hex), else a fresh
 * random one. Either way the caller should print it so the run can be replayed.
 *
 * @throws {TypeError} when the variable is set but is not an unsigned 32-bit integer.
 */
export function seedFromEnv(name: string): number {
  const text = Deno.env.get(name)?.trim();
  if (text === undefined || text === "") {
    return crypto.getRandomValues(new Uint32Array(1))[0]!;
  }
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new TypeError(`Invalid ${name}: "${text}" is not an unsigned 32-bit integer`);
  }
  return seed;
}
