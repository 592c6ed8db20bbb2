/**
 * Cutting text to a byte budget without breaking a character.
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * The size of a string in UTF-8, in bytes.
 *
 * @example
 * ```ts
 * import { utf8ByteLength } from "./truncate_utf8.ts";
 *
 * console.log(utf8ByteLength("né😀")); // 7
 * ```
 */
export function utf8ByteLength(text: string): number {
  return encoder.encode(text).byteLength;
}

/**
 * Returns `text` if its UTF-8 encoding fits in `maxBytes`; otherwise the longest prefix
 * that ends on a code point boundary and leaves room for `ellipsis`, followed by it.
 * Only about `maxBytes` of the text is ever encoded.
 *
 * @param ellipsis Appended when text is cut. @default {"…"}
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { truncateUtf8 } from "./truncate_utf8.ts";
 *
 * assert.deepEqual(truncateUtf8("hello", 10), "hello");
 * assert.deepEqual(truncateUtf8("ab😀cd", 7), "ab…"); // the emoji (4 bytes) would not fit with "…" (3)
 * ```
 */
export function truncateUtf8(text: string, maxBytes: number, ellipsis = "…"): string {
  if (text.length <= maxBytes / 3) return text;
  const buffer = new Uint8Array(Math.max(0, maxBytes));
  const whole = encoder.encodeInto(text, buffer);
  if (whole.read === text.length) return text;
  const room = maxBytes - encoder.encode(ellipsis).byteLength;
  if (room < 0) return "";
  const { read } = encoder.encodeInto(text, buffer.subarray(0, room));
  return text.slice(0, read) + ellipsis;
}

/**
 * Returns `text` if it has at most `maxChars` UTF-16 units; otherwise its start and "…",
 * `maxChars` units in all, never splitting a surrogate pair (an emoji).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { truncateChars } from "./truncate_utf8.ts";
 *
 * assert.deepEqual(truncateChars("abcdef", 4), "abc…");
 * assert.deepEqual(truncateChars("ab😀cd", 4), "ab…");
 * ```
 */
export function truncateChars(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = Math.max(0, maxChars - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** A line that opens or closes a fenced code block. */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * {@linkcode truncateUtf8} for Markdown: when the cut leaves a fenced code block open, it
 * is closed, within the same budget, so the rest of a phone's view is not one code block.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { truncateMarkdown } from "./truncate_utf8.ts";
 *
 * const reply = "Done.\n~~~\nnpm test\nok\n~~~";
 * assert.deepEqual(truncateMarkdown(reply, 20), "Done.\n~~~\nnpm…\n~~~");
 * ```
 */
export function truncateMarkdown(text: string, maxBytes: number): string {
  const cut = truncateUtf8(text, maxBytes);
  if (cut === text) return text;
  let open: string | undefined;
  for (const line of cut.split("\n")) {
    const fence = FENCE.exec(line)?.[1];
    if (fence === undefined) continue;
    if (open === undefined) open = fence;
    else if (fence[0] === open[0] && fence.length >= open.length) open = undefined;
  }
  if (open === undefined) return cut;
  const closing = `\n${open}`;
  return truncateUtf8(text, maxBytes - utf8ByteLength(closing)) + closing;
}
