import assert from "node:assert/strict";
import { NtfyError } from "../../../core/ntfy/errors.ts";
import {
  MAX_RETRY_AFTER_MS,
  RATE_LIMIT_BACKOFF_FACTOR,
  retryDelayMs,
} from "../../../core/ntfy/retry_policy.ts";

const limits = { baseDelayMs: 1_000, maxDelayMs: 60_000 };

function httpError(
  status: number,
  extra: { ntfyCode?: number; retryAfterMs?: number } = {},
): NtfyError {
  return new NtfyError(`ntfy rejected the message (HTTP ${status})`, {
    kind: "http",
    httpStatus: status,
    retryable: true,
    ...extra,
  });
}

const serverError = httpError(500);
const networkError = new NtfyError("Cannot reach ntfy server", {
  kind: "network",
  retryable: true,
});

/** A small deterministic generator (LCG) of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

Deno.test("retryDelayMs() waits between one and two base delays before the first retry", () => {
  assert.equal(retryDelayMs(1, serverError, { ...limits, random: () => 0 }), 1_000);
  assert.equal(retryDelayMs(1, serverError, { ...limits, random: () => 0.5 }), 1_500);
  assert.equal(retryDelayMs(1, networkError, { ...limits, random: () => 0.999 }), 1_999);
});

Deno.test("retryDelayMs() doubles the jitter ceiling with each failed attempt", () => {
  const highest = (attempt: number) =>
    retryDelayMs(attempt, serverError, { ...limits, random: () => 1 });
  assert.deepEqual([1, 2, 3, 4, 5].map(highest), [2_000, 4_000, 8_000, 16_000, 32_000]);
});

Deno.test("retryDelayMs() never exceeds maxDelayMs, even after many attempts", () => {
  const random = seeded(42);
  for (let attempt = 1; attempt <= 1_000; attempt++) {
    const delay = retryDelayMs(attempt, serverError, { ...limits, random });
    assert.ok(delay >= 1_000 && delay <= 60_000, `attempt ${attempt}: ${delay}`);
  }
  assert.equal(retryDelayMs(1, serverError, { baseDelayMs: 5_000, maxDelayMs: 2_000 }), 2_000);
});

Deno.test("retryDelayMs() is deterministic given the random source", () => {
  const run = () =>
    [1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, serverError, { ...limits, random: seeded(7) }));
  assert.deepEqual(run(), run());
});

Deno.test("retryDelayMs() never retries sooner than Retry-After", () => {
  const error = httpError(429, { ntfyCode: 42901, retryAfterMs: 30_000 });
  assert.equal(retryDelayMs(1, error, { ...limits, random: () => 0 }), 30_000);
  const shortWait = httpError(503, { retryAfterMs: 10 });
  assert.equal(retryDelayMs(3, shortWait, { ...limits, random: () => 1 }), 8_000);
  const beyondMax = httpError(503, { retryAfterMs: 120_000 });
  assert.equal(retryDelayMs(1, beyondMax, { ...limits, random: () => 0 }), 120_000);
});

Deno.test("retryDelayMs() caps a Retry-After at one hour", () => {
  const error = httpError(429, { retryAfterMs: 24 * 3_600_000 });
  assert.equal(retryDelayMs(1, error, { ...limits, random: () => 0 }), MAX_RETRY_AFTER_MS);
  assert.equal(MAX_RETRY_AFTER_MS, 3_600_000);
});

Deno.test("retryDelayMs() backs off five times longer after a 429 without Retry-After", () => {
  const error = httpError(429, { ntfyCode: 42901 });
  assert.equal(RATE_LIMIT_BACKOFF_FACTOR, 5);
  assert.equal(retryDelayMs(1, error, { ...limits, random: () => 0 }), 5_000);
  assert.equal(retryDelayMs(1, error, { ...limits, random: () => 1 }), 10_000);
  assert.equal(retryDelayMs(2, error, { ...limits, random: () => 1 }), 20_000);
  assert.equal(retryDelayMs(9, error, { ...limits, random: () => 1 }), 60_000);
  // With tiny test delays the floor scales down too.
  assert.equal(retryDelayMs(1, error, { baseDelayMs: 10, maxDelayMs: 1_000, random: () => 0 }), 50);
});

Deno.test("retryDelayMs() waits the longest allowed delay after ntfy's daily quota (42908)", () => {
  const error = httpError(429, { ntfyCode: 42908 });
  assert.equal(retryDelayMs(1, error, { ...limits, random: () => 0 }), 60_000);
});

Deno.test("retryDelayMs() rejects an attempt number below 1 or a negative delay", () => {
  assert.throws(() => retryDelayMs(0, serverError, limits), RangeError);
  assert.throws(() => retryDelayMs(1.5, serverError, limits), RangeError);
  assert.throws(
    () => retryDelayMs(1, serverError, { baseDelayMs: -1, maxDelayMs: 10 }),
    RangeError,
  );
});
