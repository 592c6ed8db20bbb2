/**
 * One long-lived subscription to an ntfy topic (`GET /<topic>/json`, one JSON object a
 * line): the daemon reads the phone's answers from it. It reconnects with backoff and
 * jitter, asks for `since=<last message id>` so that nothing posted while it was away is
 * missed, treats a silent stream (no keepalive) as dead, and reports each message once.
 *
 * @module
 */

import type { NtfyAuth } from "../../protocol/mod.ts";
import type { Logger } from "../log.ts";
import { errorMessage } from "../../protocol/error_message.ts";

/** A message read from the topic. */
export interface TopicMessage {
  /** ntfy's message id. */
  readonly id: string;
  /** ntfy's time, in seconds since the Unix epoch. */
  readonly time: number;
  /** The message text (the body the phone posted). */
  readonly text: string;
}

/** Options for {@linkcode ReplySubscription}. */
export interface ReplySubscriptionOptions {
  /** The ntfy server, e.g. `https://ntfy.example.com`. */
  readonly serverUrl: string;
  /** The topic read. */
  readonly topic: string;
  /** Credentials for reading it. */
  readonly auth?: NtfyAuth;
  /**
   * Where the first connection starts (`since=`): a message id, or a Unix time in seconds
   * for the first subscription ever.
   */
  readonly since: string;
  /** Called with each new message, in order. */
  readonly onMessage: (message: TopicMessage) => void;
  /** Where connects, drops and refusals are logged. */
  readonly log: Pick<Logger, "debug" | "info" | "warn">;
  /** The `fetch` to use. @default {globalThis.fetch} */
  readonly fetch?: typeof fetch;
  /**
   * A stream with no bytes for this long is taken for dead and reopened (ntfy sends a
   * keepalive every 45 s). @default {110000}
   */
  readonly staleAfterMs?: number;
  /** First pause before reconnecting; doubled up to `maxRetryMs`. @default {500} */
  readonly retryMs?: number;
  /** Longest pause before reconnecting. @default {30000} */
  readonly maxRetryMs?: number;
  /** Returns a number in [0, 1) for the jitter. @default {Math.random} */
  readonly random?: () => number;
}

/** Longest line accepted from the stream: ntfy's messages are a few KiB. */
const MAX_LINE_CHARS = 64 * 1024;
/** Message ids remembered to drop repeats (a time-based `since` may overlap). */
const REMEMBERED_IDS = 512;

function authorization(auth: NtfyAuth | undefined): Record<string, string> {
  if (auth === undefined) return {};
  if (auth.type === "bearer") return { Authorization: `Bearer ${auth.token}` };
  const basic = btoa(String.fromCharCode(
    ...new TextEncoder().encode(`${auth.username}:${auth.password}`),
  ));
  return { Authorization: `Basic ${basic}` };
}

/**
 * A reconnecting subscription to one topic. {@linkcode ReplySubscription.start} it, and
 * {@linkcode ReplySubscription.stop} it when no answer can arrive any more.
 *
 * @example Reading answers from a topic
 * ```ts ignore
 * const subscription = new ReplySubscription({
 *   serverUrl: "https://ntfy.example.com",
 *   topic: "claude-reply-abc",
 *   since: String(Math.floor(Date.now() / 1000)),
 *   onMessage: (message) => console.log(message.text),
 *   log,
 * });
 * subscription.start();
 * await subscription.stop();
 * ```
 */
export class ReplySubscription {
  readonly #options: ReplySubscriptionOptions;
  readonly #stopping = new AbortController();
  readonly #seen = new Set<string>();
  #since: string;
  #lastId: string | undefined;
  #running: Promise<void> | undefined;
  #connected = false;
  #connects = 0;

  /** Creates a stopped subscription. */
  constructor(options: ReplySubscriptionOptions) {
    this.#options = options;
    this.#since = options.since;
  }

  /** The id of the last message read: where a later subscription should start. */
  get lastId(): string | undefined {
    return this.#lastId;
  }

  /** Whether the stream is open now (ntfy said `open`). */
  get connected(): boolean {
    return this.#connected;
  }

  /** How many times the stream has opened. */
  get connects(): number {
    return this.#connects;
  }

