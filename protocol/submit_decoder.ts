/**
 * A fast path for the request a burst is made of: a `submit` payload read straight into its
 * task, with no general msgpack value in between, checked as it is read. It takes only the
 * plain case (every field known and set, no nil, no action buttons, no duplicate key) and
 * leaves everything else, valid or not, to {@linkcode decodeRequest}, which then gives the
 * answer or the exact error. What it returns equals what `decodeRequest` returns for the
 * same payload; since nothing was dropped, the task's own bytes in the payload decode to
 * that same task (its fields maybe in another order), so they can be stored as they came.
 * Kept out of `mod.ts`: the daemon's, not offered to users of the package.
 *
 * @module
 */

import { CONNECTION_ERROR_ID, MAX_REQUEST_ID, type SubmitRequest } from "./messages.ts";
import {
  MAX_BODY_CHARS,
  MAX_FIELD_CHARS,
  MAX_LIST_ENTRIES,
  type NotificationTask,
  SEQUENCE_MODES,
  type SequenceMode,
  TOPIC_PATTERN,
} from "./task.ts";
import { isServerUrl } from "./_server_url.ts";
import { readKey, readRepeatedString, readUtf8 } from "./_utf8.ts";

/** A `submit` request read by {@linkcode decodeSubmit}, and where its task's bytes lie. */
export interface DecodedSubmit {
  /** The request, as `decodeRequest` gives it. */
  readonly request: SubmitRequest;
  /**
   * Offsets in the payload of the task's msgpack bytes, `[taskStart, taskEnd)`: they decode
   * to a task with exactly the fields and values of `request.task`.
   */
  readonly taskStart: number;
  readonly taskEnd: number;
}

/** Thrown inside the reader when the payload is not the plain case: never escapes. */
const NOT_PLAIN = Symbol("not plain");

const scratch = new DataView(new ArrayBuffer(8));
const UINT32 = 0x1_0000_0000;

let bytes: Uint8Array = new Uint8Array(0);
let pos = 0;

function byteAt(at: number): number {
  if (at >= bytes.length) throw NOT_PLAIN;
  return bytes[at]!;
}

/** Entries of the map at `pos`, moving past its header. */
function mapHeader(): number {
  const head = byteAt(pos);
  if (head >= 0x80 && head <= 0x8f) {
    pos += 1;
    return head & 0x0f;
  }
  if (head === 0xde) {
    const count = (byteAt(pos + 1) << 8) | byteAt(pos + 2);
    pos += 3;
    return count;
  }
  throw NOT_PLAIN;
}

/** Elements of the array at `pos`, moving past its header. */
function arrayHeader(): number {
  const head = byteAt(pos);
  if (head >= 0x90 && head <= 0x9f) {
    pos += 1;
    return head & 0x0f;
  }
  if (head === 0xdc) {
    const count = (byteAt(pos + 1) << 8) | byteAt(pos + 2);
    pos += 3;
    return count;
  }
  throw NOT_PLAIN;
}

/** Byte length of the str at `pos`, moving past its header. */
function strHeader(): number {
  const head = byteAt(pos);
  if (head >= 0xa0 && head <= 0xbf) {
    pos += 1;
    return head & 0x1f;
  }
  if (head === 0xd9) {
    const length = byteAt(pos + 1);
    pos += 2;
    return length;
  }
  if (head === 0xda) {
    const length = (byteAt(pos + 1) << 8) | byteAt(pos + 2);
    pos += 3;
    return length;
  }
  if (head === 0xdb) {
    const length = byteAt(pos + 1) * 0x100_0000 +
      ((byteAt(pos + 2) << 16) | (byteAt(pos + 3) << 8) | byteAt(pos + 4));
    pos += 5;
    return length;
  }
  throw NOT_PLAIN;
}

function key(): string {
  const length = strHeader();
  const start = pos;
  pos += length;
  if (pos > bytes.length) throw NOT_PLAIN;
  return readKey(bytes, start, pos);
}

