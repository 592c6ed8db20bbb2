// Hand-made msgpack payloads: values the encoder never writes (NaN ids, uint64, bad
// lengths, deep nesting, invalid UTF-8, banned keys) and payloads near the frame limit.
import { encode } from "@msgpack/msgpack";
import { DEFAULT_MAX_FRAME_BYTES, REQUEST_TYPES } from "../../protocol/mod.ts";
import type { SeededRandom } from "../support/seeded_random.ts";
import { concatBytes } from "../../protocol/concat_bytes.ts";
import { randomTask } from "./_fuzz_requests.ts";

// ---- small msgpack writer for shapes the encoder refuses to make ----

function be(marker: number, value: number, bytes: 1 | 2 | 4): Uint8Array {
  const out = new Uint8Array(1 + bytes);
  out[0] = marker;
  for (let i = 0; i < bytes; i++) out[bytes - i] = (value / 2 ** (8 * i)) & 0xff;
  return out;
}

function strHeader(length: number): Uint8Array {
  if (length < 32) return new Uint8Array([0xa0 | length]);
  if (length < 0x100) return be(0xd9, length, 1);
  if (length < 0x10000) return be(0xda, length, 2);
  return be(0xdb, length, 4);
}

function mapHeader(count: number): Uint8Array {
  if (count < 16) return new Uint8Array([0x80 | count]);
  if (count < 0x10000) return be(0xde, count, 2);
  return be(0xdf, count, 4);
}

function arrayHeader(count: number): Uint8Array {
  if (count < 16) return new Uint8Array([0x90 | count]);
  if (count < 0x10000) return be(0xdc, count, 2);
  return be(0xdd, count, 4);
}

const text = new TextEncoder();

function str(value: string): Uint8Array {
  const bytes = text.encode(value);
  return concatBytes([strHeader(bytes.byteLength), bytes]);
}

/** A msgpack map from already encoded keys and values. */
function rawMap(entries: ReadonlyArray<readonly [Uint8Array, Uint8Array]>): Uint8Array {
  return concatBytes([mapHeader(entries.length), ...entries.flatMap(([k, v]) => [k, v])]);
}

/** `{type, id, [key]: raw}`: a request envelope around one hand-made value. */
function envelope(type: string, id: Uint8Array, extra: Array<[string, Uint8Array]>): Uint8Array {
  return rawMap([
    [str("type"), str(type)],
    [str("id"), id],
    ...extra.map(([k, v]) => [str(k), v] as const),
  ]);
}

function fixId(rng: SeededRandom): Uint8Array {
  return encode(rng.range(1, 1000));
}

