// ntfy's request parsing, ported from its server (server/util.go, server/actions.go,
// server/errors.go, util/time.go) for the loopback test server. Pure: no I/O.
import { errorMessage } from "../../protocol/error_message.ts";

/** An ntfy error answer: its stable code, HTTP status and text. */
export class NtfyHttpError extends Error {
  /** ntfy's error code, e.g. 40009. */
  readonly code: number;
  /** The HTTP status. */
  readonly http: number;
  /** The documentation link ntfy sends along, or "". */
  readonly link: string;

  constructor(code: number, http: number, message: string, link = "") {
    super(message);
    this.name = "NtfyHttpError";
    this.code = code;
    this.http = http;
    this.link = link;
  }

  /** The JSON body ntfy answers with (`link` omitted when empty). */
  toJSON(): Record<string, unknown> {
    const body: Record<string, unknown> = { code: this.code, http: this.http, error: this.message };
    if (this.link) body.link = this.link;
    return body;
  }
}

const DOCS = "https://ntfy.sh/docs";

// [http status, message, link] by ntfy code, as in ntfy's server/errors.go.
const ERRORS: Record<number, readonly [number, string, string]> = {
  40002: [400, "cannot disable cache for delayed message", ""],
  40003: [400, "delayed e-mail notifications are not supported", ""],
  40004: [
    400,
    "invalid delay parameter: unable to parse delay",
    `${DOCS}/publish/#scheduled-delivery`,
  ],
  40005: [
    400,
    "invalid delay parameter: too small, please refer to the docs",
    `${DOCS}/publish/#scheduled-delivery`,
  ],
  40006: [
    400,
    "invalid delay parameter: too large, please refer to the docs",
    `${DOCS}/publish/#scheduled-delivery`,
  ],
  40007: [400, "invalid priority parameter", `${DOCS}/publish/#message-priority`],
  40009: [400, "invalid request: topic invalid", ""],
  40010: [400, "invalid request: topic name is disallowed", ""],
  40011: [400, "invalid message: message must be UTF-8 encoded", ""],
  40013: [400, "invalid request: attachment URL is invalid", `${DOCS}/publish/#attachments`],
  40014: [400, "invalid request: attachments not allowed", `${DOCS}/config/#attachments`],
  40017: [
    400,
    "invalid request: request body must be message JSON",
    `${DOCS}/publish/#publish-as-json`,
  ],
  40018: [400, "invalid request: actions invalid", `${DOCS}/publish/#action-buttons`],
  40021: [400, "invalid request: icon URL is invalid", `${DOCS}/publish/#icons`],
  40024: [400, "invalid request: request body must be valid JSON", ""],
  // A sequence id that is not like a topic name. The number is this server's own: the
  // ntfy source read for it predates sequence ids.
  40049: [400, "invalid request: sequence ID invalid", ""],
  40101: [401, "unauthorized", `${DOCS}/publish/#authentication`],
  40301: [403, "forbidden", `${DOCS}/publish/#authentication`],
  40401: [404, "page not found", ""],
  41301: [413, "attachment too large, or bandwidth limit reached", `${DOCS}/publish/#limitations`],
  41303: [413, "JSON body too large", ""],
  42901: [429, "limit reached: too many requests, please be nice", `${DOCS}/publish/#limitations`],
  42908: [429, "limit reached: too many messages", `${DOCS}/publish/#limitations`],
  42909: [429, "limit reached: too many auth failures", `${DOCS}/publish/#limitations`],
  50001: [500, "internal server error", ""],
  50701: [507, "topic has no subscribers", ""],
};

/**
 * The error ntfy answers with for `code`, optionally with a detail appended the way ntfy's
 * `wrapErrHTTP` does. An unknown code gets the HTTP status `fallbackStatus`.
 */
export function ntfyError(code: number, detail?: string, fallbackStatus = 400): NtfyHttpError {
  const [http, message, link] = ERRORS[code] ?? [fallbackStatus, `error ${code}`, ""];
  return new NtfyHttpError(code, http, detail ? `${message}, ${detail}` : message, link);
}

/** Topic names ntfy accepts. */
export const TOPIC_PATTERN = /^[-_A-Za-z0-9]{1,64}$/;
/** Topic names ntfy reserves for its web app. */
export const DISALLOWED_TOPICS = new Set([
  "docs",
  "static",
  "file",
  "app",
  "account",
  "settings",
  "signup",
  "login",
  "v1",
]);

const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A random alphanumeric id, as ntfy's `util.RandomString`. */
export function randomId(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join("");
}

// --- RFC 2047 encoded words, as Go's mime.WordDecoder.DecodeHeader -----------------------

