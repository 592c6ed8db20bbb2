import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { encode as oracleEncode } from "@msgpack/msgpack";
import {
  MAX_DECODE_DEPTH,
  MsgpackDecodeError,
  type MsgpackDecodeErrorCode,
  MsgpackDecoder,
  type MsgpackDecoderOptions,
} from "../../protocol/msgpack_decoder.ts";
import { MsgpackEncoder } from "../../protocol/msgpack_encoder.ts";
import { SeededRandom } from "../support/seeded_random.ts";
import { assertSameBytes, assertSameJson } from "./_msgpack_assert.ts";

const decoder = new MsgpackDecoder();

function bytesOf(hex: string): Uint8Array {
  return new Uint8Array(hex.split(/\s+/).filter(Boolean).map((b) => parseInt(b, 16)));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** Asserts that decoding `bytes` throws a MsgpackDecodeError with `code` (and `offset`). */
function assertRefuses(
  bytes: Uint8Array,
  code: MsgpackDecodeErrorCode,
  offset?: number,
  options?: MsgpackDecoderOptions,
): MsgpackDecodeError {
  let caught: unknown;
  try {
    (options ? new MsgpackDecoder(options) : decoder).decode(bytes);
  } catch (error) {
    caught = error;
  }
  ok(caught instanceof MsgpackDecodeError, `expected ${code}, got ${caught}`);
  equal(caught.code, code, caught.message);
  if (offset !== undefined) equal(caught.offset, offset, caught.message);
  ok(caught.message.startsWith("Cannot decode msgpack: "), caught.message);
  return caught;
}

Deno.test("MsgpackDecoder reads nil, false and true", () => {
  equal(decoder.decode(bytesOf("c0")), null);
  equal(decoder.decode(bytesOf("c2")), false);
  equal(decoder.decode(bytesOf("c3")), true);
});

Deno.test("MsgpackDecoder reads every int format at its boundaries", () => {
  const cases: Array<[string, number]> = [
    ["00", 0],
    ["7f", 0x7f],
    ["ff", -1],
    ["e0", -0x20],
    ["cc 80", 0x80],
    ["cc ff", 0xff],
    ["cd 01 00", 0x100],
    ["cd ff ff", 0xffff],
    ["ce 00 01 00 00", 0x1_0000],
    ["ce ff ff ff ff", 0xffff_ffff],
    ["cf 00 00 00 01 00 00 00 00", 0x1_0000_0000],
    ["cf 00 1f ff ff ff ff ff ff", Number.MAX_SAFE_INTEGER],
    ["d0 df", -0x21],
    ["d0 80", -0x80],
    ["d0 7f", 0x7f],
    ["d1 ff 7f", -0x81],
    ["d1 80 00", -0x8000],
    ["d1 7f ff", 0x7fff],
    ["d2 ff ff 7f ff", -0x8001],
    ["d2 80 00 00 00", -0x8000_0000],
    ["d2 7f ff ff ff", 0x7fff_ffff],
    ["d3 ff ff ff ff 7f ff ff ff", -0x8000_0001],
    ["d3 ff e0 00 00 00 00 00 01", Number.MIN_SAFE_INTEGER],
    ["d3 00 00 00 00 00 00 00 05", 5],
    ["d3 ff ff ff ff ff ff ff ff", -1],
  ];
  for (const [hex, value] of cases) equal(decoder.decode(bytesOf(hex)), value, hex);
});

Deno.test("MsgpackDecoder rounds 64-bit ints outside the safe range to the nearest number", () => {
  equal(decoder.decode(bytesOf("cf ff ff ff ff ff ff ff ff")), 2 ** 64);
  equal(decoder.decode(bytesOf("cf 00 20 00 00 00 00 00 01")), 2 ** 53);
  equal(decoder.decode(bytesOf("d3 80 00 00 00 00 00 00 00")), -(2 ** 63));
  equal(decoder.decode(bytesOf("d3 7f ff ff ff ff ff ff ff")), 2 ** 63);
});

Deno.test("MsgpackDecoder reads float 64 and float 32", () => {
  equal(decoder.decode(bytesOf("cb 3f f8 00 00 00 00 00 00")), 1.5);
  equal(decoder.decode(bytesOf("cb bf b9 99 99 99 99 99 9a")), -0.1);
  ok(Object.is(decoder.decode(bytesOf("cb 80 00 00 00 00 00 00 00")), -0));
  equal(decoder.decode(bytesOf("cb 7f f0 00 00 00 00 00 00")), Infinity);
  ok(Number.isNaN(decoder.decode(bytesOf("cb 7f f8 00 00 00 00 00 00"))));
  equal(decoder.decode(bytesOf("ca 3f c0 00 00")), 1.5);
  equal(decoder.decode(bytesOf("ca 40 a0 00 00")), 5);
  equal(decoder.decode(bytesOf("ca 3d cc cc cd")), Math.fround(0.1));
  equal(decoder.decode(bytesOf("ca ff 80 00 00")), -Infinity);
  ok(Number.isNaN(decoder.decode(bytesOf("ca 7f c0 00 00"))));
});

Deno.test("MsgpackDecoder reads every str format at its length boundaries", () => {
  for (const length of [0, 1, 31, 32, 33, 255, 256, 65_535, 65_536]) {
    const text = "abcdefghij".repeat(Math.ceil(length / 10)).slice(0, length);
    const bytes = oracleEncode(text);
    const decoded = decoder.decode(bytes);
    ok(decoded === text, `str of ${length} bytes decodes to ${String(decoded).slice(0, 40)}`);
  }
  // Wider formats than needed are still valid msgpack.
  equal(decoder.decode(bytesOf("d9 03 61 62 63")), "abc");
  equal(decoder.decode(bytesOf("da 00 01 61")), "a");
  equal(decoder.decode(bytesOf("db 00 00 00 00")), "");
});

Deno.test("MsgpackDecoder reads UTF-8 exactly as TextDecoder does, valid or not", () => {
  const reference = new TextDecoder();
  const rng = new SeededRandom(7);
  const pieces = [
    [0x61],
    [0xc3, 0xa9],
    [0xe2, 0x82, 0xac],
    [0xf0, 0x9f, 0x99, 0x82],
    [0xed, 0xa0, 0x80], // an encoded surrogate: not UTF-8
    [0xc0, 0x80], // overlong
    [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
    [0xff],
    [0x80],
    [0xe2, 0x82], // cut short
  ];
  for (let round = 0; round < 3_000; round++) {
    const parts: number[] = [];
    const count = rng.chance(0.8) ? rng.int(12) : rng.range(20, 60);
    for (let i = 0; i < count; i++) {
      parts.push(...(rng.chance(0.7) ? rng.pick(pieces.slice(0, 4)) : rng.pick(pieces)));
    }
    const utf8 = new Uint8Array(parts);
    const bytes = concat(bytesOf("db 00 00 00 00"), utf8);
    new DataView(bytes.buffer).setUint32(1, utf8.byteLength);
    equal(decoder.decode(bytes), reference.decode(utf8), `bytes ${[...utf8]}`);
  }
});

Deno.test("MsgpackDecoder reads every bin format as a view of its input", () => {
  for (const length of [0, 1, 255, 256, 65_535, 65_536]) {
    const value = new Uint8Array(length).map((_, i) => i * 7);
    const bytes = oracleEncode(value);
    const decoded = decoder.decode(bytes) as Uint8Array;
    assertSameBytes(decoded, value, `bin of ${length}`);
    equal(decoded.buffer, bytes.buffer, "no copy");
  }
  const bytes = bytesOf("c4 02 0a 0b");
  const view = decoder.decode(bytes) as Uint8Array;
  bytes[2] = 0xff;
  deepStrictEqual([...view], [0xff, 0x0b]);
});

Deno.test("MsgpackDecoder reads every array and map format at its size boundaries", () => {
  for (const size of [0, 1, 15, 16, 65_535, 65_536]) {
    const array = Array.from({ length: size }, (_, i) => i & 0x7f);
    assertSameJson(decoder.decode(oracleEncode(array)), array, `array of ${size}`);
    const map = Object.fromEntries(array.map((v, i) => [`k${i}`, v]));
    assertSameJson(decoder.decode(oracleEncode(map)), map, `map of ${size}`);
  }
  deepStrictEqual(decoder.decode(bytesOf("dc 00 01 c0")), [null]);
  deepStrictEqual(decoder.decode(bytesOf("df 00 00 00 01 a1 61 01")), { a: 1 });
});

Deno.test("MsgpackDecoder builds plain objects, a later duplicate key replacing an earlier one", () => {
  const map = decoder.decode(bytesOf("83 a1 61 01 a1 62 02 a1 61 03")) as Record<string, unknown>;
  deepStrictEqual(map, { a: 3, b: 2 });
  equal(Object.getPrototypeOf(map), Object.prototype);
  deepStrictEqual(Object.keys(map), ["a", "b"]);
});

Deno.test("MsgpackDecoder refuses a __proto__ key and leaves every prototype alone", () => {
  const text = new TextEncoder();
  const withProto = concat(
    bytesOf("82 a1 61 01 a9"),
    text.encode("__proto__"),
    bytesOf("81 a8"),
    text.encode("polluted"),
    bytesOf("c3"),
  );
  assertRefuses(withProto, "KEY_FORBIDDEN", 4);
  assertRefuses(
    concat(bytesOf("91 81 a9"), text.encode("__proto__"), bytesOf("80")),
    "KEY_FORBIDDEN",
    2,
  );
  equal(({} as Record<string, unknown>).polluted, undefined);
  // "constructor" and "prototype" are ordinary own keys.
  const keys = decoder.decode(oracleEncode({ constructor: 1, prototype: 2, toString: 3 }));
  deepStrictEqual(keys, { constructor: 1, prototype: 2, toString: 3 });
});

Deno.test("MsgpackDecoder refuses map keys that are not str", () => {
  for (const key of ["01", "c0", "c3", "cb 3f f8 00 00 00 00 00 00", "c4 01 61", "91 01", "80"]) {
    assertRefuses(bytesOf(`81 ${key} 01`), "KEY_NOT_STRING", 1);
  }
  assertRefuses(bytesOf("82 a1 61 01 ff 01"), "KEY_NOT_STRING", 4);
});

Deno.test("MsgpackDecoder gives back the same keys however many keys pass through it", () => {
  // The key cache must never confuse two keys: many distinct short keys, twice over.
  const map: Record<string, number> = {};
  for (let i = 0; i < 5_000; i++) map[`k${(i * 7919).toString(36)}`] = i & 0x7f;
  const bytes = oracleEncode(map);
  assertSameJson(decoder.decode(bytes), map, "first pass");
  assertSameJson(decoder.decode(bytes), map, "second pass, keys from the cache");
  deepStrictEqual(decoder.decode(oracleEncode({ "é": 1, "\u0000": 2, "": 3, "ab": 4, "ba": 5 })), {
    "é": 1,
    "\u0000": 2,
    "": 3,
    "ab": 4,
    "ba": 5,
  });
});

Deno.test("MsgpackDecoder refuses the reserved byte 0xc1 anywhere", () => {
  assertRefuses(bytesOf("c1"), "RESERVED_BYTE", 0);
  assertRefuses(bytesOf("92 01 c1"), "RESERVED_BYTE", 2);
  assertRefuses(bytesOf("81 a1 61 c1"), "RESERVED_BYTE", 3);
});

Deno.test("MsgpackDecoder refuses every ext format, timestamps included", () => {
  const exts = [
    "d4 01 00",
    "d5 01 00 00",
    "d6 ff 00 00 00 01", // timestamp 32
    "d7 ff 00 00 00 00 00 00 00 01",
    "d8 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
    "c7 01 05 00",
    "c8 00 01 05 00",
    "c9 00 00 00 01 05 00",
    "c7", // even cut short, the format byte is enough
  ];
  for (const ext of exts) {
    assertRefuses(bytesOf(ext), "EXT_UNSUPPORTED", 0);
    assertRefuses(bytesOf(`91 ${ext}`), "EXT_UNSUPPORTED", 1);
  }
});

Deno.test("MsgpackDecoder refuses bytes after the value", () => {
  assertRefuses(bytesOf("01 02"), "TRAILING_BYTES", 1);
  assertRefuses(bytesOf("80 c0"), "TRAILING_BYTES", 1);
  assertRefuses(concat(oracleEncode({ type: "ping", id: 1 }), bytesOf("c1")), "TRAILING_BYTES");
});

Deno.test("MsgpackDecoder refuses empty input and every truncation of a valid encoding", () => {
  assertRefuses(new Uint8Array(0), "TRUNCATED", 0);
  const value = {
    nil: null,
    yes: true,
    ints: [0x7f, 0x80, 0x100, 0x1_0000, 0x1_0000_0000, -1, -0x21, -0x81, -0x8001, -(2 ** 40)],
    floats: [1.5, 2 ** 60],
    strs: ["", "a", "x".repeat(40), "é".repeat(200), "y".repeat(70_000)],
    bin: [new Uint8Array(3), new Uint8Array(300), new Uint8Array(70_000)],
    arrays: [[], new Array(16).fill(1), [[[]]]],
    maps: [{}, Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]))],
  };
  const full = oracleEncode(value);
  ok(isDeepStrictEqual(decoder.decode(full), value), "the whole encoding decodes");
  for (let length = 0; length < full.byteLength; length++) {
    // Every cut inside the long str and bin runs is alike; sample those.
    if (length > 2_000 && length % 997 !== 0 && full.byteLength - length > 40) continue;
    assertRefuses(full.subarray(0, length), "TRUNCATED");
  }
  const float32 = bytesOf("ca 3f c0 00 00");
  for (let length = 1; length < float32.byteLength; length++) {
    assertRefuses(float32.subarray(0, length), "TRUNCATED", 0);
  }
});

