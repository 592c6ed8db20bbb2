/**
 * The hook's whole conversation with the daemon, in its own small module: `hello` and one
 * `event` request written as two frames in one buffer, and the answers read back. The
 * general codec (`codec.ts`) writes and reads the same messages; this one knows only these
 * shapes, so that the hook, a process started on every Claude Code event, loads and runs
 * a few hundred lines instead of the whole protocol. Cold code is what a short-lived
 * process pays for: each function V8 meets for the first time is compiled then.
 *
 * Pure: no I/O.
 *
 * @module
 */

import { ErrorCode, ProtocolError } from "./errors.ts";
import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES, writeFrameHeader } from "./frame.ts";
import type { EventRequest, HelloRequest } from "./messages.ts";
import { MsgpackDecoder } from "./msgpack_decoder.ts";
import { optionalString, requireString } from "./_validate.ts";
import { readEnvelope } from "./_envelope.ts";
import { checkMessageLength } from "./_frame_append.ts";

/** The answers the hook acts on; anything else is for the general codec to read. */
export type EventAnswer =
  | { readonly type: "hello"; readonly id: number }
  | {
    readonly type: "ok";
    readonly id: number;
    readonly taskId?: string;
    readonly skipped?: string;
  }
  | {
    readonly type: "error";
    readonly id: number;
    readonly code: string;
    readonly message: string;
    readonly retryable?: boolean;
  }
  /** A valid-looking answer this module does not read (e.g. an `ok` with a decision). */
  | { readonly type: "other"; readonly id: number };

// Made on first use, here and below: the hook's fast path seldom needs them.
let utf8: TextEncoder | undefined;

/** A msgpack writer over a buffer sized in advance from an upper bound. */
class Writer {
  readonly bytes: Uint8Array;
  at = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  /** Four bytes left for a frame header; returns where they are. */
  reserveHeader(): number {
    const at = this.at;
    this.at += FRAME_HEADER_BYTES;
    return at;
  }

  map(entries: number): void {
    if (entries < 16) this.bytes[this.at++] = 0x80 | entries;
    else {
      this.bytes[this.at++] = 0xde;
      this.uint16(entries);
    }
  }

  str(value: string): void {
    const length = value.length;
    if (length < 0x100) {
      // Short ASCII (keys, paths, most values) byte by byte: no text encoder to start up.
      let ascii = true;
      for (let index = 0; index < length && ascii; index++) ascii = value.charCodeAt(index) < 0x80;
      if (ascii) {
        if (length < 32) this.bytes[this.at++] = 0xa0 | length;
        else {
          this.bytes[this.at++] = 0xd9;
          this.bytes[this.at++] = length;
        }
        for (let index = 0; index < length; index++) {
          this.bytes[this.at++] = value.charCodeAt(index);
        }
        return;
      }
    }
    // Written after a 4-byte str32 header at most; then the header is made as short as it can be.
    const start = this.at;
    const room = this.bytes.subarray(start + 5);
    const { read, written } = (utf8 ??= new TextEncoder()).encodeInto(value, room);
    if (read !== length) {
      throw new RangeError("Cannot encode a string: the buffer estimate was too small");
    }
    let header: number[];
    if (written < 32) header = [0xa0 | written];
    else if (written < 0x100) header = [0xd9, written];
    else if (written < 0x10000) header = [0xda, written >>> 8, written & 0xff];
    else {header = [
        0xdb,
        written >>> 24,
        (written >>> 16) & 0xff,
        (written >>> 8) & 0xff,
        written & 0xff,
      ];}
    this.bytes.copyWithin(start + header.length, start + 5, start + 5 + written);
    this.bytes.set(header, start);
    this.at = start + header.length + written;
  }

  bin(value: Uint8Array): void {
    const length = value.byteLength;
    if (length < 0x100) {
      this.bytes[this.at++] = 0xc4;
      this.bytes[this.at++] = length;
    } else if (length < 0x10000) {
      this.bytes[this.at++] = 0xc5;
      this.uint16(length);
    } else {
      this.bytes[this.at++] = 0xc6;
      this.uint32(length);
    }
    this.bytes.set(value, this.at);
    this.at += length;
  }

