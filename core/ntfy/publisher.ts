/**
 * Sends one notification task to an ntfy server with `fetch`: a message, or a clear or
 * delete of a sequence.
 *
 * @module
 */

import type { NotificationTask, NtfyAuth } from "../../protocol/mod.ts";
import { NtfyError } from "./errors.ts";
import { redactSecrets } from "./redact.ts";

/** What ntfy answers for a published message (the fields the daemon needs). */
export interface PublishResult {
  /** ntfy's message id. */
  readonly id: string;
  /** The message time in seconds since the Unix epoch (the delivery time if delayed). */
  readonly time: number;
  /** The topic the message went to. */
  readonly topic: string;
}

/** Options for {@linkcode publish}. */
export interface PublishOptions {
  /** The `fetch` to use, e.g. one bound to a custom `Deno.HttpClient`. @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** Cancels the request; the publish then fails with kind `aborted`. */
  signal?: AbortSignal;
}

/** The per-request timeout when the target sets none, in seconds. */
export const DEFAULT_TIMEOUT_SECS = 10;

// ntfy's answers are small; a larger body is not ntfy and is not read to the end.
const BODY_LIMIT_BYTES = 64 * 1024;
// Each encoded word stays under RFC 2047's 75 characters: 45 bytes are 60 in base64.
const ENCODED_WORD_BYTES = 45;

interface PreparedRequest {
  /** The address requested, without credentials or fragment. */
  readonly url: string;
  /** Its host, for messages. */
  readonly host: string;
  readonly init: RequestInit;
  /** Every form a secret takes in this request, for redaction. */
  readonly secrets: string[];
  /** The server address without credentials or query, safe for messages. */
  readonly server: string;
  /** What the request does, for messages: `the message`, `the clear of sequence "s"`. */
  readonly what: string;
}

/**
 * Sends `task` to its ntfy target and returns ntfy's id for the message.
 *
 * With `sendFormat: "json"` (the default) the task is POSTed as JSON to the server's root;
 * with `"text"` the body goes to `/<topic>` and the options travel in `X-*` headers, with
 * non-ASCII values as RFC 2047 encoded words (`=?UTF-8?B?…?=`), which ntfy decodes.
 * A `message.sequenceId` travels as `sequence_id` or `X-Sequence-ID` (never in the path:
 * a server before 2.16 answers 404 there, and ignores the field and header). The task is
 * sent as it is: whether to send sequence ids at all is `publishWithSequences`' decision.
 * Operation `clear` is `PUT /<topic>/<sequence id>/clear`, `delete` is
 * `DELETE /<topic>/<sequence id>`; their answer's `id` is `""` if ntfy sent none.
 * The request times out after `target.timeoutSecs` (default 10 s). Redirects are not
 * followed, so credentials never go to another address.
 *
 * A timed-out request may still have been delivered: ntfy has no idempotency key.
 *
 * @throws {NtfyError} classified by kind and `retryable`; never holding a token or password.
 * @throws {TypeError} if `target.serverUrl` is not a URL, or a clear or delete has no sequence id.
 *
 * @example
 * ```ts ignore
 * import { publish } from "./publisher.ts";
 *
 * const { id } = await publish({
 *   target: { serverUrl: "https://ntfy.sh", topic: "my-claude-topic" },
 *   message: { title: "Claude is waiting", body: "webapp: permission to use Write", priority: 4 },
 *   origin: { event: "Notification", createdAt: Date.now() },
 * });
 * console.log(id);
 * ```
 */
export async function publish(
  task: NotificationTask,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const request = prepareRequest(task);
  const timeoutSecs = task.target.timeoutSecs ?? DEFAULT_TIMEOUT_SECS;
  // One controller and a timer cleared when the publish settles: AbortSignal.timeout()
  // would keep a timer (and the request) alive for the whole timeout after each publish.
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new DOMException("Timed out", "TimeoutError")),
    timeoutSecs * 1000,
  );
  const timeoutSignal = timeout.signal;
  const signal = options.signal ? AbortSignal.any([timeoutSignal, options.signal]) : timeoutSignal;
  const failure = (error: unknown) =>
    transportFailure(error, request, timeoutSecs, timeoutSignal, options.signal);
  try {
    return await send(request, signal, options, failure, task);
  } finally {
    clearTimeout(timer);
  }
}

