import { equal, ok } from "node:assert/strict";
import { Histogram } from "../../../daemon/stats/histogram.ts";

Deno.test("Histogram percentiles are within 4% of the exact values", () => {
  const histogram = new Histogram();
  const values: number[] = [];
  let seed = 7;
  for (let i = 0; i < 50_000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const value = Math.round(Math.exp((seed / 2 ** 31) * 14)); // 1 .. ~1.2 M, log-spread
    values.push(value);
    histogram.record(value);
  }
  values.sort((a, b) => a - b);
  for (const p of [50, 90, 99]) {
    const exact = values[Math.ceil((p / 100) * values.length) - 1]!;
    const estimate = histogram.percentile(p);
    ok(Math.abs(estimate - exact) <= exact * 0.04 + 1, `p${p}: ${estimate} vs ${exact}`);
  }
  equal(histogram.max, values.at(-1));
  equal(histogram.count, 50_000);
});

Deno.test("Histogram uses constant memory and handles empty, zero, negative and huge samples", () => {
  const histogram = new Histogram();
  equal(histogram.percentile(50), 0);
  histogram.record(-5);
  histogram.record(0);
  histogram.record(2 ** 60);
  equal(histogram.count, 3);
  equal(histogram.percentile(10), 0);
  ok(histogram.percentile(100) > 2 ** 40);
  histogram.reset();
  equal(histogram.count, 0);
  equal(histogram.summary().max, 0);
});
