/**
 * A loopback ntfy server for tests and benchmarks: a real HTTP server on 127.0.0.1 that
 * speaks ntfy's publish API (JSON and header publishing, priorities, actions, auth, error
 * codes and limits as ntfy's own server has them), records every accepted message and
 * can be told to fail, answer 429 or hang.
 *
 * Deliberate differences from ntfy: attachments are off (as on a default self-hosted
 * server), e-mail forwarding is on (as on ntfy.sh), natural-language delays are not
 * understood, and there is no web app. Subscribing (`GET /<topic>/json`) is in
 * `_ntfy_subscribe.ts`: tests play the phone with it.
 *
 * @module
 */

import {
  attachmentName,
  decodeBase64,
  DISALLOWED_TOPICS,
  isUtf8,
  ntfyError,
  NtfyHttpError,
  parseActions,
  type ParsedAction,
  parseDelay,
  parseJsonPublish,
  parsePriority,
  randomId,
  readBoolParam,
  readParam,
  TOPIC_PATTERN,
} from "./_ntfy_params.ts";

import { type SubscribeRequest, TopicStreams } from "./_ntfy_subscribe.ts";

export type { ParsedAction as ReceivedAction } from "./_ntfy_params.ts";
export type { SubscribeRequest } from "./_ntfy_subscribe.ts";

/** How the server misbehaves for a publish request. */
export type NtfyFault =
  | {
    /** The HTTP status to answer with (e.g. 400, 401, 403, 413, 429, 500, 507). */
    readonly status: number;
    /**
     * ntfy's error code in the JSON body. @default {40009 for 400, 40101, 40301, 41303 for
     * 413, 42901 for 429, 50001 for 500, 50701 for 507, else status * 100 + 1}
     */
    readonly code?: number;
    /** Sends `Retry-After` with this many seconds; ntfy itself never sends one. */
    readonly retryAfterSecs?: number;
    /** Sends this raw `Retry-After` value (e.g. an HTTP date) instead. */
    readonly retryAfter?: string;
  }
  | {
    /** Never answers, until the client gives up or the server closes. */
    readonly hang: true;
  };

/** A token bucket per remote IP, like ntfy's visitor request limit. */
export interface NtfyRateLimit {
  /** Requests allowed at once (ntfy: 60). */
  readonly burst: number;
  /** Requests added back per second (ntfy: 0.2). */
  readonly refillPerSec: number;
}

/** Options for {@linkcode startNtfyServer}. */
export interface NtfyServerOptions {
  /** Port to listen on; 0 picks a free one. @default {0} */
  port?: number;
  /** Users and their passwords for Basic auth. Setting users or tokens turns auth on. */
  users?: Record<string, string>;
  /** Valid access tokens (`tk_…`) for Bearer auth. */
  tokens?: string[];
  /** Whether anonymous publishing is refused with 403 (40301). @default {false} */
  requireAuth?: boolean;
  /** Rate limiting per remote IP; off unless given. */
  rateLimit?: NtfyRateLimit;
  /** Called with each accepted message, right after it is recorded. */
  onMessage?: (message: ReceivedMessage) => void;
  /** Pause between keepalive events on subscriptions. @default {45000} */
  keepaliveMs?: number;
}

/** A message the server accepted, with the request it came in. */
export interface ReceivedMessage {
  /** The id ntfy answered with. */
  readonly id: string;
  /** Unix seconds: now, or the delivery time for a delayed message. */
  readonly time: number;
  /** The topic. */
  readonly topic: string;
  /** The message text as ntfy stores it (trimmed; `triggered` when empty). */
  readonly message: string;
  /** The title, if any. */
  readonly title?: string;
  /** The priority 1-5; 3 when the request gave none. */
  readonly priority: number;
  /** Tags, in order; empty when none. */
  readonly tags: readonly string[];
  /** The click URL, if any. */
  readonly click?: string;
  /** The icon URL, if any. */
  readonly icon?: string;
  /** Action buttons as ntfy parsed them (without their random ids). */
  readonly actions?: readonly ParsedAction[];
  /** Whether the message is Markdown. */
  readonly markdown: boolean;
  /** The delay as sent, if any. */
  readonly delay?: string;
  /** The attachment URL, if any. */
  readonly attach?: string;
  /** The attachment file name as sent, if any. */
  readonly filename?: string;
  /** The e-mail address, if any. */
  readonly email?: string;
  /** The HTTP method. */
  readonly method: string;
  /** The request path (without query). */
  readonly path: string;
  /** The query parameters. */
  readonly query: Readonly<Record<string, string>>;
  /** The request headers, names in lower case, values as sent (still encoded). */
  readonly headers: Readonly<Record<string, string>>;
  /** The `Authorization` value used: the header, or the one decoded from `auth=`. */
  readonly authorization?: string;
  /** The authenticated user name, or `token` for a bearer token. */
  readonly user?: string;
  /** `performance.now()` when the message was recorded. */
  readonly receivedAt: number;
}

