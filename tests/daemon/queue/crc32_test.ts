import { equal } from "node:assert/strict";
import { crc32 } from "../../../daemon/queue/_crc32.ts";
import { pseudoRandomBytes } from "./_tasks.ts";

Deno.test("crc32() matches the IEEE check value and zlib's results", () => {
  const text = (s: string) => new TextEncoder().encode(s);
  equal(crc32(text("123456789")), 0xcbf43926);
  equal(crc32(new Uint8Array(0)), 0);
  equal(crc32(text("The quick brown fox jumps over the lazy dog")), 0x414fa339);
});

Deno.test("crc32() over a range equals crc32() of the slice", () => {
  const bytes = new TextEncoder().encode("xx123456789yy");
  equal(crc32(bytes, 2, 11), 0xcbf43926);
});

/** The byte-at-a-time CRC-32 this module used before slice-by-8: the reference. */
function referenceCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

Deno.test("crc32() matches a bitwise reference on random inputs of every length 0..100", () => {
  for (let length = 0; length <= 100; length++) {
    for (let seed = 1; seed <= 5; seed++) {
      const bytes = pseudoRandomBytes(length, length * 31 + seed);
      equal(crc32(bytes), referenceCrc32(bytes), `length ${length} seed ${seed}`);
    }
  }
});

Deno.test("crc32() matches a bitwise reference on large inputs and unaligned ranges", () => {
  for (const length of [1_000, 4_099, 65_536, 1_048_583]) {
    const bytes = pseudoRandomBytes(length, length);
    equal(crc32(bytes), referenceCrc32(bytes), `length ${length}`);
    for (const [start, end] of [[1, length], [3, length - 5], [7, 7 + 450]]) {
      equal(
        crc32(bytes, start, end),
        referenceCrc32(bytes.subarray(start, end)),
        `length ${length} range ${start}..${end}`,
      );
    }
  }
  const ones = new Uint8Array(1_000).fill(0xff);
  equal(crc32(ones), referenceCrc32(ones));
});