/** A well-formed string of at most `max` UTF-16 units. */
function str(max: number = MAX_FIELD_CHARS): string {
  const length = strHeader();
  const start = pos;
  pos += length;
  if (pos > bytes.length) throw NOT_PLAIN;
  // The body differs from task to task; most other fields repeat.
  const text = max === MAX_BODY_CHARS
    ? readUtf8(bytes, start, pos)
    : readRepeatedString(bytes, start, pos);
  if (text.length > max || !text.isWellFormed()) throw NOT_PLAIN;
  return text;
}

function uint(at: number, size: number): number {
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + byteAt(at + i);
  return value;
}

function number(): number {
  const head = byteAt(pos);
  if (head < 0x80) {
    pos += 1;
    return head;
  }
  if (head >= 0xe0) {
    pos += 1;
    return head - 0x100;
  }
  switch (head) {
    case 0xcc:
    case 0xcd:
    case 0xce:
    case 0xcf: {
      const size = 1 << (head - 0xcc);
      const value = size === 8 ? uint(pos + 1, 4) * UINT32 + uint(pos + 5, 4) : uint(pos + 1, size);
      pos += 1 + size;
      return value;
    }
    case 0xd0:
    case 0xd1:
    case 0xd2: {
      const size = 1 << (head - 0xd0);
      const bits = size * 8;
      const unsigned = uint(pos + 1, size);
      pos += 1 + size;
      return unsigned >= 2 ** (bits - 1) ? unsigned - 2 ** bits : unsigned;
    }
    case 0xca:
    case 0xcb: {
      const size = head === 0xca ? 4 : 8;
      for (let i = 0; i < size; i++) scratch.setUint8(i, byteAt(pos + 1 + i));
      pos += 1 + size;
      return size === 4 ? scratch.getFloat32(0) : scratch.getFloat64(0);
    }
  }
  throw NOT_PLAIN;
}

function boolean(): boolean {
  const head = byteAt(pos);
  if (head !== 0xc2 && head !== 0xc3) throw NOT_PLAIN;
  pos += 1;
  return head === 0xc3;
}

/** Marks `bit` in `seen`; a key met twice is not the plain case. */
function once(seen: number, bit: number): number {
  if (seen & bit) throw NOT_PLAIN;
  return seen | bit;
}

function target(): Record<string, unknown> {
  let seen = 0;
  let serverUrl: string | undefined;
  let topic: string | undefined;
  let auth: Record<string, unknown> | undefined;
  let sendFormat: string | undefined;
  let timeoutSecs: number | undefined;
  let sequence: string | undefined;
  for (let i = mapHeader(); i > 0; i--) {
    switch (key()) {
      case "serverUrl":
        seen = once(seen, 1);
        serverUrl = str();
        if (!isServerUrl(serverUrl)) throw NOT_PLAIN;
        break;
      case "topic":
        seen = once(seen, 2);
        topic = str();
        if (!TOPIC_PATTERN.test(topic)) throw NOT_PLAIN;
        break;
      case "auth":
        seen = once(seen, 4);
        auth = readAuth();
        break;
      case "sendFormat":
        seen = once(seen, 8);
        sendFormat = str();
        if (sendFormat !== "json" && sendFormat !== "text") throw NOT_PLAIN;
        break;
      case "timeoutSecs":
        seen = once(seen, 16);
        timeoutSecs = number();
        if (!(timeoutSecs > 0) || timeoutSecs > 3600) throw NOT_PLAIN;
        break;
      case "sequence":
        seen = once(seen, 32);
        sequence = str();
        if (!SEQUENCE_MODES.includes(sequence as SequenceMode)) throw NOT_PLAIN;
        break;
      default:
        throw NOT_PLAIN;
    }
  }
  if (serverUrl === undefined || topic === undefined) throw NOT_PLAIN;
  const out: Record<string, unknown> = {};
  out.serverUrl = serverUrl;
  out.topic = topic;
  if (auth !== undefined) out.auth = auth;
  if (sendFormat !== undefined) out.sendFormat = sendFormat;
  if (timeoutSecs !== undefined) out.timeoutSecs = timeoutSecs;
  if (sequence !== undefined) out.sequence = sequence;
  return out;
}