const MESSAGE_LIMIT = 4096;
const JSON_LIMIT = MESSAGE_LIMIT * 2;
const EXPIRY_SECS = 12 * 3600;
const PUBLISH_PATH = /^\/([-_A-Za-z0-9]{1,64})\/(publish|send|trigger)$/;
const DEFAULT_FAULT_CODES: Record<number, number> = {
  400: 40009,
  401: 40101,
  403: 40301,
  413: 41303,
  429: 42901,
  500: 50001,
  507: 50701,
};

interface Waiter {
  readonly count: number;
  readonly resolve: (messages: ReceivedMessage[]) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

interface Visitor {
  readonly authorization?: string;
  readonly user?: string;
}

/**
 * A running loopback ntfy server; create one with {@linkcode startNtfyServer}.
 *
 * Disposing it closes it: `await using server = await startNtfyServer()`.
 *
 * @example
 * ```ts ignore
 * await using server = await startNtfyServer();
 * await fetch(`${server.url}/alerts`, { method: "POST", body: "hi" }).then((r) => r.text());
 * const [message] = await server.waitForMessages(1);
 * console.log(message.topic, message.message); // alerts hi
 * ```
 */
export class NtfyTestServer implements AsyncDisposable {
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #options: NtfyServerOptions;
  readonly #messages: ReceivedMessage[] = [];
  readonly #faults: NtfyFault[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #closing = new AbortController();
  readonly #streams: TopicStreams;
  #mode: NtfyFault | "ok" = "ok";
  #requests = 0;
  #hanging = 0;
  #closed: Promise<void> | undefined;