Deno.test("MsgpackDecoder refuses lengths announced past the input before allocating for them", () => {
  for (const head of ["db ff ff ff ff", "c6 ff ff ff ff", "dd ff ff ff ff", "df ff ff ff ff"]) {
    assertRefuses(bytesOf(`${head} 00 00`), "TRUNCATED", 0);
  }
  // A map needs two bytes per entry at least.
  assertRefuses(bytesOf("82 a1 61 01"), "TRUNCATED", 0);
});

Deno.test("MsgpackDecoder enforces maxStrLength, maxBinLength, maxArrayLength and maxMapLength", () => {
  const limits = { maxStrLength: 3, maxBinLength: 2, maxArrayLength: 4, maxMapLength: 1 };
  const limited = new MsgpackDecoder(limits);
  equal(limited.decode(oracleEncode("abc")), "abc");
  deepStrictEqual(limited.decode(oracleEncode(new Uint8Array(2))), new Uint8Array(2));
  deepStrictEqual(limited.decode(oracleEncode([1, 2, 3, 4])), [1, 2, 3, 4]);
  deepStrictEqual(limited.decode(oracleEncode({ abc: 1 })), { abc: 1 });
  assertRefuses(oracleEncode("abcd"), "LIMIT_EXCEEDED", 0, limits);
  assertRefuses(oracleEncode("ééé"), "LIMIT_EXCEEDED", 0, limits); // bytes, not characters
  assertRefuses(oracleEncode({ abcd: 1 }), "LIMIT_EXCEEDED", 1, limits); // keys too
  assertRefuses(oracleEncode(new Uint8Array(3)), "LIMIT_EXCEEDED", 0, limits);
  assertRefuses(oracleEncode([1, 2, 3, 4, 5]), "LIMIT_EXCEEDED", 0, limits);
  assertRefuses(oracleEncode({ a: 1, b: 2 }), "LIMIT_EXCEEDED", 0, limits);
  // Checked on the header, before the bytes it announces are looked for.
  assertRefuses(bytesOf("db 00 01 00 00"), "LIMIT_EXCEEDED", 0, limits);
  assertRefuses(bytesOf("dd 00 01 00 00"), "LIMIT_EXCEEDED", 0, limits);
  const error = assertRefuses(bytesOf("92 01 c5 01 00"), "LIMIT_EXCEEDED", 2, limits);
  ok(error.message.includes("bin length 256 exceeds limit 2"), error.message);
});