async function send(
  request: PreparedRequest,
  signal: AbortSignal,
  options: PublishOptions,
  failure: (error: unknown) => NtfyError,
  task: NotificationTask,
): Promise<PublishResult> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(request.url, { ...request.init, signal });
  } catch (error) {
    throw failure(error);
  }
  if (!response.ok) {
    let text = "";
    try {
      text = await readText(response);
    } catch (error) {
      // The status alone still says what went wrong; a body cut short changes nothing.
      if (options.signal?.aborted) throw failure(error);
    }
    throw httpFailure(response, text, request);
  }
  let text: string;
  try {
    text = await readText(response);
  } catch (error) {
    throw failure(error);
  }
  return parseResult(text, response.status, task);
}

/** What a server URL gives every request to it; see {@linkcode serverPartsOf}. */
interface ServerParts {
  /** Scheme, host and port. */
  readonly origin: string;
  readonly host: string;
  /** The path without trailing slashes: requests go below it. */
  readonly prefix: string;
  /** The query, kept on every request (`?auth=` among others). */
  readonly search: string;
  /** The address without credentials or query, safe for messages. */
  readonly server: string;
  /** Credentials written in the URL, if any. */
  readonly credentials?: NtfyAuth;
  /** Every form those and a query's credentials take, for redaction. */
  readonly secrets: readonly string[];
}

/**
 * Server URLs parsed lately: every delivery to a server needs the same parts, and parsing
 * and editing a URL costs more than the rest of preparing a request. Bounded: cleared when
 * full.
 */
const serverParts = new Map<string, ServerParts>();
const MAX_SERVER_PARTS = 64;

function serverPartsOf(serverUrl: string): ServerParts {
  const known = serverParts.get(serverUrl);
  if (known !== undefined) return known;
  const url = parseServerUrl(serverUrl);
  const secrets: string[] = [];
  let credentials: NtfyAuth | undefined;
  if (url.username || url.password) {
    const username = decodeUrlPart(url.username);
    const password = decodeUrlPart(url.password);
    secrets.push(password, url.password);
    credentials = { type: "basic", username, password };
  }
  // ntfy also reads credentials from `?auth=` (base64url of the Authorization value).
  for (const name of ["auth", "authorization"]) {
    const value = url.searchParams.get(name);
    if (value) secrets.push(value);
  }
  const prefix = url.pathname.replace(/\/+$/, "");
  const parts: ServerParts = {
    origin: url.origin,
    host: url.host,
    prefix,
    search: url.search,
    server: `${url.origin}${prefix}`,
    ...(credentials === undefined ? {} : { credentials }),
    secrets,
  };
  if (serverParts.size >= MAX_SERVER_PARTS) serverParts.clear();
  serverParts.set(serverUrl, parts);
  return parts;
}

function prepareRequest(task: NotificationTask): PreparedRequest {
  const { target, message } = task;
  const parts = serverPartsOf(target.serverUrl);
  const { prefix, server, host } = parts;
  const at = (path: string) => `${parts.origin}${path}${parts.search}`;
  const secrets = [...parts.secrets];
  const auth: NtfyAuth | undefined = target.auth ?? parts.credentials;

  const headers = new Headers();
  if (auth) {
    const value = authorizationValue(auth);
    headers.set("Authorization", value);
    secrets.push(value, value.slice(value.indexOf(" ") + 1));
    secrets.push(auth.type === "bearer" ? auth.token : auth.password);
  }

  const operation = task.operation ?? "publish";
  if (operation !== "publish") {
    // Validated tasks always have one; a hand-made task without one is a caller's bug.
    const sequenceId = message.sequenceId;
    if (sequenceId === undefined) {
      throw new TypeError(`Cannot ${operation} a notification: the task has no sequence id`);
    }
    const path = `${prefix}/${encodeURIComponent(target.topic)}/${encodeURIComponent(sequenceId)}`;
    const url = at(operation === "clear" ? `${path}/clear` : path);
    const method = operation === "clear" ? "PUT" : "DELETE";
    const what = `the ${operation} of sequence "${sequenceId}"`;
    return { url, host, init: { method, headers, redirect: "manual" }, secrets, server, what };
  }

  const what = "the message";
  if ((target.sendFormat ?? "json") === "json") {
    const url = at(`${prefix}/`);
    headers.set("Content-Type", "application/json");
    const body = JSON.stringify(compact({
      topic: target.topic,
      message: message.body,
      title: message.title,
      priority: message.priority,
      tags: message.tags,
      click: message.click,
      icon: message.icon,
      actions: message.actions,
      markdown: message.markdown,
      delay: message.delay,
      attach: message.attach,
      filename: message.filename,
      email: message.email,
      sequence_id: message.sequenceId,
    }));
    const init = { method: "POST", headers, body, redirect: "manual" as const };
    return { url, host, init, secrets, server, what };
  }

  const url = at(`${prefix}/${encodeURIComponent(target.topic)}`);
  headers.set("Content-Type", "text/plain; charset=utf-8");
  const options: Record<string, string | undefined> = {
    "X-Title": message.title,
    "X-Priority": message.priority?.toString(),
    "X-Tags": message.tags?.length ? message.tags.join(",") : undefined,
    "X-Click": message.click,
    "X-Icon": message.icon,
    "X-Actions": message.actions?.length ? JSON.stringify(message.actions) : undefined,
    "X-Markdown": message.markdown ? "yes" : undefined,
    "X-Delay": message.delay,
    "X-Attach": message.attach,
    "X-Filename": message.filename,
    "X-Email": message.email,
    "X-Sequence-ID": message.sequenceId,
  };
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && value !== "") headers.set(name, encodeHeaderValue(value));
  }
  const init = { method: "POST", headers, body: message.body, redirect: "manual" as const };
  return { url, host, init, secrets, server, what };
}