  /** Starts listening; use {@linkcode startNtfyServer}. */
  constructor(options: NtfyServerOptions = {}) {
    this.#options = options;
    this.#streams = new TopicStreams({ keepaliveMs: options.keepaliveMs });
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: options.port ?? 0, onListen() {} },
      (request, info) => this.#handle(request, info),
    );
  }

  /** The port it listens on. */
  get port(): number {
    return this.#server.addr.port;
  }

  /** The base URL, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every accepted message, oldest first (a live array; copy it to keep a snapshot). */
  get messages(): readonly ReceivedMessage[] {
    return this.#messages;
  }

  /** Subscribe requests (`GET /<topic>/json`) so far, oldest first. */
  get subscriptions(): readonly SubscribeRequest[] {
    return this.#streams.requests;
  }

  /** Subscription streams open now. */
  get openStreams(): number {
    return this.#streams.open;
  }

  /** Ends every subscription stream from the server's side; returns how many were open. */
  dropStreams(): number {
    return this.#streams.dropAll();
  }

  /** While true, new subscriptions are refused with 503. */
  refuseSubscriptions(refusing: boolean): void {
    this.#streams.refusing = refusing;
  }

  /** All requests received, accepted or not. */
  get requests(): number {
    return this.#requests;
  }

  /** Requests held by a `hang` fault right now. */
  get hanging(): number {
    return this.#hanging;
  }

  /** Applies `fault` to the next `count` publish requests, after any already queued. */
  failNext(count: number, fault: NtfyFault): void {
    for (let i = 0; i < count; i++) this.#faults.push(fault);
  }

  /** Applies `mode` to every publish request without a queued fault; `"ok"` behaves. */
  setMode(mode: NtfyFault | "ok"): void {
    this.#mode = mode;
  }

  /**
   * Resolves with the recorded messages once at least `count` have arrived; rejects after
   * `timeoutMs` saying how many did.
   */
  waitForMessages(count: number, timeoutMs = 5000): Promise<ReceivedMessage[]> {
    if (this.#messages.length >= count) return Promise.resolve([...this.#messages]);
    if (this.#closed) {
      return Promise.reject(new Error(`Cannot wait for ${count} ntfy messages: server closed`));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(
            new Error(
              `Timed out after ${timeoutMs} ms waiting for ${count} ntfy messages: ` +
                `${this.#messages.length} arrived`,
            ),
          );
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  /** Forgets messages, the request count, queued faults, the mode and rate-limit state. */
  reset(): void {
    this.#messages.length = 0;
    this.#faults.length = 0;
    this.#mode = "ok";
    this.#requests = 0;
    this.#buckets.clear();
  }

  /** Stops the server: answers hanging requests, rejects waiters, closes connections. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing.abort();
      for (const waiter of this.#waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`Server closed while waiting for ${waiter.count} ntfy messages`));
      }
      this.#waiters.clear();
      this.#streams.close();
      await this.#server.shutdown();
    })();
    return this.#closed;
  }

  /** Closes the server, as {@linkcode NtfyTestServer.close} does. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #handle(request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>): Promise<Response> {
    this.#requests++;
    const url = new URL(request.url);
    const method = request.method;
    const isWrite = method === "PUT" || method === "POST";
    const publishing =
      (isWrite && (url.pathname === "/" || TOPIC_PATTERN.test(url.pathname.slice(1)))) ||
      ((isWrite || method === "GET") && PUBLISH_PATH.test(url.pathname));
    try {
      if (publishing) {
        const fault = this.#faults.shift() ?? (this.#mode === "ok" ? undefined : this.#mode);
        if (fault) return await this.#fault(fault, request);
      }
      const visitor = this.#authenticate(request.headers, url.searchParams);
      if (method === "GET" && url.pathname === "/v1/health") return json({ healthy: true });
      if (TopicStreams.matches(method, url.pathname)) {
        if (this.#options.requireAuth && visitor.user === undefined) throw ntfyError(40301);
        return this.#streams.subscribe(request, url);
      }
      if (!publishing) throw ntfyError(40401);
      this.#limitRequests(info.remoteAddr.hostname);
      return json(await this.#publish(request, url, visitor));
    } catch (error) {
      if (error instanceof NtfyHttpError) return json(error.toJSON(), error.http);
      throw error; // A bug in this server: Deno answers 500 and logs it.
    }
  }

  #fault(fault: NtfyFault, request: Request): Promise<Response> | Response {
    if ("hang" in fault) return this.#hang(request);
    const error = ntfyError(
      fault.code ?? DEFAULT_FAULT_CODES[fault.status] ?? fault.status * 100 + 1,
    );
    const headers: Record<string, string> = {};
    const retryAfter = fault.retryAfter ?? fault.retryAfterSecs?.toString();
    if (retryAfter !== undefined) headers["Retry-After"] = retryAfter;
    return json({ ...error.toJSON(), http: fault.status }, fault.status, headers);
  }

  #hang(request: Request): Promise<Response> {
    this.#hanging++;
    return new Promise((resolve) => {
      const signals = [request.signal, this.#closing.signal];
      const done = () => {
        this.#hanging--;
        for (const signal of signals) signal.removeEventListener("abort", done);
        resolve(json(ntfyError(50001).toJSON(), 500));
      };
      if (signals.some((signal) => signal.aborted)) return done();
      for (const signal of signals) signal.addEventListener("abort", done);
    });
  }

  /** ntfy's maybeAuthenticate: no auth configured means every credential is ignored. */
  #authenticate(headers: Headers, query: URLSearchParams): Visitor {
    const { users, tokens } = this.#options;
    if (!users && !tokens) return {};
    let value = (headers.get("Authorization") ?? "").trim();
    const queryValue = readParam(new Headers(), query, "authorization", "auth");
    if (queryValue) {
      const decoded = decodeBase64(queryValue.replaceAll("-", "+").replaceAll("_", "/"));
      if (decoded === undefined) throw ntfyError(40101);
      value = decoded.trim();
    }
    const lower = value.toLowerCase();
    if (!lower.startsWith("basic ") && !lower.startsWith("bearer ")) return {};
    if (lower.startsWith("bearer ")) {
      const token = value.slice(7).trim();
      if (!tokens?.includes(token)) throw ntfyError(40101);
      return { authorization: value, user: "token" };
    }
    const credentials = decodeBase64(value.slice(6).trim());
    const colon = credentials?.indexOf(":") ?? -1;
    if (credentials === undefined || colon === -1) throw ntfyError(40101);
    const user = credentials.slice(0, colon);
    const password = credentials.slice(colon + 1);
    if (user === "") {
      // ntfy treats Basic auth with an empty user name as a token in the password.
      if (!tokens?.includes(password)) throw ntfyError(40101);
      return { authorization: value, user: "token" };
    }
    if (users?.[user] === undefined || users[user] !== password) throw ntfyError(40101);
    return { authorization: value, user };
  }

  #limitRequests(ip: string): void {
    const limit = this.#options.rateLimit;
    if (!limit) return;
    const now = performance.now();
    const bucket = this.#buckets.get(ip) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(
      limit.burst,
      bucket.tokens + (now - bucket.at) / 1000 * limit.refillPerSec,
    );
    bucket.at = now;
    this.#buckets.set(ip, bucket);
    if (bucket.tokens < 1) throw ntfyError(42901);
    bucket.tokens -= 1;
  }

  async #publish(request: Request, url: URL, visitor: Visitor): Promise<Record<string, unknown>> {
    let headers = request.headers;
    let topic: string;
    let body: { bytes: Uint8Array; limitReached: boolean };
    if (url.pathname === "/") {
      const raw = await readBody(request, JSON_LIMIT);
      if (raw.limitReached) throw ntfyError(41303);
      const json = parseJsonPublish(raw.bytes, request.headers);
      topic = json.topic;
      headers = json.headers;
      // ntfy feeds the JSON message through the same 4,096-byte peek as a plain body.
      const bytes = new TextEncoder().encode(json.message);
      body = {
        bytes: bytes.subarray(0, MESSAGE_LIMIT),
        limitReached: bytes.length > MESSAGE_LIMIT,
      };
    } else {
      topic = url.pathname.split("/")[1]!;
      body = await readBody(request, MESSAGE_LIMIT);
    }
    if (DISALLOWED_TOPICS.has(topic)) throw ntfyError(40010);
    if (this.#options.requireAuth && visitor.user === undefined) throw ntfyError(40301);

    const query = url.searchParams;
    const param = (...names: string[]) => readParam(headers, query, ...names);
    const nowSecs = Math.floor(Date.now() / 1000);
    const title = param("x-title", "title", "t");
    const click = param("x-click", "click");
    const icon = param("x-icon", "icon");
    const filename = param("x-filename", "filename", "file", "f");
    const attach = param("x-attach", "attach", "a");
    if (attach && !/^https?:\/\//.test(attach)) throw ntfyError(40013);
    if (icon && !/^https?:\/\//.test(icon)) throw ntfyError(40021);
    const email = param("x-email", "x-e-mail", "email", "e-mail", "mail", "e");
    let message = param("x-message", "message", "m").replaceAll("\\n", "\n");
    const priority = parsePriority(param("x-priority", "priority", "prio", "p"));
    const tagsText = param("x-tags", "tags", "tag", "ta");
    const tags = tagsText.split(",").map((tag) => tag.trim()).filter((tag) => tag !== "");
    const delay = param("x-delay", "delay", "x-at", "at", "x-in", "in");
    let time = nowSecs;
    if (delay) {
      if (!readBoolParam(headers, query, true, "x-cache", "cache")) throw ntfyError(40002);
      if (email) throw ntfyError(40003);
      time = parseDelay(delay, nowSecs);
    }
    const actionsText = param("x-actions", "actions", "action");
    const actions = actionsText ? parseActions(actionsText) : undefined;
    const markdown = readBoolParam(headers, query, false, "x-markdown", "markdown", "md") ||
      param("content-type", "content_type").toLowerCase() === "text/markdown";

    // ntfy's handlePublishBody: an external attachment keeps the body as the message; a
    // file name alone, an oversized or a non-UTF-8 body would become an attachment, and
    // attachments are off here (as on a default self-hosted server).
    const bodyIsMessage = attach !== "" ||
      (filename === "" && !body.limitReached && isUtf8(body.bytes));
    if (!bodyIsMessage) throw ntfyError(40014);
    if (!isUtf8(body.bytes)) throw ntfyError(40011);
    if (body.bytes.length > 0) message = new TextDecoder().decode(body.bytes).trim();
    const attachment = attach
      ? { name: filename || attachmentName(attach), url: attach }
      : undefined;
    if (attachment && message === "") message = `You received a file: ${attachment.name}`;
    if (message === "") message = "triggered";

    const id = randomId(12);
    const record = compact({
      id,
      time,
      topic,
      message,
      title: title || undefined,
      priority: priority || 3,
      tags,
      click: click || undefined,
      icon: icon || undefined,
      actions,
      markdown,
      delay: delay || undefined,
      attach: attach || undefined,
      filename: filename || undefined,
      email: email || undefined,
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(query),
      headers: Object.fromEntries(request.headers),
      authorization: visitor.authorization,
      user: visitor.user,
      receivedAt: performance.now(),
    }) as unknown as ReceivedMessage;
    this.#record(record);

    const event = compact({
      id,
      time,
      expires: nowSecs + EXPIRY_SECS,
      event: "message",
      topic,
      title: title || undefined,
      message,
      priority: priority || undefined,
      tags: tags.length > 0 ? tags : undefined,
      click: click || undefined,
      icon: icon || undefined,
      actions: actions?.map((action) => ({ id: randomId(10), ...action })),
      attachment,
      content_type: markdown ? "text/markdown" : undefined,
    });
    this.#streams.publish(event as Parameters<TopicStreams["publish"]>[0]);
    return event;
  }

  #record(message: ReceivedMessage): void {
    this.#messages.push(message);
    this.#options.onMessage?.(message);
    for (const waiter of this.#waiters) {
      if (this.#messages.length >= waiter.count) {
        clearTimeout(waiter.timer);
        this.#waiters.delete(waiter);
        waiter.resolve([...this.#messages]);
      }
    }
  }
}

/**
 * Starts a loopback ntfy server on 127.0.0.1.
 *
 * @example
 * ```ts ignore
 * await using server = await startNtfyServer({ tokens: ["tk_test"], requireAuth: true });
 * server.failNext(1, { status: 429, retryAfterSecs: 2 });
 * ```
 */
export function startNtfyServer(options: NtfyServerOptions = {}): Promise<NtfyTestServer> {
  return Promise.resolve(new NtfyTestServer(options));
}

// --- Helpers -------------------------------------------------------------------------------

/** Reads up to `limit` bytes, noting whether the body was longer (ntfy's util.Peek). */
async function readBody(
  request: Request,
  limit: number,
): Promise<{ bytes: Uint8Array; limitReached: boolean }> {
  if (!request.body) return { bytes: new Uint8Array(), limitReached: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  while (size <= limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  if (size > limit) await reader.cancel();
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes: bytes.subarray(0, Math.min(size, limit)), limitReached: size > limit };
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body) + "\n", {
    status,
    headers: {
      "Content-Type": "application/json",
      "Access-Control-Allow-Origin": "*",
      ...headers,
    },
  });
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/**
 * Runs `fn` with a fresh loopback ntfy server and always closes it afterwards.
 *
 * @example
 * ```ts ignore
 * await withNtfyServer({}, async (server) => { ... });
 * ```
 */
export async function withNtfyServer(
  options: NtfyServerOptions,
  fn: (server: NtfyTestServer) => Promise<void>,
): Promise<void> {
  const server = await startNtfyServer(options);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}
