import { deepStrictEqual, equal, notStrictEqual, ok, throws } from "node:assert/strict";
import { encode as oracleEncode } from "@msgpack/msgpack";
import { MsgpackEncoder } from "../../protocol/msgpack_encoder.ts";
import { assertSameBytes } from "./_msgpack_assert.ts";

const encoder = new MsgpackEncoder();

function hex(bytes: Uint8Array, max = 24): string {
  const shown = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, "0"));
  return shown.join(" ");
}

/** Asserts the encoding starts with `head` (hex) and is what @msgpack/msgpack writes. */
function assertEncodes(value: unknown, head: string, total?: number): Uint8Array {
  const bytes = encoder.encode(value);
  const label = typeof value === "string" ? `str of ${value.length} units` : String(value);
  equal(hex(bytes, head.split(" ").length), head, label);
  if (total !== undefined) equal(bytes.byteLength, total, label);
  assertSameBytes(bytes, oracleEncode(value, { ignoreUndefined: true }), label);
  return bytes;
}

Deno.test("MsgpackEncoder writes nil, false and true", () => {
  assertEncodes(null, "c0", 1);
  assertEncodes(false, "c2", 1);
  assertEncodes(true, "c3", 1);
  deepStrictEqual(encoder.encode(undefined), new Uint8Array([0xc0]));
});

Deno.test("MsgpackEncoder writes each non-negative integer in the smallest format", () => {
  assertEncodes(0, "00", 1);
  assertEncodes(0x7f, "7f", 1);
  assertEncodes(0x80, "cc 80", 2);
  assertEncodes(0xff, "cc ff", 2);
  assertEncodes(0x100, "cd 01 00", 3);
  assertEncodes(0xffff, "cd ff ff", 3);
  assertEncodes(0x1_0000, "ce 00 01 00 00", 5);
  assertEncodes(0xffff_ffff, "ce ff ff ff ff", 5);
  assertEncodes(0x1_0000_0000, "cf 00 00 00 01 00 00 00 00", 9);
  assertEncodes(Number.MAX_SAFE_INTEGER, "cf 00 1f ff ff ff ff ff ff", 9);
});

Deno.test("MsgpackEncoder writes each negative integer in the smallest format", () => {
  assertEncodes(-1, "ff", 1);
  assertEncodes(-0x20, "e0", 1);
  assertEncodes(-0x21, "d0 df", 2);
  assertEncodes(-0x80, "d0 80", 2);
  assertEncodes(-0x81, "d1 ff 7f", 3);
  assertEncodes(-0x8000, "d1 80 00", 3);
  assertEncodes(-0x8001, "d2 ff ff 7f ff", 5);
  assertEncodes(-0x8000_0000, "d2 80 00 00 00", 5);
  assertEncodes(-0x8000_0001, "d3 ff ff ff ff 7f ff ff ff", 9);
  assertEncodes(Number.MIN_SAFE_INTEGER, "d3 ff e0 00 00 00 00 00 01", 9);
});

Deno.test("MsgpackEncoder writes -0 as the integer 0, as msgpack has no integer -0", () => {
  assertEncodes(-0, "00", 1);
});

Deno.test("MsgpackEncoder writes fractions, non-finite numbers and unsafe integers as float 64", () => {
  assertEncodes(1.5, "cb 3f f8 00 00 00 00 00 00", 9);
  assertEncodes(-0.1, "cb bf b9 99 99 99 99 99 9a", 9);
  assertEncodes(Infinity, "cb 7f f0 00 00 00 00 00 00", 9);
  assertEncodes(-Infinity, "cb ff f0 00 00 00 00 00 00", 9);
  assertEncodes(NaN, "cb", 9);
  assertEncodes(2 ** 53, "cb 43 40 00 00 00 00 00 00", 9);
  assertEncodes(-(2 ** 63), "cb c3 e0 00 00 00 00 00 00", 9);
  assertEncodes(2 ** 64, "cb 43 f0 00 00 00 00 00 00", 9);
});

