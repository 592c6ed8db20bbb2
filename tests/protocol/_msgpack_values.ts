// Random values for the msgpack tests: every type the codec carries, with numbers and
// lengths drawn around each format boundary. No -0, no undefined and no lone surrogates,
// so that any msgpack implementation gives them back unchanged.
import type { SeededRandom } from "../support/seeded_random.ts";

/** Integers at and around every int format boundary. */
export const INTEGER_EDGES: readonly number[] = [
  0,
  1,
  0x7f,
  0x80,
  0xff,
  0x100,
  0xffff,
  0x1_0000,
  0xffff_ffff,
  0x1_0000_0000,
  Number.MAX_SAFE_INTEGER,
  -1,
  -0x20,
  -0x21,
  -0x80,
  -0x81,
  -0x8000,
  -0x8001,
  -0x8000_0000,
  -0x8000_0001,
  Number.MIN_SAFE_INTEGER,
];

/** Lengths at and around every str, bin, array and map format boundary. */
export const LENGTH_EDGES: readonly number[] = [0, 1, 15, 16, 31, 32, 255, 256];

const ALPHABETS = [
  "abcdefghijklmnopqrstuvwxyz",
  "ABC xyz 0123456789 -_./:",
  "é€ßüñ",
  "日本語テキスト",
  "🙂✍️🚀",
  "\u0000\u0001\u007f\u0080\u07ff\u0800\uffff",
];

export function randomInteger(rng: SeededRandom): number {
  switch (rng.int(4)) {
    case 0: {
      const edge = rng.pick(INTEGER_EDGES);
      const near = edge + rng.range(-2, 2);
      return Number.isSafeInteger(near) && !Object.is(near, -0) ? near : edge;
    }
    case 1:
      return rng.range(-40, 140);
    case 2:
      return rng.uint32() - (rng.chance(0.5) ? 0x8000_0000 : 0);
    default: {
      const value = (rng.uint32() % 0x20_0000) * 0x1_0000_0000 + rng.uint32();
      return rng.chance(0.5) ? value : -value;
    }
  }
}

export function randomFloat(rng: SeededRandom): number {
  switch (rng.int(4)) {
    case 0:
      return rng.pick([NaN, Infinity, -Infinity, 0.5, -1.5, 2 ** 53, 2 ** 64, -(2 ** 63), 1e300]);
    case 1:
      return (rng.next() - 0.5) * 1e6;
    case 2:
      return rng.next() * 10 ** rng.range(-300, 300);
    default: {
      // An arbitrary bit pattern: every float 64 is in reach. NaN payloads are not kept
      // across JavaScript engines' number paths, so any NaN is the usual one.
      const value = new Float64Array(rng.bytes(8).buffer)[0]!;
      return Number.isNaN(value) ? NaN : value;
    }
  }
}

/** A well-formed string of `length` characters (UTF-16 units vary with the alphabet). */
export function randomString(rng: SeededRandom, length = randomLength(rng)): string {
  const alphabet = [...rng.pick(ALPHABETS)];
  let text = "";
  for (let i = 0; i < length; i++) text += rng.pick(alphabet);
  return text;
}

export function randomLength(rng: SeededRandom): number {
  const roll = rng.int(10);
  if (roll < 5) return rng.int(12);
  if (roll < 9) return Math.max(0, rng.pick(LENGTH_EDGES) + rng.range(-1, 1));
  return rng.range(257, rng.chance(0.1) ? 70_000 : 2_000);
}

/** Any value the codec carries, nested at most `depth` deep. */
export function randomValue(rng: SeededRandom, depth = 4): unknown {
  const roll = rng.int(depth > 0 ? 11 : 8);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
    case 3:
      return randomInteger(rng);
    case 4:
      return randomFloat(rng);
    case 5:
    case 6:
      return randomString(rng);
    case 7:
      return rng.bytes(Math.max(0, rng.chance(0.9) ? rng.int(20) : randomLength(rng)));
    case 8:
      return Array.from({ length: smallCount(rng) }, () => randomValue(rng, depth - 1));
    default: {
      const map: Record<string, unknown> = {};
      for (let i = smallCount(rng); i > 0; i--) {
        map[randomString(rng, rng.int(20))] = randomValue(rng, depth - 1);
      }
      return map;
    }
  }
}

function smallCount(rng: SeededRandom): number {
  return rng.chance(0.95) ? rng.int(6) : rng.pick([15, 16, 17]);
}