function readAuth(): Record<string, unknown> {
  let seen = 0;
  let type: string | undefined;
  let token: string | undefined;
  let username: string | undefined;
  let password: string | undefined;
  for (let i = mapHeader(); i > 0; i--) {
    switch (key()) {
      case "type":
        seen = once(seen, 1);
        type = str();
        break;
      case "token":
        seen = once(seen, 2);
        token = str();
        break;
      case "username":
        seen = once(seen, 4);
        username = str();
        break;
      case "password":
        seen = once(seen, 8);
        password = str();
        break;
      default:
        throw NOT_PLAIN;
    }
  }
  if (type === "bearer" && seen === (1 | 2)) return { type, token };
  if (type === "basic" && seen === (1 | 4 | 8)) return { type, username, password };
  throw NOT_PLAIN;
}

function tags(): string[] {
  const count = arrayHeader();
  if (count > MAX_LIST_ENTRIES) throw NOT_PLAIN;
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(str());
  return out;
}

function message(): Record<string, unknown> {
  let seen = 0;
  let body: string | undefined;
  let title: string | undefined;
  let priority: number | undefined;
  let tagList: string[] | undefined;
  let click: string | undefined;
  let markdown: boolean | undefined;
  let icon: string | undefined;
  let delay: string | undefined;
  let attach: string | undefined;
  let filename: string | undefined;
  let email: string | undefined;
  let sequenceId: string | undefined;
  for (let i = mapHeader(); i > 0; i--) {
    switch (key()) {
      case "body":
        seen = once(seen, 1);
        body = str(MAX_BODY_CHARS);
        break;
      case "title":
        seen = once(seen, 2);
        title = str();
        break;
      case "priority":
        seen = once(seen, 4);
        priority = number();
        if (!Number.isInteger(priority) || priority < 1 || priority > 5) throw NOT_PLAIN;
        break;
      case "tags":
        seen = once(seen, 8);
        tagList = tags();
        break;
      case "click":
        seen = once(seen, 16);
        click = str();
        break;
      case "markdown":
        seen = once(seen, 32);
        markdown = boolean();
        break;
      case "icon":
        seen = once(seen, 64);
        icon = str();
        break;
      case "delay":
        seen = once(seen, 128);
        delay = str();
        break;
      case "attach":
        seen = once(seen, 256);
        attach = str();
        break;
      case "filename":
        seen = once(seen, 512);
        filename = str();
        break;
      case "email":
        seen = once(seen, 1024);
        email = str();
        break;
      case "sequenceId":
        seen = once(seen, 2048);
        sequenceId = str();
        if (!TOPIC_PATTERN.test(sequenceId)) throw NOT_PLAIN;
        break;
      default:
        throw NOT_PLAIN;
    }
  }
  if (body === undefined) throw NOT_PLAIN;
  const out: Record<string, unknown> = {};
  out.body = body;
  if (title !== undefined) out.title = title;
  if (priority !== undefined) out.priority = priority;
  if (tagList !== undefined) out.tags = tagList;
  if (click !== undefined) out.click = click;
  if (markdown !== undefined) out.markdown = markdown;
  if (icon !== undefined) out.icon = icon;
  if (delay !== undefined) out.delay = delay;
  if (attach !== undefined) out.attach = attach;
  if (filename !== undefined) out.filename = filename;
  if (email !== undefined) out.email = email;
  if (sequenceId !== undefined) out.sequenceId = sequenceId;
  return out;
}