Deno.test("MsgpackEncoder writes each str length in the smallest format", () => {
  assertEncodes("", "a0", 1);
  assertEncodes("a".repeat(31), "bf 61", 32);
  assertEncodes("a".repeat(32), "d9 20 61", 34);
  assertEncodes("a".repeat(255), "d9 ff 61", 257);
  assertEncodes("a".repeat(256), "da 01 00 61", 259);
  assertEncodes("a".repeat(65_535), "da ff ff 61", 65_538);
  assertEncodes("a".repeat(65_536), "db 00 01 00 00 61", 65_541);
});

Deno.test("MsgpackEncoder sizes the str header by UTF-8 bytes, not by characters", () => {
  // Few characters, more bytes: each crosses a header boundary that the length in UTF-16
  // units does not.
  assertEncodes("é".repeat(15) + "a", "bf c3 a9", 32);
  assertEncodes("é".repeat(16), "d9 20 c3 a9", 34);
  assertEncodes("€".repeat(11), "d9 21 e2 82 ac", 35);
  assertEncodes("€".repeat(86), "da 01 02 e2 82 ac", 261);
  assertEncodes("€".repeat(21_846), "db 00 01 00 02 e2 82 ac", 65_543);
  assertEncodes("🙂".repeat(8), "d9 20 f0 9f 99 82", 34);
});

Deno.test("MsgpackEncoder writes UTF-8 like TextEncoder, short and long, ASCII or not", () => {
  const text = new TextEncoder();
  for (const sample of ["✍️ done", "a\u0000b", "\u007f\u0080\u07ff\u0800\uffff", "日本"]) {
    for (const value of [sample, sample.repeat(10), "x".repeat(39) + sample]) {
      const bytes = encoder.encode(value);
      deepStrictEqual(
        bytes.subarray(bytes.byteLength - text.encode(value).byteLength),
        text.encode(value),
      );
    }
  }
});

Deno.test("MsgpackEncoder writes a lone surrogate as U+FFFD, as TextEncoder does", () => {
  for (const value of ["\ud800", "a\udc00b", "\ud83d", "x".repeat(100) + "\ud800"]) {
    const bytes = encoder.encode(value);
    const utf8 = new TextEncoder().encode(value);
    deepStrictEqual(bytes.subarray(bytes.byteLength - utf8.byteLength), utf8);
    ok(hex(bytes, 200).includes("ef bf bd"), `${JSON.stringify(value)} holds U+FFFD`);
  }
});

Deno.test("MsgpackEncoder writes each bin length in the smallest format", () => {
  assertEncodes(new Uint8Array(0), "c4 00", 2);
  assertEncodes(new Uint8Array(255), "c4 ff", 257);
  assertEncodes(new Uint8Array(256), "c5 01 00", 259);
  assertEncodes(new Uint8Array(65_535), "c5 ff ff", 65_538);
  assertEncodes(new Uint8Array(65_536), "c6 00 01 00 00", 65_541);
  const view = new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4);
  deepStrictEqual(encoder.encode(view), new Uint8Array([0xc4, 3, 1, 2, 3]));
});

Deno.test("MsgpackEncoder writes each array length in the smallest format", () => {
  assertEncodes([], "90", 1);
  assertEncodes(new Array(15).fill(0), "9f 00", 16);
  assertEncodes(new Array(16).fill(0), "dc 00 10 00", 19);
  assertEncodes(new Array(65_535).fill(0), "dc ff ff 00", 65_538);
  assertEncodes(new Array(65_536).fill(0), "dd 00 01 00 00 00", 65_541);
  deepStrictEqual(encoder.encode([undefined, , 1]), new Uint8Array([0x93, 0xc0, 0xc0, 0x01]));
});

function mapOf(count: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) map[`k${i}`] = i & 0x7f;
  return { ...map, ...extra };
}

Deno.test("MsgpackEncoder writes each map size in the smallest format", () => {
  assertEncodes({}, "80", 1);
  assertEncodes(mapOf(15), "8f a2 6b 30 00");
  assertEncodes(mapOf(16), "de 00 10 a2 6b 30 00");
  assertEncodes(mapOf(65_535), "de ff ff a2 6b 30 00");
  assertEncodes(mapOf(65_536), "df 00 01 00 00 a2 6b 30 00");
});