/**
 * Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?utf-8?q?…?=`; charsets UTF-8,
 * US-ASCII and ISO-8859-1) the way ntfy does; a value it cannot decode is returned as is.
 */
export function decodeHeaderWords(header: string): string {
  if (!header.includes("=?")) return header;
  const out: number[] = [];
  const pushText = (text: string) => out.push(...new TextEncoder().encode(text));
  let rest = header;
  let betweenWords = false;
  while (true) {
    const start = rest.indexOf("=?");
    if (start === -1) break;
    let cur = start + 2;
    const q = rest.indexOf("?", cur);
    if (q === -1) break;
    const charset = rest.slice(cur, q).toLowerCase();
    cur = q + 1;
    if (rest.length < cur + 4) break;
    const encoding = rest[cur]!;
    cur++;
    if (rest[cur] !== "?") break;
    cur++;
    const end = rest.indexOf("?=", cur);
    if (end === -1) break;
    const content = decodeWord(encoding, rest.slice(cur, end));
    if (content === undefined) {
      betweenWords = false;
      pushText(rest.slice(0, start + 2));
      rest = rest.slice(start + 2);
      continue;
    }
    const before = rest.slice(0, start);
    // Whitespace between two encoded words is dropped.
    if (start > 0 && (!betweenWords || /[^ \t\r\n]/.test(before))) pushText(before);
    if (charset === "utf-8" || charset === "utf8") out.push(...content);
    else if (charset === "iso-8859-1") pushText(String.fromCharCode(...content));
    else if (charset === "us-ascii") {
      pushText(Array.from(content, (b) => b < 0x80 ? String.fromCharCode(b) : "\ufffd").join(""));
    } else return header; // Go fails on an unknown charset, and ntfy keeps the raw value.
    rest = rest.slice(end + 2);
    betweenWords = true;
  }
  pushText(rest);
  return new TextDecoder().decode(new Uint8Array(out));
}

function decodeWord(encoding: string, text: string): Uint8Array | undefined {
  if (encoding === "B" || encoding === "b") {
    if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  }
  if (encoding === "Q" || encoding === "q") {
    const bytes: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      if (char === "_") bytes.push(0x20);
      else if (char === "=") {
        const hex = text.slice(i + 1, i + 3);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else bytes.push(char.charCodeAt(0) & 0xff);
    }
    return new Uint8Array(bytes);
  }
  return undefined;
}

// --- Parameters ----------------------------------------------------------------------------

// The HTTP "Priority" header (RFC 9218) that proxies add is not ntfy's priority.
const HTTP_PRIORITY = /^u=\d,\s*(i|\d)$|^u=\d$/;

/** Reads the first non-empty header, then query parameter, among `names` (ntfy's readParam). */
export function readParam(headers: Headers, query: URLSearchParams, ...names: string[]): string {
  for (const name of names) {
    let value = decodeHeaderWords(headers.get(name) ?? "").trim();
    if (name === "priority" && HTTP_PRIORITY.test(value)) value = "";
    if (value) return value;
  }
  for (const name of names) {
    const value = query.get(name.toLowerCase())?.trim();
    if (value) return value;
  }
  return "";
}

/** Reads a yes/no parameter (`1`, `yes`, `true` are yes). */
export function readBoolParam(
  headers: Headers,
  query: URLSearchParams,
  fallback: boolean,
  ...names: string[]
): boolean {
  const value = readParam(headers, query, ...names).toLowerCase();
  return value ? ["1", "yes", "true"].includes(value) : fallback;
}

/** ntfy's priority: 0 when not given, 1-5 by number or name; throws 40007 otherwise. */
export function parsePriority(value: string): number {
  const names: Record<string, number> = {
    "": 0,
    "1": 1,
    min: 1,
    "2": 2,
    low: 2,
    "3": 3,
    default: 3,
    "4": 4,
    high: 4,
    "5": 5,
    max: 5,
    urgent: 5,
  };
  const priority = names[value.trim().toLowerCase()];
  if (priority === undefined) throw ntfyError(40007);
  return priority;
}

/** Parses a delay (unix time or duration like `30m`) into unix seconds; throws 40004-40006. */
export function parseDelay(value: string, nowSecs: number): number {
  let at: number;
  const duration = /^(\d+)\s*(d|days?|h|hours?|m|mins?|minutes?|s|secs?|seconds?)$/i.exec(value);
  if (/^\d+$/.test(value)) at = Number(value);
  else if (duration) {
    const unit = duration[2]!.toLowerCase()[0]!;
    const seconds = { d: 86_400, h: 3_600, m: 60, s: 1 }[unit]!;
    at = nowSecs + Number(duration[1]) * seconds;
  } else {
    // ntfy also understands natural language ("tomorrow, 10am"); this server does not.
    throw ntfyError(40004);
  }
  if (at < nowSecs + 10) throw ntfyError(40005);
  if (at > nowSecs + 3 * 86_400) throw ntfyError(40006);
  return at;
}

