import { equal } from "node:assert/strict";
import { crc32 } from "../../../daemon/queue/_crc32.ts";

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
