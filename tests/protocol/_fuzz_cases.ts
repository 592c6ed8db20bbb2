// Fuzz inputs for the wire protocol, shared by the in-process fuzz test and the live daemon
// fuzz test: byte streams that may hold zero, one or several frames, built from mutated
// valid requests, wrong-shaped msgpack values, hand-made msgpack and plain noise.
import { encode, ExtData } from "@msgpack/msgpack";
import {
  DEFAULT_MAX_FRAME_BYTES,
  encodeRequest,
  FRAME_HEADER_BYTES,
  writeFrameHeader,
} from "../../protocol/mod.ts";
import type { SeededRandom } from "../support/seeded_random.ts";
import { handmadePayload } from "./_fuzz_handmade.ts";
import { concatBytes } from "../../protocol/concat_bytes.ts";
import { randomRequest, randomText } from "./_fuzz_requests.ts";

export { randomRequest, randomTask } from "./_fuzz_requests.ts";

export interface FuzzCase {
  /** The generator that made it, for statistics and failure reports. */
  readonly kind: string;
  /** The bytes to send. */
  readonly bytes: Uint8Array;
}

/** Options for {@linkcode fuzzCase}. */
export interface FuzzCaseOptions {
  /** Probability of the expensive cases (payloads near the frame limit). @default {0.01} */
  readonly hugeRate?: number;
}

// ---- wrong shapes for every field ----

function wrongValue(rng: SeededRandom, huge: boolean): unknown {
  const pick = huge ? rng.int(4) : rng.range(4, 25);
  switch (pick) {
    case 0:
      return "s".repeat(rng.range(100_000, 900_000));
    case 1:
      return new Uint8Array(rng.range(100_000, 900_000));
    case 2:
      return Array.from({ length: rng.range(10_000, 65_536) }, (_, i) => i);
    case 3:
      return Object.fromEntries(
        Array.from({ length: rng.range(1_000, 30_000) }, (_, i) => [`k${i}`, i]),
      );
    case 4:
      return null;
    case 5:
      return rng.chance(0.5);
    case 6:
      return rng.pick([
        NaN,
        Infinity,
        -Infinity,
        -0,
        -1,
        1.5,
        2 ** 32,
        2 ** 53,
        2 ** 64,
        -(2 ** 63),
      ]);
    case 7:
      return rng.int(10);
    case 8:
      return randomText(rng);
    case 9:
      return "";
    case 10:
      return rng.bytes(rng.size(64));
    case 11:
      return new ExtData(rng.range(-128, 127), rng.bytes(rng.size(32)));
    case 12:
      return new Date(rng.uint32() * 1000);
    case 13:
      return [];
    case 14:
      return {};
    case 15:
      return [randomText(rng), 1, null];
    case 16:
      return { type: "bearer", nested: { deeper: [1, 2, { x: "y" }] } };
    case 17: {
      let value: unknown = 1;
      for (let i = rng.range(1, 90); i > 0; i--) value = rng.chance(0.5) ? [value] : { a: value };
      return value;
    }
    case 18:
      return rng.pick(["http://[", "https://a b", "http://%zz", "http://x:99999", "https://<x>"]);
    case 19:
      return rng.pick(["json ", "TEXT", "bearer", "basic", "hello", "submit"]);
    case 20:
      return rng.pick([0, 6, 3.5, -3, 3601, 1e308]);
    case 21:
      return [1, 2, 3, 4].map(() => ({ action: "view", label: "x" }));
    case 22:
      return { "": "", " ": 1 };
    case 23:
      return rng.pick(["-", "_".repeat(65), "a/b", "ü", "topic!"]);
    case 24:
      return undefined; // dropped by the encoder: the field goes missing
    default:
      return new Map([[1, "a"]]);
  }
}

type Path = Array<string | number>;

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([...prefix, index]);
      paths(item, [...prefix, index], out);
    });
  } else if (
    typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype
  ) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      paths(item, [...prefix, key], out);
    }
  }
  return out;
}

function setPath(root: unknown, path: Path, value: unknown, remove: boolean): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove && !Array.isArray(node)) delete node[last];
  else node[last] = value;
}

/** A valid request with one to three fields replaced by wrong values, dropped or added. */
function wrongShapePayload(rng: SeededRandom, huge: boolean): Uint8Array {
  const request = structuredClone(randomRequest(rng)) as unknown as Record<string, unknown>;
  const edits = rng.range(1, 3);
  for (let i = 0; i < edits; i++) {
    const all = paths(request);
    const roll = rng.int(10);
    if (roll === 0 || all.length === 0) {
      request[rng.pick(["extra", "task", "token", "version", "status"])] = wrongValue(rng, false);
    } else {
      setPath(request, rng.pick(all), wrongValue(rng, huge && i === 0), roll === 1);
    }
  }
  if (rng.chance(0.02)) return encode(wrongValue(rng, huge), { ignoreUndefined: true });
  try {
    return encode(request, { ignoreUndefined: true });
  } catch {
    // A Map with a number key or similar that the encoder refuses: send the plain request.
    return encode(randomRequest(rng));
  }
}

