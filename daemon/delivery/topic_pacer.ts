/**
 * Pacing of deliveries per ntfy topic and per server: a burst to one topic beyond
 * `digestAfter` within `windowMs` is held and folded into one digest, and a server that
 * answers 429 gets nothing until a backoff has passed; then one request probes it, and
 * only once that one succeeds does the rest follow. Held tasks are only held: the journal
 * keeps them until the delivery that names them succeeds.
 *
 * @module
 */

import type { NotificationTask } from "../../protocol/mod.ts";
import { serverKey } from "../../core/ntfy/sequence_support.ts";
import type { QueuedTask } from "./queued_task.ts";
import { buildDigest } from "./digest.ts";

/** How deliveries are paced; see {@linkcode TopicPacer}. */
export interface PacingSettings {
  /**
   * Notifications to one topic sent one by one within `windowMs`; more are held and sent
   * as one digest when the window allows. 0 never holds for a window; what waits for a
   * rate-limited server is still folded.
   */
  readonly digestAfter: number;
  /** The window, in milliseconds. */
  readonly windowMs: number;
}

/** The clock and timers a pacer runs on; tests pass their own. */
export interface PacerClock {
  /** Milliseconds, on any steady scale. */
  now(): number;
  /** Calls `fn` after `ms`; returns a handle for `clearTimeout`. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a timer. */
  clearTimeout(handle: unknown): void;
}

/** Options for {@linkcode TopicPacer}. */
export interface TopicPacerOptions extends PacingSettings {
  /** Called with each delivery the pacer releases later (from a timer or a reopening). */
  release(delivery: Delivery): void;
  /** The first wait after a 429 without `Retry-After`; it doubles with each. @default {5000} */
  readonly rateLimitBackoffMs?: number;
  /** The longest wait after a 429 without `Retry-After`. @default {60000} */
  readonly maxRateLimitBackoffMs?: number;
  /** The clock and timers. @default {the global ones, with Date.now} */
  readonly clock?: PacerClock;
}

/** One request's worth of tasks: a task by itself, or a digest naming several. */
export interface Delivery {
  /** The tasks it stands for, oldest first. */
  readonly entries: readonly QueuedTask[];
  /** What is published. */
  readonly task: NotificationTask;
}

/** What {@linkcode TopicPacer.admit} decided. */
export interface Admission {
  /** Deliver this now; undefined when the task is held. */
  readonly delivery?: Delivery;
  /** Held tasks this one replaces (same sequence id): done without a request. */
  readonly superseded: readonly QueuedTask[];
}

/** The longest wait a `Retry-After` can impose: one hour. */
const MAX_RETRY_AFTER_MS = 3_600_000;

interface TopicState {
  readonly server: ServerState;
  /** When recent notifications to the topic went out, oldest first. */
  sent: number[];
  /** Tasks waiting, oldest first. */
  held: QueuedTask[];
  timer?: unknown;
}

interface ServerState {
  readonly topics: Set<TopicState>;
  /** 429s in a row; 0 while the server takes requests. */
  streak: number;
  pausedUntil: number;
  /** The one delivery sent to find out whether the server takes requests again. */
  probe?: Delivery;
  timer?: unknown;
}

const realClock: PacerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as number),
};

/**
 * Decides, task by task, whether a delivery goes now or waits, and folds waiting tasks into
 * digests. It never fails a task: it only holds, releases, folds, and drops a held task
 * that a later one of its sequence replaces.
 *
 * A task goes by itself, never folded, when a digest would lose what it carries (actions,
 * an attachment, a delay, an e-mail address), and clears and deletes are never folded or
 * counted; all of them still wait while their server is paused.
 *
 * @example
 * ```ts
 * import { TopicPacer } from "./topic_pacer.ts";
 *
 * const released: number[] = [];
 * const pacer = new TopicPacer({ digestAfter: 1, windowMs: 10_000, release: (d) => released.push(d.entries.length) });
 * const target = { serverUrl: "https://ntfy.sh", topic: "alerts" };
 * const entry = (id: string) => ({ id, task: { target, message: { body: id }, origin: { event: "test", createdAt: 0 } }, attempts: 0, acceptedAt: 0 });
 * console.log(pacer.admit(entry("a")).delivery?.entries.length); // 1: the first goes now
 * console.log(pacer.admit(entry("b")).delivery); // undefined: held for the window
 * pacer.admit(entry("c"));
 * pacer.drain(); // at shutdown, held tasks go at once
 * console.log(released); // [2]: one digest naming b and c
 * ```
 */
