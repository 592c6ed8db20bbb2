/**
 * Codec micro-benchmarks: encode and decode of a typical Submit and of a 64 KiB one, each
 * against JSON (the baseline) and raw msgpack without framing or validation.
 *
 * ```sh
 * deno bench bench/codec_bench.ts
 * ```
 *
 * @module
 */

import { codecCases } from "./_codec_cases.ts";

// Results go somewhere the optimiser cannot prove unused.
let sink: unknown;

for (const codecCase of codecCases()) {
  const group = codecCase.name;
  Deno.bench({
    name: "JSON.stringify/parse + TextEncoder/Decoder",
    group,
    baseline: true,
    fn() {
      sink = codecCase.json();
    },
  });
  Deno.bench({
    name: "protocol codec (framed, validated)",
    group,
    fn() {
      sink = codecCase.ours();
    },
  });
  Deno.bench({
    name: "@msgpack/msgpack, no frame, no validation",
    group,
    fn() {
      sink = codecCase.rawMsgpack();
    },
  });
}

globalThis.addEventListener("unload", () => {
  if (sink === Symbol.for("unreachable")) console.log(sink);
});
