// The codec cases, shared by `deno bench` (codec_bench.ts) and the table (run.ts): for
// each message, our encode/decode, the msgpack codec alone, and two baselines on the same
// message: @msgpack/msgpack as the protocol used it before it had its own, and JSON.

import { Decoder, Encoder } from "@msgpack/msgpack";
import {
  decodeFrame,
  decodeRequest,
  decodeResponse,
  DEFAULT_MAX_FRAME_BYTES,
  encodeRequest,
  encodeResponse,
  type Request,
  type Response,
} from "../protocol/mod.ts";
import { MsgpackDecoder } from "../protocol/msgpack_decoder.ts";
import { MsgpackEncoder } from "../protocol/msgpack_encoder.ts";
import {
  fullTask,
  largeTask,
  okResponse,
  statusResponse,
  submit,
  typicalTask,
} from "./_messages.ts";

/** One operation, the msgpack part of it alone, and its baselines, each a function to time. */
export interface CodecCase {
  /** E.g. `encode Submit (379 B)`. */
  readonly name: string;
  /** The protocol's own function (framing and validation included). */
  readonly ours: () => unknown;
  /** The protocol's msgpack codec alone (MsgpackEncoder or MsgpackDecoder), no frame. */
  readonly rawOurs: () => unknown;
  /** @msgpack/msgpack, set up as codec.ts had it (shared-buffer encoder, same limits). */
  readonly rawMsgpack: () => unknown;
  /** JSON.stringify + TextEncoder, or TextDecoder + JSON.parse, of the same message. */
  readonly json: () => unknown;
}

const LIMITS = {
  maxStrLength: DEFAULT_MAX_FRAME_BYTES,
  maxBinLength: DEFAULT_MAX_FRAME_BYTES,
  maxArrayLength: 65_536,
  maxMapLength: 65_536,
};

/** Encode and decode of a typical, a full and a 64 KiB Submit, an ok and a status response. */
export function codecCases(): CodecCase[] {
  const cases: CodecCase[] = [];
  const text = new TextEncoder();
  const bytes = new TextDecoder();
  const oursEncoder = new MsgpackEncoder();
  const oursDecoder = new MsgpackDecoder({ ...LIMITS, maxDepth: 16 });
  const theirsEncoder = new Encoder({ ignoreUndefined: true });
  const theirsDecoder = new Decoder({ ...LIMITS, maxExtLength: DEFAULT_MAX_FRAME_BYTES });
  const url = "http://127.0.0.1:8080";
  const messages: Array<{ label: string; message: Request | Response }> = [
    { label: "Submit, typical", message: submit(typicalTask(url), 42) },
    { label: "Submit, every field", message: submit(fullTask(url), 42) },
    { label: "Submit, 64 KiB", message: submit(largeTask(url), 42) },
    { label: "ok response", message: okResponse() },
    { label: "status response", message: statusResponse() },
  ];
  for (const { label, message } of messages) {
    const isRequest = label.startsWith("Submit");
    const encode = isRequest
      ? () => encodeRequest(message as Request)
      : () => encodeResponse(message as Response);
    const decode = isRequest ? decodeRequest : decodeResponse;
    const frame = encode();
    const payload = decodeFrame(frame);
    const raw = theirsEncoder.encode(message);
    if (raw.byteLength !== payload.byteLength) throw new Error(`${label}: payloads differ`);
    const json = text.encode(JSON.stringify(message));
    const size = `${frame.byteLength.toLocaleString("en-US")} B`;
    cases.push({
      name: `encode ${label} (${size})`,
      ours: encode,
      rawOurs: () => oursEncoder.encodeShared(message),
      rawMsgpack: () => theirsEncoder.encodeSharedRef(message),
      json: () => text.encode(JSON.stringify(message)),
    }, {
      name: `decode ${label} (${size})`,
      ours: () => decode(decodeFrame(frame)),
      rawOurs: () => oursDecoder.decode(payload),
      rawMsgpack: () => theirsDecoder.decode(raw),
      json: () => JSON.parse(bytes.decode(json)),
    });
  }
  return cases;
}
