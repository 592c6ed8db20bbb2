// UTF-8 for the msgpack codec. A call into TextEncoder or TextDecoder costs about as much
// as converting a few dozen characters in JavaScript, and most strings in a message are
// short ASCII keys and values: those are converted here, everything else by the platform.
// Either way the result is exactly what TextEncoder and TextDecoder (replacement mode)
// give: a lone surrogate is written as U+FFFD, invalid bytes read as U+FFFD.

// Made on first use, as are the caches below: the hook loads this module on every event
// and, on its fast path, converts nothing here (made at load, they cost it about 0.1 ms).
let textEncoder: TextEncoder | undefined;
let textDecoder: TextDecoder | undefined;

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
  return at + (textEncoder ??= new TextEncoder()).encodeInto(text, out.subarray(at)).written;
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
  return (textDecoder ??= new TextDecoder()).decode(bytes.subarray(start, end));
}

// Map keys repeat from message to message. Returning the same string for the same bytes
// spares building it, and V8 then finds it already internalized when it becomes a property
// name. The cache is a fixed table of recent keys, indexed by a hash of their bytes.

/** A table of recent strings, indexed by a hash of their UTF-8 bytes. */
class StringCache {
  readonly #slotBytes: number;
  readonly #mask: number;
  readonly #bytes: Uint8Array;
  readonly #lengths: Uint8Array;
  readonly #strings: string[];

  /** `slots` (a power of two) strings of up to `slotBytes` (at most 255) bytes each. */
  constructor(slots: number, slotBytes: number) {
    this.#slotBytes = slotBytes;
    this.#mask = slots - 1;
    this.#bytes = new Uint8Array(slots * slotBytes);
    this.#lengths = new Uint8Array(slots);
    this.#strings = new Array(slots).fill("");
  }

  /** The string held by `bytes[start, end)`, from the table when it is there. */
  read(bytes: Uint8Array, start: number, end: number): string {
    const length = end - start;
    if (length > this.#slotBytes || length === 0) return readUtf8(bytes, start, end);
    let hash = length;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x0100_0193);
    const slot = (hash ^ (hash >>> 15)) & this.#mask;
    const base = slot * this.#slotBytes;
    const cached = this.#bytes;
    if (this.#lengths[slot] === length) {
      let i = 0;
      while (i < length && cached[base + i] === bytes[start + i]) i++;
      if (i === length) return this.#strings[slot]!;
    }
    const text = readUtf8(bytes, start, end);
    cached.set(bytes.subarray(start, end), base);
    this.#lengths[slot] = length;
    this.#strings[slot] = text;
    return text;
  }
}

let keys: StringCache | undefined;
let values: StringCache | undefined;

/** Like {@linkcode readUtf8}, for map keys: short ones come from a cache. */
export function readKey(bytes: Uint8Array, start: number, end: number): string {
  return (keys ??= new StringCache(512, 16)).read(bytes, start, end);
}

/**
 * Like {@linkcode readUtf8}, for values that repeat from message to message (a server URL,
 * a topic, a project): ones of up to 64 bytes come from a cache of recent ones.
 */
export function readRepeatedString(bytes: Uint8Array, start: number, end: number): string {
  return (values ??= new StringCache(256, 64)).read(bytes, start, end);
}
