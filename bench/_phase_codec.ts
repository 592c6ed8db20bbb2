// 1. Codec: encode and decode of the protocol's messages (typical, full and 64 KiB Submits,
// ok and status responses), in process, against JSON.stringify/parse (with
// TextEncoder/TextDecoder, so both sides go bytes to bytes); and the msgpack codec alone
// against @msgpack/msgpack.

import { codecCases } from "./_codec_cases.ts";
import { nsPerOp } from "./_stats.ts";
import type { BenchContext } from "./_context.ts";

export function runCodec(context: BenchContext): void {
  context.progress("codec");
  const results: Record<string, unknown>[] = [];
  const rounds = context.quick ? 3 : 7;
  const roundMs = context.quick ? 20 : 50;
  for (const codecCase of codecCases()) {
    const ours = nsPerOp(codecCase.ours, { rounds, roundMs });
    const json = nsPerOp(codecCase.json, { rounds, roundMs });
    const rawOurs = nsPerOp(codecCase.rawOurs, { rounds, roundMs });
    const rawMsgpack = nsPerOp(codecCase.rawMsgpack, { rounds, roundMs });
    results.push({
      name: codecCase.name,
      oursNs: ours,
      jsonNs: json,
      rawOursNs: rawOurs,
      rawMsgpackNs: rawMsgpack,
    });
    context.rows.push({
      section: "1 Codec (per message)",
      figure: codecCase.name,
      value: ours / 1000,
      unit: "µs",
      baseline: { name: "JSON + TextEncoder/Decoder", value: json / 1000 },
    }, {
      section: "1 Codec (per message)",
      figure: `${codecCase.name}, msgpack alone`,
      value: rawOurs / 1000,
      unit: "µs",
      baseline: { name: "@msgpack/msgpack", value: rawMsgpack / 1000 },
    });
  }
  context.figures.codec = {
    method: "median of rounds of back-to-back calls in this process; ns per call",
    baseline: "JSON.stringify + TextEncoder.encode / TextDecoder.decode + JSON.parse; " +
      "rawOursNs (MsgpackEncoder/MsgpackDecoder alone) against rawMsgpackNs (@msgpack/msgpack)",
    cases: results,
  };
}
