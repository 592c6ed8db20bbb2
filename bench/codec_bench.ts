/**
 * Codec micro-benchmarks on the protocol's real messages (a typical Submit, one with every
 * field, a 64 KiB one, an ok and a status response), encode and decode: the protocol codec
 * (framed, validated), its msgpack codec alone, and side by side in the same run
 * @msgpack/msgpack (the baseline: what the protocol used before) and JSON.
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
  const benches: Array<[string, () => unknown, boolean]> = [
    ["@msgpack/msgpack, no frame, no validation", codecCase.rawMsgpack, true],
    ["MsgpackEncoder/MsgpackDecoder, no frame, no validation", codecCase.rawOurs, false],
    ["protocol codec (framed, validated)", codecCase.ours, false],
    ["JSON.stringify/parse + TextEncoder/Decoder", codecCase.json, false],
  ];
  for (const [name, fn, baseline] of benches) {
    Deno.bench({
      name,
      group,
      baseline,
      fn() {
        sink = fn();
      },
    });
  }
}

globalThis.addEventListener("unload", () => {
  if (sink === Symbol.for("unreachable")) console.log(sink);
});
