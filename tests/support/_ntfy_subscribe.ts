/**
 * The subscribe side of the loopback ntfy server: `GET /<topic>[,<topic>…]/json` streams
 * one JSON object a line (`open`, then `message`s as they are published, `keepalive`
 * meanwhile), with `since=` replaying the cache (`all`, a Unix time, a duration such as
 * `10m`, or a message id: the messages after it) and `poll=1` answering with the cache
 * alone. Tests can drop every stream server-side, refuse new ones for a while, and see
 * each subscribe request.
 *
 * Differences from ntfy: the cache keeps everything for the server's lifetime, and an
 * unknown message id in `since=` replays nothing.
 *
 * @module
 */

/** A subscribe request as received. */
export interface SubscribeRequest {
  /** The topics asked for. */
  readonly topics: readonly string[];
  /** The `since` parameter, if any. */
  readonly since?: string;
  /** Whether it was a poll (`poll=1`). */
  readonly poll: boolean;
  /** The `Authorization` header, if any. */
  readonly authorization?: string;
  /** `performance.now()` when it arrived. */
  readonly at: number;
}

/** Options for {@linkcode TopicStreams}. */
export interface TopicStreamsOptions {
  /** Pause between keepalive events. @default {45000} */
  readonly keepaliveMs?: number;
}

/** One cached message: ntfy's JSON for it. */
type MessageEvent = Record<string, unknown> & { id: string; time: number; topic: string };

interface Subscriber {
  readonly topics: ReadonlySet<string>;
  readonly controller: ReadableStreamDefaultController<Uint8Array>;
  readonly keepalive: ReturnType<typeof setInterval>;
}

const encoder = new TextEncoder();
const SUBSCRIBE_PATH = /^\/([-_A-Za-z0-9]{1,64}(?:,[-_A-Za-z0-9]{1,64})*)\/json$/;
const DURATION = /^(\d+)([smhd])$/;
const UNIT_SECS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function line(event: Record<string, unknown>): Uint8Array {
  return encoder.encode(`${JSON.stringify(event)}\n`);
}

function randomId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => alphabet[b % 62]).join("");
}

/** The subscribers and the message cache of one loopback server. */
export class TopicStreams {
  readonly #options: TopicStreamsOptions;
  readonly #cache: MessageEvent[] = [];
  readonly #subscribers = new Set<Subscriber>();
  readonly #requests: SubscribeRequest[] = [];
  #refusing = false;

  /** Creates an empty cache with no subscribers. */
  constructor(options: TopicStreamsOptions = {}) {
    this.#options = options;
  }

  /** Whether a request is a subscription (`GET /<topics>/json`). */
  static matches(method: string, path: string): boolean {
    return method === "GET" && SUBSCRIBE_PATH.test(path);
  }

  /** Every subscribe request so far, oldest first (a live array). */
  get requests(): readonly SubscribeRequest[] {
    return this.#requests;
  }

  /** Streams open now. */
  get open(): number {
    return this.#subscribers.size;
  }

  /**
   * While true, new subscriptions are refused with 503 (as a server restarting would):
   * a test can post while the subscriber is away, then let it back in.
   */
  set refusing(value: boolean) {
    this.#refusing = value;
  }

  /** Caches an event (a message, or the clear or delete of one) and sends it to its topic's streams. */
  publish(event: MessageEvent): void {
    this.#cache.push(event);
    const bytes = line(event);
    for (const subscriber of this.#subscribers) {
      if (subscriber.topics.has(event.topic)) this.#send(subscriber, bytes);
    }
  }

  /** Ends every open stream from the server's side; returns how many there were. */
  dropAll(): number {
    const count = this.#subscribers.size;
    for (const subscriber of [...this.#subscribers]) this.#end(subscriber, true);
    return count;
  }

  /** Ends every stream (before the HTTP server shuts down, which waits for them). */
  close(): void {
    this.dropAll();
  }

  /** Answers `GET /<topics>/json`. */
  subscribe(request: Request, url: URL): Response {
    const topics = SUBSCRIBE_PATH.exec(url.pathname)![1]!.split(",");
    const since = url.searchParams.get("since") ?? undefined;
    const poll = ["1", "true", "yes"].includes(url.searchParams.get("poll") ?? "");
    this.#requests.push({
      topics,
      ...(since === undefined ? {} : { since }),
      poll,
      ...(request.headers.has("authorization")
        ? { authorization: request.headers.get("authorization")! }
        : {}),
      at: performance.now(),
    });
    if (this.#refusing) {
      return Response.json({ code: 50301, http: 503, error: "service unavailable" }, {
        status: 503,
      });
    }
    const wanted = new Set(topics);
    const replay = this.#since(since).filter((event) => wanted.has(event.topic));
    const headers = { "Content-Type": "application/x-ndjson; charset=utf-8" };
    if (poll) {
      return new Response(replay.map((event) => JSON.stringify(event) + "\n").join(""), {
        headers,
      });
    }
    let subscriber: Subscriber | undefined;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        const keepalive = setInterval(() => {
          if (subscriber !== undefined) this.#send(subscriber, this.#event("keepalive", topics));
        }, this.#options.keepaliveMs ?? 45_000);
        subscriber = { topics: wanted, controller, keepalive };
        this.#subscribers.add(subscriber);
        controller.enqueue(this.#event("open", topics));
        for (const event of replay) controller.enqueue(line(event));
      },
      cancel: () => {
        if (subscriber !== undefined) this.#end(subscriber, false);
      },
    });
    return new Response(body, { headers });
  }

  #event(kind: string, topics: readonly string[]): Uint8Array {
    return line({
      id: randomId(),
      time: Math.floor(Date.now() / 1000),
      event: kind,
      topic: topics.join(","),
    });
  }

  /** The cached messages `since` asks for; none without it. */
  #since(since: string | undefined): MessageEvent[] {
    if (since === undefined || since === "") return [];
    if (since === "all") return [...this.#cache];
    if (since === "latest") return this.#cache.slice(-1);
    const duration = DURATION.exec(since);
    if (/^\d+$/.test(since) || duration) {
      const from = duration
        ? Math.floor(Date.now() / 1000) - Number(duration[1]) * UNIT_SECS[duration[2]!]!
        : Number(since);
      return this.#cache.filter((event) => event.time >= from);
    }
    const index = this.#cache.findIndex((event) => event.id === since);
    return index === -1 ? [] : this.#cache.slice(index + 1);
  }

  #send(subscriber: Subscriber, bytes: Uint8Array): void {
    try {
      subscriber.controller.enqueue(bytes);
    } catch {
      // The client went away between two events.
      this.#end(subscriber, false);
    }
  }

  #end(subscriber: Subscriber, close: boolean): void {
    if (!this.#subscribers.delete(subscriber)) return;
    clearInterval(subscriber.keepalive);
    if (!close) return;
    try {
      subscriber.controller.close();
    } catch {
      // Already closed or cancelled.
    }
  }
}