// --- Bodies and credentials -----------------------------------------------------------------

/** A JSON publish turned into what ntfy's header publishing would have received. */
export interface JsonPublish {
  readonly topic: string;
  readonly message: string;
  /** The request headers with the JSON fields applied as `X-*` headers, as ntfy does. */
  readonly headers: Headers;
}

function toBase64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** ntfy's transformBodyJSON: validates a `POST /` body and maps it onto headers. */
export function parseJsonPublish(bytes: Uint8Array, requestHeaders: Headers): JsonPublish {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw ntfyError(40024); // ntfy's answer to a body that is not JSON.
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw ntfyError(40024);
  const strings = [
    "topic",
    "message",
    "title",
    "click",
    "icon",
    "attach",
    "filename",
    "email",
    "sequence_id",
  ];
  const wrongType = strings.some((key) => body[key] != null && typeof body[key] !== "string") ||
    (body.priority != null && !Number.isInteger(body.priority)) ||
    (body.tags != null &&
      !(Array.isArray(body.tags) && body.tags.every((t) => typeof t === "string"))) ||
    (body.markdown != null && typeof body.markdown !== "boolean") ||
    (body.delay != null && typeof body.delay !== "string") ||
    (body.actions != null && !Array.isArray(body.actions));
  if (wrongType) throw ntfyError(40024); // Go's json.Unmarshal fails on a mistyped field.
  const topic = (body.topic as string | undefined) ?? "";
  if (!TOPIC_PATTERN.test(topic)) throw ntfyError(40009);
  const headers = new Headers(requestHeaders);
  const set = (name: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== "" && value !== 0) {
      // JSON fields are UTF-8 (a title may hold "…" or an emoji) and header values bytes:
      // carry what is not Latin-1 as an encoded word, which reading the header undoes.
      const text = String(value);
      headers.set(
        name,
        /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${toBase64Utf8(text)}?=`,
      );
    }
  };
  set("X-Title", body.title);
  set("X-Priority", body.priority);
  set("X-Tags", (body.tags as string[] | undefined)?.join(","));
  set("X-Attach", body.attach);
  set("X-Filename", body.filename);
  set("X-Click", body.click);
  set("X-Icon", body.icon);
  if (body.markdown === true) headers.set("X-Markdown", "yes");
  if (Array.isArray(body.actions) && body.actions.length > 0) {
    headers.set("X-Actions", JSON.stringify(body.actions));
  }
  set("X-Email", body.email);
  set("X-Delay", body.delay);
  set("X-Sequence-ID", body.sequence_id);
  return { topic, message: (body.message as string | undefined) || "triggered", headers };
}

/** Whether `bytes` are valid UTF-8. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false; // The answer itself: the bytes are not UTF-8.
  }
}

/** Decodes standard base64 (padding optional) as UTF-8, or undefined if it is not base64. */
export function decodeBase64(text: string): string | undefined {
  const padded = text + "=".repeat((4 - (text.length % 4)) % 4);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(padded)) return undefined;
  try {
    const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return undefined; // Not base64: the caller answers 401.
  }
}

/** The file name ntfy derives from an attachment URL (`path.Base`), or `attachment`. */
export function attachmentName(url: string): string {
  const path = URL.canParse(url) ? new URL(url).pathname : "";
  const base = path.replace(/\/+$/, "").split("/").pop() ?? "";
  if (base === "" || base === ".") return "attachment";
  try {
    return decodeURIComponent(base);
  } catch {
    return "attachment"; // A bad escape: Go's url.Parse fails, and ntfy falls back.
  }
}

// --- Actions -------------------------------------------------------------------------------

/** An action button as ntfy stores it (without its random `id`). */
export interface ParsedAction {
  action: string;
  label: string;
  clear: boolean;
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  intent?: string;
  extras?: Record<string, string>;
}

/** Parses actions in JSON or ntfy's short format; throws 40018 with ntfy's reason. */
export function parseActions(value: string): ParsedAction[] {
  const text = value.trim();
  let raw: Record<string, unknown>[];
  try {
    raw = text.startsWith("[") ? parseJsonActions(text) : parseShortActions(text);
  } catch (error) {
    throw ntfyError(40018, errorMessage(error));
  }
  const actions = raw.map(normalizeAction);
  if (actions.length > 3) throw ntfyError(40018, "only 3 actions allowed");
  for (const action of actions) {
    let problem = "";
    if (!["view", "broadcast", "http"].includes(action.action)) {
      problem = `action '${action.action}' unknown`;
    } else if (!action.label) problem = "parameter 'label' is required";
    else if (action.action !== "broadcast" && !action.url) {
      problem = `parameter 'url' is required for action '${action.action}'`;
    } else if (
      action.action === "http" && ["GET", "HEAD"].includes(action.method ?? "") && action.body
    ) problem = `parameter 'body' cannot be set if method is ${action.method}`;
    if (problem) throw ntfyError(40018, problem);
  }
  return actions;
}

function parseJsonActions(text: string): Record<string, unknown>[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === "object" && a !== null)) {
    throw new Error("json: cannot unmarshal into actions");
  }
  return parsed as Record<string, unknown>[];
}

function normalizeAction(raw: Record<string, unknown>): ParsedAction {
  const string = (key: string): string | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") throw ntfyError(40018, `json: '${key}' must be a string`);
    return value;
  };
  const map = (key: string): Record<string, string> | undefined => {
    const value = raw[key] as Record<string, string> | undefined;
    return value && Object.keys(value).length > 0 ? { ...value } : undefined;
  };
  if (raw.clear !== undefined && typeof raw.clear !== "boolean") {
    throw ntfyError(40018, "json: 'clear' must be a boolean");
  }
  const action: ParsedAction = {
    action: (string("action") ?? "").toLowerCase(),
    label: string("label") ?? "",
    clear: raw.clear === true,
  };
  const optional = {
    url: string("url"),
    method: string("method")?.toUpperCase() || undefined,
    headers: map("headers"),
    body: string("body"),
    intent: string("intent"),
    extras: map("extras"),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && value !== "") {
      (action as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return action;
}

/** ntfy's short format: `view, Open, https://x, clear=true; http, Post, https://y, body='{}'`. */
function parseShortActions(input: string): Record<string, unknown>[] {
  const actions: Record<string, unknown>[] = [];
  let pos = 0;
  const peek = () => input[pos] ?? "";
  const slurpSpaces = () => {
    while (/[ \t\r\n]/.test(peek()) && pos < input.length) pos++;
  };
  const parseSection = (): { key: string; value: string; last: boolean } => {
    slurpSpaces();
    const keyMatch = /^([-.\w]+)\s*=\s*/.exec(input.slice(pos));
    let key = "";
    if (keyMatch) {
      key = keyMatch[1]!;
      pos += keyMatch[0].length;
    }
    const char = peek();
    if (char === "" || char === "," || char === ";") {
      pos++;
      return { key, value: "", last: char !== "," };
    }
    if (char === '"' || char === "'") {
      const start = ++pos;
      while (true) {
        if (pos >= input.length) {
          throw new Error(`unexpected end of input, quote started at position ${start}`);
        }
        if (input[pos] === char && input[pos - 1] !== "\\") break;
        pos++;
      }
      const value = input.slice(start, pos++);
      slurpSpaces();
      const end = peek();
      if (end !== "" && end !== "," && end !== ";") {
        throw new Error(`unexpected character '${end}' at position ${pos}`);
      }
      pos++;
      return { key, value, last: end !== "," };
    }
    const start = pos;
    while (pos < input.length && peek() !== "," && peek() !== ";") pos++;
    const end = peek();
    const value = input.slice(start, pos++);
    return { key, value: value.trimEnd(), last: end !== "," };
  };
  while (pos < input.length) {
    const action: Record<string, unknown> = { headers: {}, extras: {} };
    for (let section = 0;; section++) {
      const { key: given, value, last } = parseSection();
      let key = given;
      if (!key && section === 0) key = "action";
      else if (!key && section === 1) key = "label";
      else if (!key && section === 2 && ["view", "http"].includes(String(action.action))) {
        key = "url";
      }
      if (!key) throw new Error(`term '${value}' unknown`);
      if (key.startsWith("headers.")) {
        (action.headers as Record<string, string>)[key.slice(8)] = value;
      } else if (key.startsWith("extras.")) {
        (action.extras as Record<string, string>)[key.slice(7)] = value;
      } else {
        const lower = key.toLowerCase();
        if (lower === "clear") {
          const flag = value.toLowerCase();
          if (!["true", "yes", "1", "false", "no", "0"].includes(flag)) {
            throw new Error(`'clear=${value}' not allowed`);
          }
          action.clear = ["true", "yes", "1"].includes(flag);
        } else if (["action", "label", "url", "method", "body", "intent"].includes(lower)) {
          action[lower] = value;
        } else throw new Error(`key '${key}' unknown`);
      }
      slurpSpaces();
      if (last) break;
    }
    actions.push(action);
  }
  return actions;
}