  /** Starts reading (once; later calls do nothing). */
  start(): void {
    this.#running ??= this.#run();
  }

  /** Stops reading and resolves once the stream is closed. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#running;
  }

  async #run(): Promise<void> {
    const { retryMs = 500, maxRetryMs = 30_000, random = Math.random, log } = this.#options;
    const topic = this.#options.topic;
    let pause = retryMs;
    while (!this.#stopping.signal.aborted) {
      const connectsBefore = this.#connects;
      let failure: unknown;
      try {
        await this.#readOnce();
      } catch (error) {
        failure = error;
      } finally {
        this.#connected = false;
      }
      if (this.#stopping.signal.aborted) break;
      const opened = this.#connects > connectsBefore;
      if (opened) pause = retryMs;
      const why = failure === undefined ? "the server closed it" : errorMessage(failure);
      // A stream that was open and dropped is routine; one that never opens is not.
      const fields = { topic, reason: why, retryInMs: Math.round(pause) };
      if (opened) log.info("reply subscription dropped; reconnecting", fields);
      else log.warn("reply subscription failed; retrying", fields);
      // Jitter on the upper half: reconnects of several daemons spread out.
      await this.#sleep(pause * (0.5 + random() / 2));
      pause = Math.min(maxRetryMs, pause * 2);
    }
  }

  #sleep(ms: number): Promise<void> {
    const signal = this.#stopping.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }

  /** One connection, read to its end. */
  async #readOnce(): Promise<void> {
    const { serverUrl, topic, auth, staleAfterMs = 110_000 } = this.#options;
    const attempt = new AbortController();
    const stop = () => attempt.abort();
    this.#stopping.signal.addEventListener("abort", stop, { once: true });
    let stale: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      clearTimeout(stale);
      stale = setTimeout(
        () => attempt.abort(new Error(`no data for ${staleAfterMs} ms`)),
        staleAfterMs,
      );
    };
    try {
      alive();
      const url = `${serverUrl}/${topic}/json?since=${encodeURIComponent(this.#since)}`;
      const response = await (this.#options.fetch ?? fetch)(url, {
        headers: authorization(auth),
        signal: attempt.signal,
        redirect: "manual",
      });
      if (!response.ok || response.body === null) {
        await response.body?.cancel();
        throw new Error(`the server answered ${response.status}`);
      }
      let buffer = "";
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          alive();
          buffer += value;
          let newline: number;
          while ((newline = buffer.indexOf("\n")) !== -1) {
            this.#line(buffer.slice(0, newline));
            buffer = buffer.slice(newline + 1);
          }
          if (buffer.length > MAX_LINE_CHARS) throw new Error("a line longer than 64 KiB");
        }
      } finally {
        await reader.cancel().catch(() => {});
      }
    } catch (error) {
      // The watchdog's reason says more than the AbortError fetch throws.
      throw attempt.signal.aborted && attempt.signal.reason instanceof Error
        ? attempt.signal.reason
        : error;
    } finally {
      clearTimeout(stale);
      this.#stopping.signal.removeEventListener("abort", stop);
    }
  }

  /** Handles one line of the stream. */
  #line(line: string): void {
    if (line.trim() === "") return;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line);
    } catch {
      this.#options.log.warn("reply subscription sent a line that is not JSON", {
        topic: this.#options.topic,
      });
      return;
    }
    if (event?.event === "open") {
      this.#connected = true;
      this.#connects += 1;
      this.#options.log.debug("reply subscription open", {
        topic: this.#options.topic,
        since: this.#since,
      });
      return;
    }
    if (event?.event !== "message" || typeof event.id !== "string") return;
    // Later connections start after this message, whatever happens to it.
    this.#since = event.id;
    this.#lastId = event.id;
    if (this.#seen.has(event.id)) return;
    this.#seen.add(event.id);
    if (this.#seen.size > REMEMBERED_IDS) this.#seen.delete(this.#seen.values().next().value!);
    this.#options.onMessage({
      id: event.id,
      time: typeof event.time === "number" ? event.time : 0,
      text: typeof event.message === "string" ? event.message : "",
    });
  }
}
