// The codec cases, shared by `deno bench` (codec_bench.ts) and the table (run.ts): for
// each message, our encode/decode and two baselines on the same message.

import { decode as msgpackDecode, encode as msgpackEncode } from "@msgpack/msgpack";
import { decodeFrame, decodeRequest, encodeRequest } from "../protocol/mod.ts";
import { largeTask, submit, typicalTask } from "./_messages.ts";

/** One operation and its two baselines, each a function to time. */
export interface CodecCase {
  /** E.g. `encode Submit (379 B)`. */
  readonly name: string;
  /** The protocol's own function (framing and validation included). */
  readonly ours: () => unknown;
  /** JSON.stringify + TextEncoder, or TextDecoder + JSON.parse, of the same message. */
  readonly json: () => unknown;
  /** @msgpack/msgpack encode or decode of the same message, without framing or validation. */
  readonly rawMsgpack: () => unknown;
}

/** The four cases: encode and decode of a typical Submit and of a 64 KiB one. */
export function codecCases(): CodecCase[] {
  const cases: CodecCase[] = [];
  const text = new TextEncoder();
  const bytes = new TextDecoder();
  const messages = [
    { label: "typical", request: submit(typicalTask("http://127.0.0.1:8080"), 42) },
    { label: "64 KiB", request: submit(largeTask("http://127.0.0.1:8080"), 42) },
  ];
  for (const { label, request } of messages) {
    const frame = encodeRequest(request);
    const payload = decodeFrame(frame);
    const json = text.encode(JSON.stringify(request));
    const raw = msgpackEncode(request);
    const size = `${frame.byteLength.toLocaleString("en-US")} B`;
    cases.push({
      name: `encode Submit, ${label} (${size})`,
      ours: () => encodeRequest(request),
      json: () => text.encode(JSON.stringify(request)),
      rawMsgpack: () => msgpackEncode(request),
    }, {
      name: `decode Submit, ${label} (${size})`,
      ours: () => decodeRequest(decodeFrame(frame)),
      json: () => JSON.parse(bytes.decode(json)),
      rawMsgpack: () => msgpackDecode(raw),
    });
    // Keep `payload` alive so both decoders see the same bytes.
    if (payload.byteLength !== frame.byteLength - 4) throw new Error("bad frame");
  }
  return cases;
}