Deno.test("MsgpackDecoder refuses nesting deeper than maxDepth", () => {
  const options = { maxDepth: 3 };
  deepStrictEqual(new MsgpackDecoder(options).decode(bytesOf("91 81 a1 61 91 01")), [{ a: [1] }]);
  deepStrictEqual(new MsgpackDecoder(options).decode(bytesOf("91 91 91 c4 00")), [[[
    new Uint8Array(0),
  ]]]);
  assertRefuses(bytesOf("91 91 91 91 01"), "TOO_DEEP", 3, options);
  assertRefuses(bytesOf("91 91 91 90"), "TOO_DEEP", 3, options);
  assertRefuses(bytesOf("81 a1 61 81 a1 62 81 a1 63 80"), "TOO_DEEP", 9, options);
});

Deno.test("MsgpackDecoder refuses absurd nesting with its error, not a stack overflow", () => {
  const deep = new Uint8Array(200_001).fill(0x91);
  deep[200_000] = 0xc0;
  assertRefuses(deep, "TOO_DEEP", 100);
  const deepest = new MsgpackDecoder({ maxDepth: MAX_DECODE_DEPTH });
  const allowed = new Uint8Array(MAX_DECODE_DEPTH + 1).fill(0x91);
  allowed[MAX_DECODE_DEPTH] = 0xc0;
  ok(Array.isArray(deepest.decode(allowed)));
  throws(() => new MsgpackDecoder({ maxDepth: MAX_DECODE_DEPTH + 1 }), RangeError);
});