function parseServerUrl(serverUrl: string): URL {
  if (URL.canParse(serverUrl)) return new URL(serverUrl);
  // A URL that does not parse may still hold credentials: show only its scheme.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(serverUrl)?.[0] ?? "";
  throw new TypeError(`Cannot publish: invalid ntfy server URL starting with "${scheme}"`);
}

function decodeUrlPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // Not percent-encoded after all (a stray "%"): use it as written.
  }
}

function authorizationValue(auth: NtfyAuth): string {
  if (auth.type === "bearer") return `Bearer ${auth.token}`;
  return `Basic ${toBase64(`${auth.username}:${auth.password}`)}`;
}

function toBase64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Header values must be ASCII; anything else (and anything that would itself decode as an
 * encoded word) is sent as RFC 2047 encoded words, split on character boundaries.
 */
function encodeHeaderValue(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value) && !value.includes("=?")) return value;
  const encoder = new TextEncoder();
  const words: string[] = [];
  let chunk = "";
  let chunkBytes = 0;
  for (const char of value) {
    const bytes = encoder.encode(char).length;
    if (chunkBytes + bytes > ENCODED_WORD_BYTES && chunk) {
      words.push(chunk);
      chunk = "";
      chunkBytes = 0;
    }
    chunk += char;
    chunkBytes += bytes;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${toBase64(word)}?=`).join(" ");
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/**
 * The body as text, up to {@linkcode BODY_LIMIT_BYTES}. A body that says its length and is
 * within the limit (what ntfy answers) is read in one go: reading it chunk by chunk costs a
 * fresh 64 KiB buffer per chunk, which at thousands of deliveries a second is most of the
 * daemon's memory churn.
 */
async function readText(response: Response): Promise<string> {
  if (!response.body) return "";
  const length = Number(response.headers.get("content-length") ?? NaN);
  if (Number.isSafeInteger(length) && length >= 0 && length <= BODY_LIMIT_BYTES) {
    return await response.text();
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let received = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > BODY_LIMIT_BYTES) {
      await reader.cancel();
      break;
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function parseResult(text: string, status: number, task: NotificationTask): PublishResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined; // Reported below with the other unexpected shapes.
  }
  const record = body as Record<string, unknown> | undefined;
  if ((task.operation ?? "publish") !== "publish") {
    // Any success will do: what ntfy answers to a clear or delete is not part of its docs.
    return {
      id: typeof record?.id === "string" ? record.id : "",
      time: typeof record?.time === "number" ? record.time : Math.floor(Date.now() / 1000),
      topic: typeof record?.topic === "string" ? record.topic : task.target.topic,
    };
  }
  if (
    typeof record?.id !== "string" || typeof record.time !== "number" ||
    typeof record.topic !== "string"
  ) {
    throw new NtfyError(
      `ntfy answered with an unexpected body: expected the published message as JSON (HTTP ${status})`,
      { kind: "http", httpStatus: status, retryable: false },
    );
  }
  return { id: record.id, time: record.time, topic: record.topic };
}

function httpFailure(response: Response, text: string, request: PreparedRequest): NtfyError {
  const status = response.status;
  const ntfy = parseNtfyError(text);
  const retryAfterMs = parseRetryAfter(response.headers.get("Retry-After"), Date.now());
  let message: string;
  if (status >= 300 && status < 400) {
    const location = response.headers.get("Location");
    message = `ntfy server "${request.server}" redirected the request${
      location ? ` to "${location}"` : ""
    }: set the server URL to the final address (HTTP ${status})`;
  } else if (ntfy) {
    const detail = ntfy.code === undefined ? ntfy.error : `${ntfy.code} ${ntfy.error}`;
    message = `ntfy rejected ${request.what}: ${detail} (HTTP ${status})`;
  } else {
    message = `ntfy rejected ${request.what}: ${
      response.statusText || "no details"
    } (HTTP ${status})`;
  }
  return new NtfyError(redactSecrets(message, request.secrets), {
    kind: "http",
    httpStatus: status,
    ntfyCode: ntfy?.code,
    retryable: isRetryableStatus(status, ntfy?.code),
    retryAfterMs,
  });
}

function parseNtfyError(text: string): { code?: number; error: string } | undefined {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (typeof body?.error !== "string") return undefined;
    return { code: typeof body.code === "number" ? body.code : undefined, error: body.error };
  } catch {
    return undefined; // Not ntfy's JSON (e.g. a proxy's HTML page): the status must do.
  }
}

/** 429 and 5xx are worth retrying, except ntfy's auth-failure limit and 507. */
function isRetryableStatus(status: number, ntfyCode: number | undefined): boolean {
  if (ntfyCode === 42909) return false; // Too many auth failures: the credentials need fixing.
  if (status === 429 || status === 408) return true;
  if (status === 507) return false; // UnifiedPush topic without subscriber.
  return status >= 500;
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function transportFailure(
  error: unknown,
  request: PreparedRequest,
  timeoutSecs: number,
  timeoutSignal: AbortSignal,
  callerSignal: AbortSignal | undefined,
): NtfyError {
  const cause = sanitizeError(error, request.secrets);
  const server = request.server;
  if (callerSignal?.aborted) {
    return new NtfyError(`Publishing to ntfy server "${server}" was aborted`, {
      kind: "aborted",
      retryable: false,
      cause,
    });
  }
  if (timeoutSignal.aborted) {
    return new NtfyError(`Timed out after ${timeoutSecs} s waiting for ntfy server "${server}"`, {
      kind: "timeout",
      retryable: true,
      cause,
    });
  }
  const name = error instanceof Error ? error.name : "";
  if (name === "NotCapable" || name === "PermissionDenied") {
    return new NtfyError(
      `Cannot publish to "${request.host}": the daemon was started without network ` +
        `permission for this host; add the server to the config, then restart the daemon ` +
        `(claude-ntfy daemon stop && claude-ntfy daemon start)`,
      { kind: "permission", retryable: false, cause },
    );
  }
  const detail = redactSecrets(innermostMessage(error), request.secrets)
    .replace(/^error sending request for url \([^)]*\):\s*/, "");
  return new NtfyError(`Cannot reach ntfy server "${server}": ${detail}`, {
    kind: "network",
    // Deno refuses some ports outright (fetch's "bad ports"); trying again will not help.
    retryable: !/Requests to port \d+ are blocked/.test(detail),
    cause,
  });
}

function innermostMessage(error: unknown): string {
  let current = error;
  for (let depth = 0; depth < 8; depth++) {
    if (!(current instanceof Error)) break;
    if (!(current.cause instanceof Error)) return current.message;
    current = current.cause;
  }
  return String(current);
}

/** Returns `error` itself when it holds no secret, else a copy with every secret redacted. */
function sanitizeError(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (secrets.length === 0 || depth > 8) return error;
  if (!(error instanceof Error)) {
    const text = String(error);
    const clean = redactSecrets(text, secrets);
    return clean === text ? error : clean;
  }
  const cause = error.cause === undefined
    ? undefined
    : sanitizeError(error.cause, secrets, depth + 1);
  const message = redactSecrets(error.message, secrets);
  const stack = error.stack === undefined ? undefined : redactSecrets(error.stack, secrets);
  if (message === error.message && stack === error.stack && cause === error.cause) return error;
  const copy = new Error(message, cause === undefined ? undefined : { cause });
  copy.name = error.name;
  copy.stack = stack;
  return copy;
}
