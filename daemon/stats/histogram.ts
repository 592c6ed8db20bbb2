/**
 * A fixed-size log-linear histogram for latencies: constant memory whatever the number of
 * samples, percentiles within about 3 % of the true value.
 *
 * @module
 */

import type { LatencySummary } from "../../protocol/mod.ts";

const SUB_BUCKET_BITS = 5;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
const MAX_EXPONENT = 40;

/**
 * Records non-negative integer samples (e.g. microseconds) into buckets that double in width
 * every power of two, each power split into 32 linear sub-buckets.
 *
 * @example
 * ```ts
 * import { Histogram } from "./histogram.ts";
 *
 * const histogram = new Histogram();
 * for (let i = 1; i <= 100; i++) histogram.record(i);
 * console.log(histogram.percentile(50)); // about 50
 * ```
 */
export class Histogram {
  readonly #counts = new Float64Array((MAX_EXPONENT + 1) * SUB_BUCKETS);
  #count = 0;
  #max = 0;

  /** Adds one sample; negative values count as 0, huge ones land in the last bucket. */
  record(value: number): void {
    const sample = value > 0 ? Math.round(value) : 0;
    this.#counts[bucketIndex(sample)]! += 1;
    this.#count += 1;
    if (sample > this.#max) this.#max = sample;
  }

  /** Number of samples recorded. */
  get count(): number {
    return this.#count;
  }

  /** The largest sample recorded (exact). */
  get max(): number {
    return this.#max;
  }

  /** The value at or below which `percent` % of samples fall (0 when empty). */
  percentile(percent: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil((percent / 100) * this.#count));
    let seen = 0;
    for (let index = 0; index < this.#counts.length; index++) {
      seen += this.#counts[index]!;
      if (seen >= rank) return Math.min(bucketUpperBound(index), this.#max);
    }
    return this.#max;
  }

  /** p50, p90, p99, max and count. */
  summary(): LatencySummary {
    return {
      count: this.#count,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      max: this.#max,
    };
  }

  /** Forgets every sample. */
  reset(): void {
    this.#counts.fill(0);
    this.#count = 0;
    this.#max = 0;
  }
}

function bucketIndex(value: number): number {
  if (value < SUB_BUCKETS) return value;
  const exponent = Math.min(Math.floor(Math.log2(value)), MAX_EXPONENT + SUB_BUCKET_BITS - 1);
  const shift = exponent - SUB_BUCKET_BITS;
  const subBucket = Math.min(Math.floor(value / 2 ** shift), 2 * SUB_BUCKETS - 1) - SUB_BUCKETS;
  return Math.min(
    shift * SUB_BUCKETS + SUB_BUCKETS + subBucket,
    (MAX_EXPONENT + 1) * SUB_BUCKETS - 1,
  );
}

function bucketUpperBound(index: number): number {
  if (index < SUB_BUCKETS) return index;
  const shift = Math.floor(index / SUB_BUCKETS) - 1;
  const subBucket = index % SUB_BUCKETS;
  return (SUB_BUCKETS + subBucket + 1) * 2 ** shift - 1;
}