  number(value: number): void {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff) {
      if (value < 0x80) this.bytes[this.at++] = value;
      else {
        this.bytes[this.at++] = 0xce;
        this.uint32(value);
      }
      return;
    }
    this.bytes[this.at++] = 0xcb;
    new DataView(this.bytes.buffer, this.bytes.byteOffset).setFloat64(this.at, value);
    this.at += 8;
  }

  bool(value: boolean): void {
    this.bytes[this.at++] = value ? 0xc3 : 0xc2;
  }

  uint16(value: number): void {
    this.bytes[this.at++] = value >>> 8;
    this.bytes[this.at++] = value & 0xff;
  }

  uint32(value: number): void {
    this.bytes[this.at++] = value >>> 24;
    this.bytes[this.at++] = (value >>> 16) & 0xff;
    this.bytes[this.at++] = (value >>> 8) & 0xff;
    this.bytes[this.at++] = value & 0xff;
  }

  /** Ends the frame that started at `header`, checking its size. */
  endFrame(header: number, type: string, id: number, maxFrameBytes: number): void {
    // A typed array drops writes past its end without a word: make that a loud failure.
    if (this.at > this.bytes.length) {
      throw new RangeError(`Cannot encode ${type} message: the buffer estimate was too small`);
    }
    const length = this.at - header - FRAME_HEADER_BYTES;
    checkMessageLength(type, id, length, maxFrameBytes);
    writeFrameHeader(this.bytes.subarray(header), length);
  }
}

/** The most bytes a string of `value.length` UTF-16 units takes, with its header. */
function strBound(value: string | undefined): number {
  return value === undefined ? 0 : 3 * value.length + 5;
}

/**
 * Room for what {@linkcode strBound} does not count: map headers, keys (each at most 16
 * bytes with its header), numbers (at most 9 bytes), booleans and bin headers (5 bytes).
 * Generous on purpose: `Writer` checks it and fails loudly rather than write past the end.
 */
const FIXED_ROOM = 256;

function helloBound(hello: HelloRequest): number {
  return FIXED_ROOM + strBound(hello.token) + strBound(hello.client);
}

function eventBound(event: EventRequest): number {
  const { context } = event;
  let bound = FIXED_ROOM + event.payload.byteLength + strBound(context.cwd) +
    strBound(context.hookName) + strBound(context.projectDir) + strBound(context.eventId) +
    (context.projectConfig?.byteLength ?? 0);
  for (const name in context.env) bound += strBound(name) + strBound(context.env[name]);
  return bound;
}

/**
 * Encodes `hello` and an `event` request as two frames in one buffer: one write sends
 * both. The daemon's general decoder reads them exactly as it reads what `encodeRequest`
 * writes.
 *
 * @param hello The `hello` request.
 * @param event The `event` request.
 * @param maxFrameBytes The largest payload a frame may have.
 * @returns Both frames, back to back.
 * @throws {ProtocolError} `FRAME_TOO_LARGE` when either frame is over the limit, with its
 * request's id.
 *
 * @example The daemon reads what the hook writes
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFrame, decodeRequest, encodeEventExchange, readFrameHeader } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const bytes = encodeEventExchange(
 *   { type: "hello", id: 1, version: 2, token: "t0k3n", client: "hook" },
 *   {
 *     type: "event",
 *     id: 2,
 *     payload: new TextEncoder().encode('{"hook_event_name":"Stop"}'),
 *     context: { cwd: "/src/app", env: { NTFY_TOPIC: "alerts" }, receivedAt: 1_700_000_000_000 },
 *   },
 * );
 * const helloLength = 4 + readFrameHeader(bytes);
 * assert.equal(decodeRequest(decodeFrame(bytes.subarray(0, helloLength))).type, "hello");
 * const event = decodeRequest(decodeFrame(bytes.subarray(helloLength)));
 * assert.ok(event.type === "event" && event.context.env.NTFY_TOPIC === "alerts");
 * ```
 */
export function encodeEventExchange(
  hello: HelloRequest,
  event: EventRequest,
  maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES,
): Uint8Array {
  const writer = new Writer(2 * FRAME_HEADER_BYTES + helloBound(hello) + eventBound(event));
  writeHello(writer, hello, maxFrameBytes);
  writeEvent(writer, event, maxFrameBytes);
  return writer.bytes.subarray(0, writer.at);
}

/**
 * Encodes an `event` request alone as one frame, as {@linkcode encodeEventExchange} does:
 * the hook measures with it how much of a large payload fits.
 *
 * @param event The `event` request.
 * @param maxFrameBytes The largest payload the frame may have.
 * @returns The frame.
 * @throws {ProtocolError} `FRAME_TOO_LARGE` when the frame is over the limit.
 *
 * @example An event frame, read back as the daemon reads it
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFrame, decodeRequest, encodeEventFrame } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const frame = encodeEventFrame({
 *   type: "event",
 *   id: 2,
 *   payload: new Uint8Array([123, 125]),
 *   context: { cwd: "/src/app", env: {}, receivedAt: 0, truncated: true },
 * });
 * assert.deepEqual(decodeRequest(decodeFrame(frame)), {
 *   type: "event",
 *   id: 2,
 *   payload: new Uint8Array([123, 125]),
 *   context: { cwd: "/src/app", env: {}, receivedAt: 0, truncated: true },
 * });
 * ```
 */