Deno.test("MsgpackDecoder throws nothing but MsgpackDecodeError on random and mangled input", () => {
  const rng = new SeededRandom(11);
  const encoder = new MsgpackEncoder();
  const limited = new MsgpackDecoder({ maxStrLength: 64, maxArrayLength: 8, maxDepth: 4 });
  const seen = new Set<string>();
  for (let round = 0; round < 20_000; round++) {
    let bytes: Uint8Array;
    if (rng.chance(0.5)) {
      bytes = rng.bytes(rng.size(64));
    } else {
      bytes = encoder.encode({ a: [1, "two", { three: 3.5 }], b: new Uint8Array(3), c: -200 });
      for (let i = rng.range(1, 3); i > 0; i--) bytes[rng.int(bytes.length)] = rng.int(256);
    }
    for (const which of [decoder, limited]) {
      try {
        which.decode(bytes);
        seen.add("decoded");
      } catch (error) {
        if (!(error instanceof MsgpackDecodeError)) {
          throw new Error(`bytes ${[...bytes]} threw ${error}`, { cause: error });
        }
        seen.add(error.code);
      }
    }
  }
  for (
    const code of ["decoded", "TRUNCATED", "TRAILING_BYTES", "RESERVED_BYTE", "EXT_UNSUPPORTED"]
  ) {
    ok(seen.has(code), `random input reached ${code}`);
  }
});