function origin(): Record<string, unknown> {
  let seen = 0;
  let event: string | undefined;
  let project: string | undefined;
  let sessionId: string | undefined;
  let createdAt: number | undefined;
  for (let i = mapHeader(); i > 0; i--) {
    switch (key()) {
      case "event":
        seen = once(seen, 1);
        event = str();
        break;
      case "project":
        seen = once(seen, 2);
        project = str();
        break;
      case "sessionId":
        seen = once(seen, 4);
        sessionId = str();
        break;
      case "createdAt":
        seen = once(seen, 8);
        createdAt = number();
        if (!Number.isFinite(createdAt)) throw NOT_PLAIN;
        break;
      default:
        throw NOT_PLAIN;
    }
  }
  if (event === undefined || createdAt === undefined) throw NOT_PLAIN;
  const out: Record<string, unknown> = {};
  out.event = event;
  if (project !== undefined) out.project = project;
  if (sessionId !== undefined) out.sessionId = sessionId;
  out.createdAt = createdAt;
  return out;
}

function task(): NotificationTask {
  let seen = 0;
  let taskTarget: Record<string, unknown> | undefined;
  let taskMessage: Record<string, unknown> | undefined;
  let taskOrigin: Record<string, unknown> | undefined;
  let operation: string | undefined;
  let notBefore: number | undefined;
  for (let i = mapHeader(); i > 0; i--) {
    switch (key()) {
      case "target":
        seen = once(seen, 1);
        taskTarget = target();
        break;
      case "message":
        seen = once(seen, 2);
        taskMessage = message();
        break;
      case "origin":
        seen = once(seen, 4);
        taskOrigin = origin();
        break;
      case "operation":
        seen = once(seen, 8);
        operation = str();
        // "publish" is the default, which validation leaves out: not the plain case.
        if (operation !== "clear" && operation !== "delete") throw NOT_PLAIN;
        break;
      case "notBefore":
        seen = once(seen, 16);
        notBefore = number();
        if (!Number.isFinite(notBefore) || notBefore < 0) throw NOT_PLAIN;
        break;
      default:
        throw NOT_PLAIN;
    }
  }
  if (taskTarget === undefined || taskMessage === undefined || taskOrigin === undefined) {
    throw NOT_PLAIN;
  }
  if (operation !== undefined && taskMessage.sequenceId === undefined) throw NOT_PLAIN;
  const out: Record<string, unknown> = {};
  out.target = taskTarget;
  out.message = taskMessage;
  out.origin = taskOrigin;
  if (operation !== undefined) out.operation = operation;
  if (notBefore !== undefined) out.notBefore = notBefore;
  return out as unknown as NotificationTask;
}

function submit(): DecodedSubmit {
  let seen = 0;
  let id = -1;
  let taskStart = 0;
  let taskEnd = 0;
  let decoded: NotificationTask | undefined;
  for (let i = mapHeader(); i > 0; i--) {
    switch (key()) {
      case "type":
        seen = once(seen, 1);
        if (str() !== "submit") throw NOT_PLAIN;
        break;
      case "id":
        seen = once(seen, 2);
        id = number();
        break;
      case "task":
        seen = once(seen, 4);
        taskStart = pos;
        decoded = task();
        taskEnd = pos;
        break;
      default:
        throw NOT_PLAIN;
    }
  }
  if (
    seen !== 7 || pos !== bytes.length || !Number.isInteger(id) ||
    id <= CONNECTION_ERROR_ID || id > MAX_REQUEST_ID
  ) {
    throw NOT_PLAIN;
  }
  return { request: { type: "submit", id, task: decoded! }, taskStart, taskEnd };
}

/**
 * The `submit` request `payload` holds when it is the plain case (see the module
 * documentation), or undefined: then `decodeRequest` must read it. Never throws.
 */
export function decodeSubmit(payload: Uint8Array): DecodedSubmit | undefined {
  bytes = payload;
  pos = 0;
  try {
    return submit();
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  } finally {
    bytes = EMPTY;
  }
}

const EMPTY = new Uint8Array(0);