export function encodeEventFrame(
  event: EventRequest,
  maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES,
): Uint8Array {
  const writer = new Writer(FRAME_HEADER_BYTES + eventBound(event));
  writeEvent(writer, event, maxFrameBytes);
  return writer.bytes.subarray(0, writer.at);
}

function writeHello(writer: Writer, hello: HelloRequest, maxFrameBytes: number): void {
  const header = writer.reserveHeader();
  writer.map(3 + (hello.token === undefined ? 0 : 1) + (hello.client === undefined ? 0 : 1));
  writer.str("type");
  writer.str("hello");
  writer.str("id");
  writer.number(hello.id);
  writer.str("version");
  writer.number(hello.version);
  if (hello.token !== undefined) {
    writer.str("token");
    writer.str(hello.token);
  }
  if (hello.client !== undefined) {
    writer.str("client");
    writer.str(hello.client);
  }
  writer.endFrame(header, "hello", hello.id, maxFrameBytes);
}

function writeEvent(writer: Writer, event: EventRequest, maxFrameBytes: number): void {
  const header = writer.reserveHeader();
  writer.map(4);
  writer.str("type");
  writer.str("event");
  writer.str("id");
  writer.number(event.id);
  writer.str("payload");
  writer.bin(event.payload);
  writer.str("context");
  writeContext(writer, event.context);
  writer.endFrame(header, "event", event.id, maxFrameBytes);
}

function writeContext(writer: Writer, context: EventRequest["context"]): void {
  const optional = [
    context.eventId,
    context.hookName,
    context.projectDir,
    context.truncated,
    context.projectConfig,
    context.decisionWaitMs,
  ];
  writer.map(3 + optional.filter((value) => value !== undefined).length);
  writer.str("cwd");
  writer.str(context.cwd);
  writer.str("env");
  const names = Object.keys(context.env);
  writer.map(names.length);
  for (const name of names) {
    writer.str(name);
    writer.str(context.env[name]!);
  }
  writer.str("receivedAt");
  writer.number(context.receivedAt);
  if (context.eventId !== undefined) {
    writer.str("eventId");
    writer.str(context.eventId);
  }
  if (context.hookName !== undefined) {
    writer.str("hookName");
    writer.str(context.hookName);
  }
  if (context.projectDir !== undefined) {
    writer.str("projectDir");
    writer.str(context.projectDir);
  }
  if (context.truncated !== undefined) {
    writer.str("truncated");
    writer.bool(context.truncated);
  }
  if (context.projectConfig !== undefined) {
    writer.str("projectConfig");
    writer.bin(context.projectConfig);
  }
  if (context.decisionWaitMs !== undefined) {
    writer.str("decisionWaitMs");
    writer.number(context.decisionWaitMs);
  }
}

let decoder: MsgpackDecoder | undefined;
// Not fatal: invalid UTF-8 reads as U+FFFD, as with the general decoder.
let utf8Decoder: TextDecoder | undefined;
/** What the flat-map reader returns for anything it leaves to the general decoder. */
const NOT_FLAT: unique symbol = Symbol("not flat");

/**
 * Reads a map of strings to strings, small integers, booleans and nils, the shape of every
 * answer the hook waits for, in a few lines that run fast the first time; `undefined` for
 * anything else (the general decoder then reads it).
 */
function readFlatMap(bytes: Uint8Array): Record<string, unknown> | undefined {
  let at = 0;
  const readText = (length: number): string | typeof NOT_FLAT => {
    if (at + length > bytes.length) return NOT_FLAT;
    let text = "";
    for (let index = at; index < at + length; index++) {
      const byte = bytes[index]!;
      if (byte >= 0x80) {
        // Not ASCII: the text decoder.
        text = (utf8Decoder ??= new TextDecoder()).decode(bytes.subarray(at, at + length));
        break;
      }
      text += String.fromCharCode(byte);
    }
    at += length;
    return text;
  };
  const readUint = (size: number): number | typeof NOT_FLAT => {
    if (at + size > bytes.length) return NOT_FLAT;
    let number = 0;
    for (let index = 0; index < size; index++) number = number * 256 + bytes[at++]!;
    return number;
  };
  const readValue = (): unknown => {
    const byte = bytes[at++];
    if (byte === undefined) return NOT_FLAT;
    if (byte < 0x80) return byte;
    if ((byte & 0xe0) === 0xa0) return readText(byte & 0x1f);
    if (byte === 0xd9 || byte === 0xda) {
      const length = readUint(byte === 0xd9 ? 1 : 2);
      return length === NOT_FLAT ? NOT_FLAT : readText(length);
    }
    if (byte === 0xc0) return null;
    if (byte === 0xc2 || byte === 0xc3) return byte === 0xc3;
    if (byte === 0xcc) return readUint(1);
    if (byte === 0xcd) return readUint(2);
    if (byte === 0xce) return readUint(4);
    return NOT_FLAT;
  };
  const head = bytes[at++];
  if (head === undefined || (head & 0xf0) !== 0x80) return undefined;
  const record: Record<string, unknown> = {};
  for (let entries = head & 0x0f; entries > 0; entries--) {
    const key = readValue();
    // `__proto__` is the general decoder's to refuse.
    if (typeof key !== "string" || key === "__proto__") return undefined;
    const value = readValue();
    if (value === NOT_FLAT) return undefined;
    record[key] = value;
  }
  return at === bytes.length ? record : undefined;
}

