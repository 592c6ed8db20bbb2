/**
 * A loopback ntfy server for tests and benchmarks: a real HTTP server on 127.0.0.1 that
 * speaks ntfy's publish API (JSON and header publishing, priorities, actions, auth, error
 * codes and limits as ntfy's own server has them), records every accepted message and
 * can be told to fail, answer 429 or hang.
 *
 * It speaks ntfy 2.16's sequences too: a `sequence_id` (JSON), `X-Sequence-ID` header (or
 * `Sequence-ID`, `sid`) or a publish to `/<topic>/<sequence_id>` makes a message replace the
 * earlier one of its sequence; `PUT /<topic>/<sequence_id>/clear` and
 * `DELETE /<topic>/<sequence_id>` clear and delete it. {@linkcode NtfyTestServer.notifications}
 * shows the result as a phone would. With `sequenceIds: false` it behaves like a server
 * before 2.16: those paths answer 404 (40401) and sequence ids are ignored.
 *
 * Deliberate differences from ntfy: attachments are off (as on a default self-hosted
 * server), e-mail forwarding is on (as on ntfy.sh), natural-language delays are not
 * understood, and there is no web app. Subscribing (`GET /<topic>/json`) is in
 * `_ntfy_subscribe.ts`: tests play the phone with it.
 *
 * @module
 */

import { compact, json, readBody } from "./_ntfy_http.ts";
import { PhoneView } from "./_ntfy_phone.ts";
import {
  attachmentName,
  decodeBase64,
  DISALLOWED_TOPICS,
  isUtf8,
  ntfyError,
  NtfyHttpError,
  parseActions,
  parseDelay,
  parseJsonPublish,
  parsePriority,
  randomId,
  readBoolParam,
  readParam,
  TOPIC_PATTERN,
} from "./_ntfy_params.ts";

import type {
  NtfyEvent,
  NtfyFault,
  NtfyServerOptions,
  ReceivedMessage,
} from "./ntfy_server_options.ts";

import { type SubscribeRequest, TopicStreams } from "./_ntfy_subscribe.ts";

export * from "./ntfy_server_options.ts";
export type { SubscribeRequest } from "./_ntfy_subscribe.ts";

const MESSAGE_LIMIT = 4096;
const JSON_LIMIT = MESSAGE_LIMIT * 2;
const EXPIRY_SECS = 12 * 3600;
const PUBLISH_PATH = /^\/([-_A-Za-z0-9]{1,64})\/(publish|send|trigger)$/;
const SEQUENCE_PATH = /^\/([-_A-Za-z0-9]{1,64})\/([-_A-Za-z0-9]{1,64})$/;
const CLEAR_PATH = /^\/([-_A-Za-z0-9]{1,64})\/([-_A-Za-z0-9]{1,64})\/clear$/;
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