export class TopicPacer {
  readonly #topics = new Map<string, TopicState>();
  readonly #servers = new Map<string, ServerState>();
  /** When each delivery under way was counted in its topic's window. */
  readonly #counted = new WeakMap<Delivery, number>();
  readonly #release: (delivery: Delivery) => void;
  readonly #clock: PacerClock;
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  #settings: PacingSettings;
  #draining = false;

  /** Creates a pacer that holds nothing yet. */
  constructor(options: TopicPacerOptions) {
    this.#release = options.release;
    this.#clock = options.clock ?? realClock;
    this.#backoffMs = options.rateLimitBackoffMs ?? 5_000;
    this.#maxBackoffMs = options.maxRateLimitBackoffMs ?? 60_000;
    this.#settings = { digestAfter: options.digestAfter, windowMs: options.windowMs };
  }

  /** Tasks held, by the state `queue` shows: waiting for a window, or for a paused server. */
  get held(): { queued: number; rateLimited: number } {
    let queued = 0;
    let rateLimited = 0;
    for (const topic of this.#topics.values()) {
      if (topic.server.streak > 0) rateLimited += topic.held.length;
      else queued += topic.held.length;
    }
    return { queued, rateLimited };
  }

  /** Every held task with its state, oldest first within a topic. */
  list(): Array<{ entry: QueuedTask; state: "queued" | "retrying" }> {
    const out: Array<{ entry: QueuedTask; state: "queued" | "retrying" }> = [];
    for (const topic of this.#topics.values()) {
      const state = topic.server.streak > 0 ? "retrying" : "queued";
      for (const entry of topic.held) out.push({ entry, state });
    }
    return out;
  }

  /**
   * Takes back a held task (cancelled before it was sent).
   *
   * @param id The task's id.
   * @returns The task, or `undefined` when the pacer holds none with that id.
   */
  cancel(id: string): QueuedTask | undefined {
    for (const topic of this.#topics.values()) {
      const index = topic.held.findIndex((entry) => entry.id === id);
      if (index === -1) continue;
      const [entry] = topic.held.splice(index, 1);
      if (topic.held.length === 0) this.#clearTimer(topic);
      return entry;
    }
    return undefined;
  }

