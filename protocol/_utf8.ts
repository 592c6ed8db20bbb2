// UTF-8 for the msgpack codec. A call into TextEncoder or TextDecoder costs about as much
// as converting a few dozen characters in JavaScript, and most strings in a message are
// short ASCII keys and values: those are converted here, everything else by the platform.
// Either way the result is exactly what TextEncoder and TextDecoder (replacement mode)
// give: a lone surrogate is written as U+FFFD, invalid bytes read as U+FFFD.

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** Strings up to this many UTF-16 units are tried as ASCII in JavaScript. */
const SHORT_ENCODE_UNITS = 40;

/** Strings up to this many bytes are tried as ASCII in JavaScript. */
const SHORT_DECODE_BYTES = 32;

/**
 * Writes `text` as UTF-8 into `out` at `at` and returns the offset after it. `out` must
 * have room for `3 * text.length` bytes from `at`.
 */
export function writeUtf8(text: string, out: Uint8Array, at: number): number {
  const length = text.length;
  if (length <= SHORT_ENCODE_UNITS) {
    let i = 0;
    for (; i < length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) break;
      out[at + i] = unit;
    }
    if (i === length) return at + length;
  }
  return at + textEncoder.encodeInto(text, out.subarray(at)).written;
}

/** The string held by the UTF-8 bytes `bytes[start, end)`. */
export function readUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT_DECODE_BYTES) {
    let text = "";
    let i = start;
    for (; i < end; i++) {
      const byte = bytes[i]!;
      if (byte >= 0x80) break;
      text += String.fromCharCode(byte);
    }
    if (i === end) return text;
  }
  return textDecoder.decode(bytes.subarray(start, end));
}

// Map keys repeat from message to message. Returning the same string for the same bytes
// spares building it, and V8 then finds it already internalized when it becomes a property
// name. The cache is a fixed table of recent keys, indexed by a hash of their bytes.

/** Longest key kept in the cache, in bytes. */
const CACHED_KEY_BYTES = 16;
const CACHE_SLOTS = 512;
const cachedBytes = new Uint8Array(CACHE_SLOTS * CACHED_KEY_BYTES);
const cachedLengths = new Uint8Array(CACHE_SLOTS);
const cachedKeys: string[] = new Array(CACHE_SLOTS).fill("");

/** Like {@linkcode readUtf8}, for map keys: short ones come from a cache. */
export function readKey(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length > CACHED_KEY_BYTES || length === 0) return readUtf8(bytes, start, end);
  let hash = length;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x0100_0193);
  const slot = (hash ^ (hash >>> 15)) & (CACHE_SLOTS - 1);
  const base = slot * CACHED_KEY_BYTES;
  if (cachedLengths[slot] === length) {
    let i = 0;
    while (i < length && cachedBytes[base + i] === bytes[start + i]) i++;
    if (i === length) return cachedKeys[slot]!;
  }
  const key = readUtf8(bytes, start, end);
  for (let i = 0; i < length; i++) cachedBytes[base + i] = bytes[start + i]!;
  cachedLengths[slot] = length;
  cachedKeys[slot] = key;
  return key;
}