/** Hand-made payloads: numbers the encoder never writes, bad lengths, nesting, bad UTF-8. */
export function handmadePayload(rng: SeededRandom, huge: boolean): Uint8Array {
  const limit = DEFAULT_MAX_FRAME_BYTES;
  const type = rng.pick(REQUEST_TYPES);
  // 0-7 build payloads near the frame limit: only when a huge case was asked for.
  const pick = huge ? rng.int(8) : rng.pick([0, 1, 8, 9, 10, 11, 12, 13, 14, 15, 15]);
  switch (pick) {
    case 0: { // deep array nesting, optionally inside an envelope
      const depth = huge ? rng.range(50_000, 150_000) : rng.range(1, 2_000);
      const nest = new Uint8Array(depth + 1).fill(0x91);
      nest[depth] = 0xc0;
      return rng.chance(0.5) ? nest : envelope("submit", fixId(rng), [["task", nest]]);
    }
    case 1: { // deep map nesting
      const depth = huge ? rng.range(20_000, 60_000) : rng.range(1, 1_000);
      const nest = new Uint8Array(depth * 3 + 1);
      for (let i = 0; i < depth; i++) nest.set([0x81, 0xa1, 0x61], i * 3);
      nest[depth * 3] = 0xc0;
      return rng.chance(0.5) ? nest : envelope(type, fixId(rng), [["x", nest]]);
    }
    case 2: { // an array just over or under the decoder's 65,536-element limit
      const count = rng.pick([65_535, 65_536, 65_537, 100_000]);
      const items = new Uint8Array(count).fill(0xc0);
      return envelope(type, fixId(rng), [["version", concatBytes([arrayHeader(count), items])]]);
    }
    case 3: { // a map with tens of thousands of extra keys around a valid ping
      const count = huge ? rng.pick([60_000, 65_536, 70_000]) : rng.range(16, 2_000);
      const parts: Uint8Array[] = [mapHeader(count + 2), str("type"), str("ping"), str("id")];
      parts.push(fixId(rng));
      for (let i = 0; i < count; i++) parts.push(str(`k${i}`), new Uint8Array([i & 0x7f]));
      return concatBytes(parts);
    }
    case 4: { // a huge string in a field that wants something else, or in the right field
      const length = rng.range(100_000, limit - 200);
      const body = new Uint8Array(length).fill(rng.pick([0x61, 0x20, 0xff, 0xc3]));
      const value = concatBytes([strHeader(length), body]);
      const field = rng.pick(["type", "id", "version", "token", "client", "task"]);
      return field === "type"
        ? rawMap([[str("type"), value], [str("id"), fixId(rng)]])
        : envelope(rng.pick(["hello", "submit", "ping"]), fixId(rng), [[field, value]]);
    }
    case 5: { // bin (not str) of a huge size where strings are expected
      const length = rng.range(100_000, limit - 200);
      const value = concatBytes([be(0xc6, length, 4), new Uint8Array(length)]);
      return envelope("hello", fixId(rng), [["version", encode(1)], ["token", value]]);
    }
    case 6: { // a huge invalid-UTF-8 token in an otherwise valid hello
      const length = rng.range(300_000, limit - 200);
      const value = concatBytes([strHeader(length), new Uint8Array(length).fill(0xff)]);
      return envelope("hello", fixId(rng), [["version", encode(1)], ["token", value]]);
    }
    case 7: { // a valid submit whose body is huge
      const task = randomTask(rng);
      const body = "b".repeat(rng.range(100_000, limit - 2_000));
      return encode({ type: "submit", id: 1, task: { ...task, message: { body } } });
    }
    case 8: // lengths that announce far more than follows
      return envelope(type, fixId(rng), [[
        "token",
        rng.pick([
          be(0xdb, 0xffff_ffff, 4),
          be(0xc6, 0xffff_ffff, 4),
          be(0xdd, 0xffff_ffff, 4),
          be(0xdf, 0xffff_ffff, 4),
          be(0xc9, 0xffff_ffff, 4),
          be(0xdb, limit + 1, 4),
          be(0xda, 0xffff, 2),
        ]),
      ]]);
    case 9: { // ids of every numeric kind
      const id = rng.pick([
        new Uint8Array([0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0]), // NaN
        new Uint8Array([0xcb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0]), // Infinity
        new Uint8Array([0xcb, 0xff, 0xf0, 0, 0, 0, 0, 0, 0]), // -Infinity
        new Uint8Array([0xca, 0x7f, 0xc0, 0, 0]), // float32 NaN
        new Uint8Array([0xca, 0x40, 0xa0, 0, 0]), // float32 5
        new Uint8Array([0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0]), // 1.5
        new Uint8Array([0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // u64 max
        new Uint8Array([0xcf, 0, 0, 0, 1, 0, 0, 0, 0]), // 2^32
        new Uint8Array([0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // -1 as i64
        new Uint8Array([0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0]), // i64 min
        new Uint8Array([0xd0, 0x80]), // -128
        new Uint8Array([0xe0]), // -32
        new Uint8Array([0xce, 0xff, 0xff, 0xff, 0xff]), // u32 max (valid)
      ]);
      return envelope(type, id, type === "hello" ? [["version", encode(1)]] : []);
    }
    case 10: { // ext and timestamp values, valid and not
      const ext = rng.pick([
        new Uint8Array([0xd6, 0xff, 0, 0, 0, 1]), // timestamp32
        new Uint8Array([0xd7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // bad ns
        new Uint8Array([0xc7, 5, 0xff, 1, 2, 3, 4, 5]), // timestamp of a bad length
        new Uint8Array([0xd4, 0x05, 0x00]), // fixext1 type 5
        new Uint8Array([0xd8, 0x80, ...new Uint8Array(16)]), // fixext16 type -128
        concatBytes([be(0xc8, 300, 2), new Uint8Array([0x11]), new Uint8Array(300)]), // ext16
      ]);
      const field = rng.pick(["id", "type", "version", "token", "task", "extra"]);
      return field === "id" || field === "type"
        ? rawMap([[str(field), ext], [
          str(field === "id" ? "type" : "id"),
          field === "id" ? str(type) : fixId(rng),
        ]])
        : envelope(rng.pick(["hello", "submit"]), fixId(rng), [["version", encode(1)], [
          field,
          ext,
        ]]);
    }
    case 11: // reserved byte, trailing bytes, empty payload, bare scalars
      return rng.pick([
        new Uint8Array([0xc1]),
        concatBytes([encode({ type: "ping", id: 1 }), new Uint8Array([0xc0])]),
        concatBytes([encode({ type: "ping", id: 1 }), new Uint8Array([0xc1])]),
        new Uint8Array(0),
        new Uint8Array([0xc0]),
        new Uint8Array([0x81]),
        encode([{ type: "ping", id: 1 }]),
      ]);
    case 12: // keys that are not strings, and the one key the decoder bans
      return rng.pick([
        concatBytes([mapHeader(2), new Uint8Array([0x91, 1]), str("x"), str("id"), encode(1)]),
        concatBytes([mapHeader(2), new Uint8Array([0xc0]), str("x"), str("type"), str("ping")]),
        concatBytes([
          mapHeader(2),
          new Uint8Array([0xc4, 0x01, 0x61]),
          str("x"),
          str("id"),
          encode(1),
        ]),
        concatBytes([
          mapHeader(3),
          str("type"),
          str("ping"),
          str("id"),
          encode(1),
          str("__proto__"),
          encode({ a: 1 }),
        ]),
        concatBytes([mapHeader(2), encode(1.5), str("x"), str("id"), encode(1)]),
        concatBytes([
          mapHeader(3),
          str("type"),
          str("ping"),
          str("id"),
          encode(1),
          str("id"),
          encode(2),
        ]),
      ]);
    case 13: { // strings that are not UTF-8
      const bad = concatBytes([strHeader(4), new Uint8Array([0xff, 0xfe, 0xc3, 0x28])]);
      return envelope(rng.pick(["hello", "ping"]), fixId(rng), [
        ["version", encode(1)],
        [rng.pick(["token", "client"]), bad],
      ]);
    }
    case 14: // a type string with bad UTF-8 or a look-alike
      return rawMap([
        [
          str("type"),
          rng.pick([
            concatBytes([strHeader(4), new Uint8Array([0x70, 0x69, 0x6e, 0xff])]),
            str("pinG"),
            str("ping\u0000"),
            str(" ping"),
            str("constructor"),
            str("toString"),
            str("__proto__"),
          ]),
        ],
        [str("id"), fixId(rng)],
      ]);
    default: { // a frame-sized run of one byte, or random bytes
      const length = rng.size(4_096);
      return rng.chance(0.5) ? new Uint8Array(length).fill(rng.int(256)) : rng.bytes(length);
    }
  }
}