  /** Changes the window (on reload); held tasks are looked at again. */
  configure(settings: PacingSettings): void {
    this.#settings = { digestAfter: settings.digestAfter, windowMs: settings.windowMs };
    for (const topic of this.#topics.values()) this.#flushTopic(topic);
  }

  /**
   * Takes a task that is ready to go: says whether it goes now (alone), or is held, and
   * which held tasks it replaces.
   */
  admit(entry: QueuedTask): Admission {
    const topic = this.#topicOf(entry.task);
    const superseded = this.#supersede(topic, entry.task);
    const server = topic.server;
    if (server.streak > 0) {
      this.#hold(topic, entry);
      this.#scheduleProbe(server);
      return { superseded };
    }
    const foldable = isFoldable(entry.task);
    if (foldable && this.#mayHold() && (topic.held.length > 0 || this.#windowFull(topic))) {
      this.#hold(topic, entry);
      this.#scheduleTopic(topic);
      return { superseded };
    }
    return { delivery: this.#count(topic, single(entry)), superseded };
  }

  /** A delivery succeeded: its server takes requests again, if it had stopped. */
  succeeded(delivery: Delivery): void {
    this.#counted.delete(delivery);
    const server = this.#topicOf(delivery.task).server;
    if (server.probe !== delivery) return;
    server.probe = undefined;
    server.streak = 0;
    for (const topic of server.topics) this.#flushTopic(topic);
  }

  /** A delivery failed otherwise than by the rate limit (its tasks retry on their own). */
  failed(delivery: Delivery): void {
    const topic = this.#topicOf(delivery.task);
    this.#uncount(topic, delivery);
    const server = topic.server;
    if (server.probe !== delivery) {
      if (topic.held.length > 0) this.#flushTopic(topic); // Its slot in the window is free.
      return;
    }
    server.probe = undefined;
    this.#scheduleProbe(server);
  }

  /**
   * A delivery was refused with 429: its tasks are held again, in the order they were
   * accepted, and the server is paused for `retryAfterMs` (when it sent one) or a backoff
   * that doubles with each refusal in a row. A request that was under way before the pause
   * began does not lengthen it. Returns the time left to wait, in milliseconds, and
   * whether this refusal started (or lengthened) the pause.
   */
  rateLimited(delivery: Delivery, retryAfterMs?: number): { waitMs: number; paused: boolean } {
    const topic = this.#topicOf(delivery.task);
    this.#uncount(topic, delivery);
    const server = topic.server;
    // Back among the held ones, in the order they were accepted.
    topic.held = [...delivery.entries, ...topic.held].sort((a, b) => a.acceptedAt - b.acceptedAt);
    const now = this.#clock.now();
    const paused = server.streak === 0 || server.probe === delivery;
    if (paused) {
      server.streak += 1;
      const backoff = Math.min(this.#backoffMs * 2 ** (server.streak - 1), this.#maxBackoffMs);
      const wait = retryAfterMs !== undefined && retryAfterMs > 0
        ? Math.min(retryAfterMs, MAX_RETRY_AFTER_MS)
        : backoff;
      server.pausedUntil = now + wait;
      if (server.probe === delivery) server.probe = undefined;
      this.#clearTimer(server);
      this.#clearTimer(topic);
    }
    this.#scheduleProbe(server);
    return { waitMs: Math.max(0, server.pausedUntil - now), paused };
  }

  /**
   * From now on nothing waits for a window, and what does is released at once; tasks for
   * a paused server still wait for it (for shutdown).
   */
  drain(): void {
    this.#draining = true;
    for (const topic of this.#topics.values()) this.#flushTopic(topic);
  }

  /** Cancels every timer and returns every held task (for shutdown). */
  stop(): QueuedTask[] {
    const left: QueuedTask[] = [];
    for (const server of this.#servers.values()) this.#clearTimer(server);
    for (const topic of this.#topics.values()) {
      this.#clearTimer(topic);
      left.push(...topic.held.splice(0));
    }
    return left;
  }

  #mayHold(): boolean {
    return !this.#draining && this.#settings.digestAfter > 0;
  }

  #windowFull(topic: TopicState): boolean {
    const { digestAfter, windowMs } = this.#settings;
    const since = this.#clock.now() - windowMs;
    while (topic.sent.length > 0 && topic.sent[0]! <= since) topic.sent.shift();
    return topic.sent.length >= digestAfter;
  }

  #hold(topic: TopicState, entry: QueuedTask): void {
    topic.held.push(entry);
  }

  /** Drops held publishes of the sequence a new task updates, clears or deletes. */
  #supersede(topic: TopicState, task: NotificationTask): QueuedTask[] {
    const sequenceId = task.message.sequenceId;
    if (sequenceId === undefined || task.target.sequence === "off") return [];
    const replaced = topic.held.filter((entry) =>
      entry.task.message.sequenceId === sequenceId && isPublish(entry.task)
    );
    if (replaced.length > 0) topic.held = topic.held.filter((entry) => !replaced.includes(entry));
    return replaced;
  }

  /** Releases what the topic's window allows, then waits for the next free slot. */
  #flushTopic(topic: TopicState): void {
    this.#clearTimer(topic);
    if (topic.server.streak > 0) return;
    while (topic.held.length > 0 && (!this.#mayHold() || !this.#windowFull(topic))) {
      this.#release(this.#count(topic, this.#next(topic)));
    }
    if (topic.held.length > 0) this.#scheduleTopic(topic);
  }

  /**
   * Takes the next delivery off a topic's held tasks: a clear, delete or unfoldable task by
   * itself, else a digest of the foldable ones (one alone goes as itself), up to what fits.
   */
  #next(topic: TopicState): Delivery {
    const first = topic.held[0]!;
    if (!isFoldable(first)) {
      topic.held.shift();
      return single(first);
    }
    const foldable = topic.held.filter((entry) => isFoldable(entry.task));
    if (foldable.length === 1) {
      topic.held.shift();
      return single(first);
    }
    const digest = buildDigest(foldable.map((entry) => entry.task));
    const entries = foldable.slice(0, digest.count);
    topic.held = topic.held.filter((entry) => !entries.includes(entry));
    return { entries, task: digest.task };
  }