function invalid(message: string, id: number): ProtocolError {
  return new ProtocolError(ErrorCode.InvalidMessage, `Invalid answer: ${message}`, {
    requestId: id,
  });
}

/**
 * Reads one of the daemon's answers to the hook: `hello`, `ok` (with its task id or why
 * the event was skipped) or `error`. Any other valid-looking answer comes back as
 * `other`, for the general `decodeResponse` to read.
 *
 * @param payload A frame's payload.
 * @returns The answer.
 * @throws {ProtocolError} `INVALID_MESSAGE` when the payload is not a message with a type
 * and an id, or its fields have the wrong types.
 *
 * @example A skipped event's acknowledgment
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeEventAnswer, decodeFrame, encodeResponse } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const frame = encodeResponse({ type: "ok", id: 2, skipped: "PreToolUse is off" });
 * assert.deepEqual(decodeEventAnswer(decodeFrame(frame)), { type: "ok", id: 2, skipped: "PreToolUse is off" });
 * ```
 */
export function decodeEventAnswer(payload: Uint8Array): EventAnswer {
  let value: unknown;
  try {
    value = readFlatMap(payload) ??
      (decoder ??= new MsgpackDecoder({ maxDepth: 16 })).decode(payload);
  } catch (cause) {
    throw new ProtocolError(ErrorCode.InvalidMessage, "Invalid answer: not msgpack", {
      cause,
    });
  }
  return eventAnswerOf(value);
}

/**
 * Reads an answer as {@linkcode decodeEventAnswer} does, but only one encoded as a map of
 * strings to strings, small integers, booleans and nils: the shape of every answer but a
 * permission decision. Without the general decoder, it is what the hook's fast path
 * bundles (about 5 KB less to load on every event).
 *
 * @param payload A frame's payload.
 * @returns The answer.
 * @throws {ProtocolError} `INVALID_MESSAGE` for any other payload (a decision, a value
 * nested or of another type, or no msgpack at all), and as {@linkcode decodeEventAnswer}.
 *
 * @example An error answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFlatEventAnswer, decodeFrame, encodeResponse } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const frame = encodeResponse({ type: "error", id: 2, code: "QUEUE_FULL", message: "full", retryable: true });
 * assert.deepEqual(decodeFlatEventAnswer(decodeFrame(frame)), {
 *   type: "error",
 *   id: 2,
 *   code: "QUEUE_FULL",
 *   message: "full",
 *   retryable: true,
 * });
 * ```
 */
export function decodeFlatEventAnswer(payload: Uint8Array): EventAnswer {
  const value = readFlatMap(payload);
  if (value === undefined) {
    throw new ProtocolError(
      ErrorCode.InvalidMessage,
      "Invalid answer: not a map of strings, small integers, booleans and nils",
    );
  }
  return eventAnswerOf(value);
}

/** The answer a decoded payload holds. */
function eventAnswerOf(value: unknown): EventAnswer {
  const { record, id } = readEnvelope(value);
  const fail = (message: string) => invalid(message, id);
  switch (record.type) {
    case "hello":
      return { type: "hello", id };
    case "ok": {
      if (record.decision !== undefined && record.decision !== null) return { type: "other", id };
      const taskId = optionalString(record, "taskId", fail);
      const skipped = optionalString(record, "skipped", fail);
      return {
        type: "ok",
        id,
        ...(taskId === undefined ? {} : { taskId }),
        ...(skipped === undefined ? {} : { skipped }),
      };
    }
    case "error": {
      return {
        type: "error",
        id,
        code: requireString(record, "code", fail),
        message: requireString(record, "message", fail),
        ...(typeof record.retryable === "boolean" ? { retryable: record.retryable } : {}),
      };
    }
    default:
      return { type: "other", id };
  }
}