Deno.test("MsgpackEncoder leaves out undefined map values, and sizes the header by what is left", () => {
  assertEncodes({ a: 1, b: undefined, c: null }, "82 a1 61 01 a1 63 c0", 7);
  assertEncodes({ a: undefined }, "80", 1);
  // 17 keys of which 2 are undefined: a fixmap of 15, not a map 16.
  assertEncodes(mapOf(15, { x: undefined, y: undefined }), "8f a2 6b 30 00");
  assertEncodes(mapOf(65_535, { x: undefined }), "de ff ff a2 6b 30 00");
  assertEncodes({ nested: [{ a: undefined, b: 2 }] }, "81 a6 6e 65 73 74 65 64 91 81 a1 62 02");
});

Deno.test("MsgpackEncoder writes own enumerable keys of plain objects, null prototype included", () => {
  const bare = Object.assign(Object.create(null), { b: 2, a: 1 });
  deepStrictEqual(encoder.encode(bare), new Uint8Array([0x82, 0xa1, 0x62, 0x02, 0xa1, 0x61, 0x01]));
  const hidden = Object.defineProperty({}, "hidden", { value: 1, enumerable: false });
  deepStrictEqual(encoder.encode(hidden), new Uint8Array([0x80]));
});

Deno.test("MsgpackEncoder refuses values msgpack cannot carry here with a TypeError", () => {
  class Point {
    x = 1;
  }
  const refused = [
    1n,
    Symbol("s"),
    () => 1,
    new Date(0),
    new Map([["a", 1]]),
    new Set([1]),
    new Point(),
    Object.create({ inherited: 1 }),
    new Uint16Array(2),
    new ArrayBuffer(2),
    { nested: [new Date(0)] },
  ];
  for (const value of refused) {
    throws(() => encoder.encode(value), TypeError, String(value?.constructor?.name ?? value));
  }
  // The encoder is usable after a refusal.
  deepStrictEqual(encoder.encode({ a: 1 }), new Uint8Array([0x81, 0xa1, 0x61, 0x01]));
});

Deno.test("MsgpackEncoder refuses nesting deeper than maxDepth, and cycles, with a RangeError", () => {
  const shallow = new MsgpackEncoder({ maxDepth: 2 });
  deepStrictEqual(shallow.encode([[1]]), new Uint8Array([0x91, 0x91, 0x01]));
  deepStrictEqual(shallow.encode([new Uint8Array(1)]), new Uint8Array([0x91, 0xc4, 0x01, 0x00]));
  throws(() => shallow.encode([[[1]]]), RangeError);
  throws(() => shallow.encode({ a: { b: {} } }), RangeError);
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  throws(() => encoder.encode(cycle), RangeError);
});

Deno.test("MsgpackEncoder.encodeShared() returns a view of a buffer the next call reuses", () => {
  const own = new MsgpackEncoder({ initialBufferSize: 4 });
  const first = own.encodeShared("ab");
  deepStrictEqual(first, new Uint8Array([0xa2, 0x61, 0x62]));
  own.encodeShared("cd");
  deepStrictEqual(first, new Uint8Array([0xa2, 0x63, 0x64]));
  const copy = own.encode("ef");
  own.encodeShared("gh");
  deepStrictEqual(copy, new Uint8Array([0xa2, 0x65, 0x66]));
  notStrictEqual(copy.buffer, own.encodeShared("ij").buffer);
});

Deno.test("MsgpackEncoder grows its buffer as needed and keeps it", () => {
  const own = new MsgpackEncoder({ initialBufferSize: 1 });
  const value = {
    list: Array.from({ length: 100 }, (_, i) => `item ${i} ✓`),
    blob: new Uint8Array(5000),
  };
  deepStrictEqual(own.encode(value), oracleEncode(value));
  deepStrictEqual(own.encode(1), new Uint8Array([1]));
  deepStrictEqual(own.encode(value), oracleEncode(value));
});