// ---- byte-level mutations ----

const INTERESTING = [
  0x00,
  0x01,
  0x7f,
  0x80,
  0x90,
  0xa0,
  0xc0,
  0xc1,
  0xc4,
  0xcb,
  0xcf,
  0xd3,
  0xd9,
  0xdb,
  0xdc,
  0xdd,
  0xde,
  0xdf,
  0xff,
];

/** `input` with a few random mutations: flips, insertions, deletions, noise. */
export function mutate(rng: SeededRandom, input: Uint8Array): Uint8Array {
  let bytes: Uint8Array = input.slice();
  const rounds = rng.range(1, 4);
  for (let round = 0; round < rounds; round++) {
    const length = bytes.byteLength;
    const at = rng.int(length + 1);
    switch (rng.int(8)) {
      case 0: // bit flips
        for (let i = rng.range(1, 8); i > 0 && length > 0; i--) {
          bytes[rng.int(length)]! ^= 1 << rng.int(8);
        }
        break;
      case 1: // insertion
        bytes = concatBytes([
          bytes.subarray(0, at),
          rng.bytes(rng.range(1, 16)),
          bytes.subarray(at),
        ]);
        break;
      case 2: // deletion
        bytes = concatBytes([bytes.subarray(0, at), bytes.subarray(at + rng.range(1, 16))]);
        break;
      case 3: // truncation
        bytes = bytes.slice(0, at);
        break;
      case 4: // an interesting byte
        if (length > 0) bytes[rng.int(length)] = rng.pick(INTERESTING);
        break;
      case 5: // overwrite a run with noise
        bytes.set(
          rng.bytes(Math.min(rng.range(1, 8), length - Math.min(at, length))),
          Math.min(at, length),
        );
        break;
      case 6: { // duplicate a run
        const end = Math.min(length, at + rng.range(1, 32));
        bytes = concatBytes([bytes.subarray(0, end), bytes.subarray(at, end), bytes.subarray(end)]);
        break;
      }
      default: // byte arithmetic
        if (length > 0) {
          const i = rng.int(length);
          bytes[i] = bytes[i]! + rng.pick([-1, 1, -16, 16, 0x80]);
        }
    }
  }
  return bytes;
}

function frameOf(payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.byteLength);
  writeFrameHeader(frame, payload.byteLength);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

function tamperHeader(rng: SeededRandom, frame: Uint8Array): Uint8Array {
  const out = frame.slice();
  const actual = frame.byteLength - FRAME_HEADER_BYTES;
  const length = rng.pick([
    0,
    1,
    actual - 1,
    actual + 1,
    actual + rng.range(2, 1000),
    Math.max(0, actual - rng.range(2, 1000)),
    DEFAULT_MAX_FRAME_BYTES,
    DEFAULT_MAX_FRAME_BYTES + 1,
    0x7fff_ffff,
    0xffff_ffff,
    rng.uint32(),
  ]);
  writeFrameHeader(out, Math.max(0, length) >>> 0);
  return out;
}

/**
 * One fuzz input. Roughly: 45% mutated valid requests (payload re-framed or raw stream),
 * 10% tampered length headers, 8% splices of two frames, 5% truncations, 17% wrong
 * shapes, 10% hand-made msgpack, 5% noise.
 */
export function fuzzCase(rng: SeededRandom, options: FuzzCaseOptions = {}): FuzzCase {
  const huge = rng.chance(options.hugeRate ?? 0.01);
  const roll = rng.int(100);
  if (roll < 25) {
    const payload = encode(randomRequest(rng), { ignoreUndefined: true });
    return { kind: "mutated-payload", bytes: frameOf(mutate(rng, payload)) };
  }
  if (roll < 45) {
    return { kind: "mutated-stream", bytes: mutate(rng, encodeRequest(randomRequest(rng))) };
  }
  if (roll < 55) {
    return { kind: "header-tamper", bytes: tamperHeader(rng, encodeRequest(randomRequest(rng))) };
  }
  if (roll < 63) {
    const a = encodeRequest(randomRequest(rng));
    const b = encodeRequest(randomRequest(rng));
    const spliced = concatBytes([
      a.subarray(0, rng.int(a.byteLength + 1)),
      b.subarray(rng.int(b.byteLength + 1)),
    ]);
    return { kind: "splice", bytes: rng.chance(0.5) ? spliced : concatBytes([a, spliced, b]) };
  }
  if (roll < 68) {
    const frame = encodeRequest(randomRequest(rng));
    return { kind: "truncated", bytes: frame.slice(0, rng.int(frame.byteLength)) };
  }
  if (roll < 85) {
    return { kind: "wrong-shape", bytes: frameOf(wrongShapePayload(rng, huge)) };
  }
  if (roll < 95) {
    return { kind: "handmade", bytes: frameOf(handmadePayload(rng, huge)) };
  }
  const noise = rng.bytes(rng.size(huge ? 256 * 1024 : 4_096));
  return { kind: "noise", bytes: rng.chance(0.5) ? noise : frameOf(noise) };
}