  #scheduleTopic(topic: TopicState): void {
    if (topic.timer !== undefined || topic.server.streak > 0) return;
    const { digestAfter, windowMs } = this.#settings;
    const slot = topic.sent[topic.sent.length - digestAfter];
    const wait = slot === undefined ? 0 : Math.max(0, slot + windowMs - this.#clock.now());
    topic.timer = this.#clock.setTimeout(() => {
      topic.timer = undefined;
      this.#flushTopic(topic);
    }, wait);
  }

  /** Once the pause is over, sends one delivery: the oldest held topic's next one. */
  #scheduleProbe(server: ServerState): void {
    if (server.timer !== undefined || server.probe !== undefined || server.streak === 0) return;
    const wait = Math.max(0, server.pausedUntil - this.#clock.now());
    server.timer = this.#clock.setTimeout(() => {
      server.timer = undefined;
      let oldest: TopicState | undefined;
      for (const topic of server.topics) {
        const head = topic.held[0];
        if (head !== undefined && (!oldest || head.acceptedAt < oldest.held[0]!.acceptedAt)) {
          oldest = topic;
        }
      }
      if (oldest === undefined) return; // Nothing held: the next task will probe.
      const delivery = this.#count(oldest, this.#next(oldest));
      server.probe = delivery;
      this.#release(delivery);
    }, wait);
  }

  /**
   * Counts a publish in its topic's window while it is under way and once it succeeded (a
   * failed one buzzed nobody); clears and deletes buzz nobody either.
   */
  #count(topic: TopicState, delivery: Delivery): Delivery {
    if (isPublish(delivery.task)) {
      const now = this.#clock.now();
      topic.sent.push(now);
      this.#counted.set(delivery, now);
    }
    return delivery;
  }

  #uncount(topic: TopicState, delivery: Delivery): void {
    const at = this.#counted.get(delivery);
    if (at === undefined) return;
    this.#counted.delete(delivery);
    const index = topic.sent.indexOf(at);
    if (index !== -1) topic.sent.splice(index, 1);
  }

  #clearTimer(holder: { timer?: unknown }): void {
    if (holder.timer === undefined) return;
    this.#clock.clearTimeout(holder.timer);
    holder.timer = undefined;
  }

  #topicOf(task: NotificationTask): TopicState {
    const target = task.target;
    // The whole target: tasks with other credentials or options are never folded together.
    // Asked several times per delivery: a plain join, with JSON only for credentials.
    const key = `${target.serverUrl}\n${target.topic}\n${target.sendFormat ?? "json"}\n` +
      `${target.timeoutSecs ?? ""}\n${target.sequence ?? "auto"}\n` +
      (target.auth === undefined ? "" : JSON.stringify(target.auth));
    let topic = this.#topics.get(key);
    if (topic === undefined) {
      // ntfy limits requests per visitor (address or account), not per topic.
      const serverId = `${serverKey(target.serverUrl)} ${JSON.stringify(target.auth ?? null)}`;
      let server = this.#servers.get(serverId);
      if (server === undefined) {
        server = { topics: new Set(), streak: 0, pausedUntil: 0 };
        this.#servers.set(serverId, server);
      }
      topic = { server, sent: [], held: [] };
      server.topics.add(topic);
      this.#topics.set(key, topic);
    }
    return topic;
  }
}

function single(entry: QueuedTask): Delivery {
  return { entries: [entry], task: entry.task };
}

function isPublish(task: NotificationTask): boolean {
  return (task.operation ?? "publish") === "publish";
}

/** Whether a digest line says all the task says (no buttons, files, delay or e-mail). */
function isFoldable(task: NotificationTask | QueuedTask): boolean {
  const t = "task" in task ? task.task : task;
  const message = t.message;
  return isPublish(t) && !message.actions?.length && message.attach === undefined &&
    message.delay === undefined && message.email === undefined;
}
