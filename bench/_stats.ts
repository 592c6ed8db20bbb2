// Percentiles and timing loops shared by the benchmark phases.

/** A latency distribution in milliseconds. */
export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Summarises samples (any unit; the phases use milliseconds). */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  let total = 0;
  for (const sample of sorted) total += sample;
  return {
    count: sorted.length,
    min: sorted[0] ?? NaN,
    mean: sorted.length === 0 ? NaN : total / sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/**
 * Nanoseconds per call of `fn`: the median of `rounds` rounds, each long enough
 * (`roundMs`) that the clock's resolution does not matter. A warm-up round runs first so
 * the JIT has settled.
 */
export function nsPerOp(fn: () => unknown, options: { rounds?: number; roundMs?: number } = {}) {
  const rounds = options.rounds ?? 7;
  const roundMs = options.roundMs ?? 40;
  let sink: unknown;
  // Find a batch size that takes about 1 ms, then warm up.
  let batch = 1;
  for (;;) {
    const started = performance.now();
    for (let i = 0; i < batch; i++) sink = fn();
    if (performance.now() - started > 1 || batch > 1e7) break;
    batch *= 2;
  }
  const results: number[] = [];
  for (let round = -1; round < rounds; round++) {
    let calls = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < roundMs) {
      for (let i = 0; i < batch; i++) sink = fn();
      calls += batch;
      elapsed = performance.now() - started;
    }
    if (round >= 0) results.push((elapsed * 1e6) / calls);
  }
  if (sink === Symbol.for("never")) console.log(sink);
  return summarize(results).p50;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 5 ms until it is true; throws after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${what}`);
    await sleep(5);
  }
}
