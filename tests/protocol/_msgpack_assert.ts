// Assertions for large msgpack values that report the first difference: a failing
// deepStrictEqual on a 64 KiB buffer or a 65,536-key map spends minutes building its diff.
import { AssertionError } from "node:assert/strict";

function hexAt(bytes: Uint8Array, at: number): string {
  return Array.from(bytes.subarray(at, at + 12), (b) => b.toString(16).padStart(2, "0")).join(" ");
}

/** Asserts two byte arrays are equal, naming the first offset where they differ. */
export function assertSameBytes(actual: Uint8Array, expected: Uint8Array, label = ""): void {
  const length = Math.min(actual.byteLength, expected.byteLength);
  let at = 0;
  while (at < length && actual[at] === expected[at]) at++;
  if (at === length && actual.byteLength === expected.byteLength) return;
  throw new AssertionError({
    message: `${label}: bytes differ at offset ${at} (lengths ${actual.byteLength} and ` +
      `${expected.byteLength}): ${hexAt(actual, at)} instead of ${hexAt(expected, at)}`,
  });
}

/** Asserts two JSON-safe values are equal, showing where their JSON texts part. */
export function assertSameJson(actual: unknown, expected: unknown, label = ""): void {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a === b) return;
  let at = 0;
  while (a[at] === b[at]) at++;
  throw new AssertionError({
    message: `${label}: values differ at JSON offset ${at}: ` +
      `${a.slice(at, at + 40)} instead of ${b.slice(at, at + 40)}`,
  });
}
