import assert from "node:assert/strict";
import { truncateChars, truncateUtf8, utf8ByteLength } from "../../../core/templates/mod.ts";

Deno.test("truncateUtf8() returns text that fits unchanged", () => {
  assert.equal(truncateUtf8("", 4096), "");
  const exact = "a".repeat(4096);
  assert.equal(truncateUtf8(exact, 4096), exact);
  const emoji = "😀".repeat(1024);
  assert.equal(utf8ByteLength(emoji), 4096);
  assert.equal(truncateUtf8(emoji, 4096), emoji);
});

Deno.test("truncateUtf8() cuts at 4096 bytes with an ellipsis", () => {
  const cut = truncateUtf8("a".repeat(5000), 4096);
  assert.equal(utf8ByteLength(cut), 4096);
  assert.ok(cut.endsWith("a…"));
});

Deno.test("truncateUtf8() never splits a multi-byte character at the boundary", () => {
  // Whatever the padding, an emoji (4 bytes) that does not fit with the "…" (3 bytes) is
  // dropped whole rather than cut into an invalid sequence.
  for (let pad = 4088; pad <= 4095; pad++) {
    const text = "a".repeat(pad) + "😀".repeat(4);
    const cut = truncateUtf8(text, 4096);
    const bytes = new TextEncoder().encode(cut);
    assert.ok(bytes.byteLength <= 4096, `pad ${pad}: ${bytes.byteLength} bytes`);
    assert.equal(new TextDecoder("utf-8", { fatal: true }).decode(bytes), cut, `pad ${pad}`);
    assert.ok(cut.endsWith("…"));
    assert.doesNotMatch(cut, /[\uD800-\uDBFF]…$/, "no lone high surrogate before the ellipsis");
  }
  assert.equal(truncateUtf8("a".repeat(4090) + "😀😀", 4096), "a".repeat(4090) + "…");
  assert.equal(truncateUtf8("a".repeat(4089) + "😀😀", 4096), "a".repeat(4089) + "😀…");
});

Deno.test("truncateUtf8() handles two- and three-byte characters", () => {
  const text = "é".repeat(3000); // 6000 bytes
  const cut = truncateUtf8(text, 4096);
  assert.equal(utf8ByteLength(cut), 4095, "2046 × 2 bytes + 3 for the ellipsis");
  assert.equal(truncateUtf8("日本語テキスト", 10), "日本…");
});

Deno.test("truncateChars() caps characters without splitting an emoji", () => {
  assert.equal(truncateChars("short", 10), "short");
  assert.equal(truncateChars("abcdefghij", 5), "abcd…");
  assert.equal(truncateChars("abc😀def", 5), "abc…");
  assert.equal(truncateChars("ab😀def", 5), "ab😀…");
});