type Route =
  | { readonly kind: "health" }
  | { readonly kind: "subscribe" }
  | { readonly kind: "publish"; readonly sequenceId?: string }
  | { readonly kind: "clear" | "delete"; readonly topic: string; readonly sequenceId: string };

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
  readonly #now: () => number;
  readonly #messages: ReceivedMessage[] = [];
  readonly #events: NtfyEvent[] = [];
  readonly #phone = new PhoneView<ReceivedMessage>();
  readonly #faults: NtfyFault[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #closing = new AbortController();
  readonly #streams: TopicStreams;
  #mode: NtfyFault | "ok" = "ok";
  #sequenceIds: boolean;
  #requests = 0;
  #rateLimited = 0;
  #hanging = 0;
  #closed: Promise<void> | undefined;

  /** Starts listening; use {@linkcode startNtfyServer}. */
  constructor(options: NtfyServerOptions = {}) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#sequenceIds = options.sequenceIds ?? true;
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

  /** Every accepted message, clear and delete, oldest first (a live array). */
  get events(): readonly NtfyEvent[] {
    return this.#events;
  }

  /** All requests received, accepted or not. */
  get requests(): number {
    return this.#requests;
  }

  /** Requests refused by the rate limit (429, 42901). */
  get rateLimited(): number {
    return this.#rateLimited;
  }

  /** Requests held by a `hang` fault right now. */
  get hanging(): number {
    return this.#hanging;
  }

  /** Whether the server knows sequence ids; `false` behaves like ntfy before 2.16. */
  get sequenceIds(): boolean {
    return this.#sequenceIds;
  }

  /** Switches sequence ids on (an upgrade to 2.16) or off (a server before 2.16). */
  set sequenceIds(value: boolean) {
    this.#sequenceIds = value;
  }

  /**
   * What a phone subscribed to every topic shows now: for each sequence (a message without
   * a sequence id is its own), the latest message, unless it was cleared or deleted, and
   * only once it is due. Oldest update first.
   */
  notifications(): ReceivedMessage[] {
    return this.#phone.notifications(this.#nowSecs());
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

  /**
   * Forgets messages, events, what the phone shows, the request counts, queued faults, the
   * mode and rate-limit state.
   */
  reset(): void {
    this.#messages.length = 0;
    this.#events.length = 0;
    this.#phone.reset();
    this.#faults.length = 0;
    this.#mode = "ok";
    this.#requests = 0;
    this.#rateLimited = 0;
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

  #nowSecs(): number {
    return Math.floor(this.#now() / 1000);
  }

  async #handle(request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>): Promise<Response> {
    this.#requests++;
    const url = new URL(request.url);
    const route = this.#route(request.method, url.pathname);
    try {
      if (route !== undefined && route.kind !== "health" && route.kind !== "subscribe") {
        const fault = this.#faults.shift() ?? (this.#mode === "ok" ? undefined : this.#mode);
        if (fault) return await this.#fault(fault, request);
      }
      const visitor = this.#authenticate(request.headers, url.searchParams);
      if (route === undefined) throw ntfyError(40401);
      if (route.kind === "health") return json({ healthy: true });
      if (route.kind === "subscribe") {
        if (this.#options.requireAuth && visitor.user === undefined) throw ntfyError(40301);
        return this.#streams.subscribe(request, url);
      }
      this.#limitRequests(info.remoteAddr.hostname);
      if (route.kind === "publish") {
        return json(await this.#publish(request, url, visitor, route.sequenceId));
      }
      return json(this.#clearOrDelete(route.kind, route.topic, route.sequenceId, visitor));
    } catch (error) {
      if (error instanceof NtfyHttpError) return json(error.toJSON(), error.http);
      throw error; // A bug in this server: Deno answers 500 and logs it.
    }
  }

  /** ntfy's router, for the paths this server knows; undefined is 404. */
  #route(method: string, path: string): Route | undefined {
    const isWrite = method === "PUT" || method === "POST";
    if (method === "GET" && path === "/v1/health") return { kind: "health" };
    if (TopicStreams.matches(method, path)) return { kind: "subscribe" };
    if (isWrite && (path === "/" || TOPIC_PATTERN.test(path.slice(1)))) return { kind: "publish" };
    if ((isWrite || method === "GET") && PUBLISH_PATH.test(path)) return { kind: "publish" };
    if (!this.#sequenceIds) return undefined;
    const sequence = SEQUENCE_PATH.exec(path);
    if (sequence && isWrite) return { kind: "publish", sequenceId: sequence[2] };
    if (sequence && method === "DELETE") {
      return { kind: "delete", topic: sequence[1]!, sequenceId: sequence[2]! };
    }
    const clear = CLEAR_PATH.exec(path);
    if (clear && method === "PUT") {
      return { kind: "clear", topic: clear[1]!, sequenceId: clear[2]! };
    }
    return undefined;
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
    const now = this.#now();
    const bucket = this.#buckets.get(ip) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(
      limit.burst,
      bucket.tokens + (now - bucket.at) / 1000 * limit.refillPerSec,
    );
    bucket.at = now;
    this.#buckets.set(ip, bucket);
    if (bucket.tokens < 1) {
      this.#rateLimited++;
      throw ntfyError(42901);
    }
    bucket.tokens -= 1;
  }

  async #publish(
    request: Request,
    url: URL,
    visitor: Visitor,
    pathSequenceId?: string,
  ): Promise<Record<string, unknown>> {
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
    const nowSecs = this.#nowSecs();
    // A server before 2.16 has no idea of sequences: the header and JSON field mean nothing.
    const sequenceId = this.#sequenceIds
      ? pathSequenceId ?? (param("x-sequence-id", "sequence-id", "sid") || undefined)
      : undefined;
    if (sequenceId !== undefined && !TOPIC_PATTERN.test(sequenceId)) throw ntfyError(40049);
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
      sequenceId,
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
      sequence_id: sequenceId,
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

  /** A clear or delete of a sequence: recorded, applied to the phone view, answered. */
  #clearOrDelete(
    kind: "clear" | "delete",
    topic: string,
    sequenceId: string,
    visitor: Visitor,
  ): Record<string, unknown> {
    if (DISALLOWED_TOPICS.has(topic)) throw ntfyError(40010);
    if (this.#options.requireAuth && visitor.user === undefined) throw ntfyError(40301);
    const nowSecs = this.#nowSecs();
    const event = kind === "clear" ? "message_clear" : "message_delete";
    const id = randomId(12);
    this.#events.push({ event, id, topic, sequenceId, time: nowSecs });
    if (kind === "clear") this.#phone.clear(topic, sequenceId, nowSecs);
    else this.#phone.delete(topic, sequenceId, nowSecs);
    const answer = {
      id,
      sequence_id: sequenceId,
      time: nowSecs,
      expires: nowSecs + EXPIRY_SECS,
      event,
      topic,
    };
    this.#streams.publish(answer);
    return answer;
  }

  #record(message: ReceivedMessage): void {
    this.#messages.push(message);
    const { id, topic, sequenceId, time } = message;
    this.#events.push({ event: "message", id, topic, sequenceId, time });
    this.#phone.publish(message, this.#nowSecs());
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
