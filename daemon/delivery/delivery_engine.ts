/**
 * The delivery engine: a bounded in-memory queue of notification tasks, drained by a fixed
 * number of workers that publish to ntfy and retry with backoff; with pacing, bursts to a
 * topic go as digests and a rate-limited server is left alone for a while. A task with a
 * `notBefore` in the future is held until then, and only then paced; it can be cancelled
 * until it is sent.
 *
 * @module
 */

import { setImmediate } from "node:timers";
import { ErrorCode, type NotificationTask } from "../../protocol/mod.ts";
import { Histogram } from "../stats/histogram.ts";
import { DaemonError } from "../errors.ts";
import type {
  DeliveryEngineOptions,
  PublishFailure,
  QueuedTask,
} from "./delivery_engine_options.ts";
import { type Delivery, TopicPacer } from "./topic_pacer.ts";
import { BURST_WINDOW_MS, IntakeBurst } from "./intake_burst.ts";

export * from "./delivery_engine_options.ts";

/** Where a task is in the engine. */
export type EngineTaskState = "held" | "queued" | "in-flight" | "retrying";

/** The longest a timer may wait (setTimeout's limit); longer holds re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Accepts tasks, delivers them with bounded concurrency and retries failures.
 *
 * @example
 * ```ts ignore
 * const engine = new DeliveryEngine({ publish, retryDelayMs, classify });
 * const id = engine.submit(task);
 * await engine.drain(5_000);
 * ```
 */
export class DeliveryEngine {
  readonly #options: Required<Omit<DeliveryEngineOptions, "onEvent" | "pacing">> & {
    onEvent?: DeliveryEngineOptions["onEvent"];
  };
  /** Tasks waiting for their `notBefore`. */
  readonly #held = new Map<
    string,
    { entry: QueuedTask; timer: ReturnType<typeof setTimeout> }
  >();
  readonly #ready: QueuedTask[] = [];
  #readyHead = 0;
  readonly #pacer: TopicPacer | undefined;
  /** Deliveries the pacer released from a timer, waiting for a worker. */
  readonly #released: Delivery[] = [];
  /** Requests under way (one per delivery, however many tasks it names). */
  #requests = 0;
  readonly #retryTimers = new Map<
    string,
    { entry: QueuedTask; timer: ReturnType<typeof setTimeout> }
  >();
  readonly #inFlight = new Map<string, { entry: QueuedTask; controller: AbortController }>();
  readonly #deliveryLatency = new Histogram();
  readonly #idleWaiters: Array<() => void> = [];
  readonly #instance = crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36);
  #sequence = 0;
  #accepting = true;
  #stopped = false;
  readonly #burst = new IntakeBurst();
  #burstTimer: ReturnType<typeof setTimeout> | undefined;
  #delivered = 0;
  #givenUp = 0;
  #retries = 0;

  /** Creates an engine; it starts delivering as soon as tasks arrive. */
  constructor(options: DeliveryEngineOptions) {
    this.#options = {
      maxQueueSize: 10_000,
      concurrency: 8,
      retryAttempts: 5,
      now: Date.now,
      ...options,
    };
    const pacing = options.pacing;
    this.#pacer = pacing === undefined ? undefined : new TopicPacer({
      ...pacing,
      release: (delivery) => {
        this.#released.push(delivery);
        this.#pump();
      },
    });
  }

  /** Tasks held until their `notBefore`. */
  get held(): number {
    return this.#held.size;
  }

  /** Tasks waiting for a worker, or for their topic's digest window. */
  get queued(): number {
    let released = 0;
    for (const delivery of this.#released) released += delivery.entries.length;
    return this.#ready.length - this.#readyHead + released + (this.#pacer?.held.queued ?? 0);
  }

  /** Tasks being published now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Tasks waiting for their retry time, or for a server that answered 429. */
  get retrying(): number {
    return this.#retryTimers.size + (this.#pacer?.held.rateLimited ?? 0);
  }

  /** Tasks delivered since start. */
  get delivered(): number {
    return this.#delivered;
  }

  /** Tasks given up since start. */
  get failed(): number {
    return this.#givenUp;
  }

  /** Retries scheduled since start. */
  get retries(): number {
    return this.#retries;
  }

  /** Everything the engine holds: held, queued, in flight and retrying. */
  get size(): number {
    return this.held + this.queued + this.inFlight + this.retrying;
  }

  /** The most tasks the engine holds at once. */
  get maxQueueSize(): number {
    return this.#options.maxQueueSize;
  }

  /** Changes limits at run time (on reload); `digestAfter` and `windowMs` need pacing. */
  configure(
    limits: {
      maxQueueSize?: number;
      retryAttempts?: number;
      digestAfter?: number;
      windowMs?: number;
    },
  ): void {
    if (limits.maxQueueSize !== undefined) this.#options.maxQueueSize = limits.maxQueueSize;
    if (limits.retryAttempts !== undefined) this.#options.retryAttempts = limits.retryAttempts;
    if (this.#pacer && limits.digestAfter !== undefined && limits.windowMs !== undefined) {
      this.#pacer.configure({ digestAfter: limits.digestAfter, windowMs: limits.windowMs });
    }
  }

  /** Time from acceptance to delivery, in microseconds. */
  deliveryLatency(): Histogram {
    return this.#deliveryLatency;
  }

  /** A fresh task id, unique across daemon runs. */
  nextId(): string {
    return `${this.#instance}-${(++this.#sequence).toString(36)}`;
  }

  /**
   * Throws unless `extra` more tasks fit.
   *
   * @throws {DaemonError} `QUEUE_FULL` when the engine would hold more than `maxQueueSize`
   * tasks, `SHUTTING_DOWN` after {@linkcode DeliveryEngine.stopAccepting}.
   */
  checkCapacity(extra = 1): void {
    if (!this.#accepting) {
      throw new DaemonError(ErrorCode.ShuttingDown, "The daemon is shutting down", true);
    }
    if (this.size + extra > this.#options.maxQueueSize) {
      throw new DaemonError(
        ErrorCode.QueueFull,
        `Queue is full: ${this.size} tasks held, limit ${this.#options.maxQueueSize}`,
        true,
      );
    }
  }

  /**
   * Accepts a task and returns its id. With `admitted`, the caller has already checked
   * capacity (and made the task durable), so the limit is not checked again; replayed
   * tasks are admitted the same way. A task whose `notBefore` is still ahead is held until
   * then (see {@linkcode DeliveryEngine.cancel}). `acceptedAt` (monotonic ms, as
   * `performance.now()`) is when the task was accepted, if earlier than now.
   *
   * @throws {DaemonError} `QUEUE_FULL` or `SHUTTING_DOWN`, see
   * {@linkcode DeliveryEngine.checkCapacity}.
   */
  submit(
    task: NotificationTask,
    options: { id?: string; attempts?: number; admitted?: boolean; acceptedAt?: number } = {},
  ): string {
    if (!options.admitted) this.checkCapacity();
    const id = options.id ?? this.nextId();
    const attempts = options.attempts ?? 0;
    const entry: QueuedTask = {
      id,
      task,
      attempts,
      acceptedAt: options.acceptedAt ?? performance.now(),
    };
    const notBefore = task.notBefore;
    if (notBefore !== undefined && notBefore > this.#options.now()) {
      this.#hold(entry, notBefore);
      return entry.id;
    }
    this.#ready.push(entry);
    this.#schedulePump();
    return entry.id;
  }

  /** Holds `entry` until `notBefore`, then queues it. */
  #hold(entry: QueuedTask, notBefore: number): void {
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, notBefore - this.#options.now()));
    const timer = setTimeout(() => {
      this.#held.delete(entry.id);
      if (this.#stopped) return;
      // A timer may fire early (clamped to its limit, or a clock that moved): hold on.
      if (notBefore > this.#options.now()) return this.#hold(entry, notBefore);
      this.#ready.push(entry);
      this.#pump();
    }, wait);
    this.#held.set(entry.id, { entry, timer });
  }

  /**
   * Takes back a task that has not started delivering: held until its `notBefore`, queued,
   * held by the pacer (a digest window, a rate-limited server) or waiting for a retry.
   * Returns it, or `undefined` when it is in flight, released in a digest, or no longer
   * held (delivered, given up, unknown): then it is too late.
   *
   * @example
   * ```ts ignore
   * const id = engine.submit({ ...task, notBefore: Date.now() + 30_000 });
   * engine.cancel(id); // the task, never published
   * ```
   */
  cancel(id: string): QueuedTask | undefined {
    for (const timers of [this.#held, this.#retryTimers]) {
      const found = timers.get(id);
      if (found !== undefined) {
        clearTimeout(found.timer);
        timers.delete(id);
        return found.entry;
      }
    }
    for (let index = this.#readyHead; index < this.#ready.length; index++) {
      const entry = this.#ready[index]!;
      if (entry.id !== id) continue;
      this.#ready.splice(index, 1);
      return entry;
    }
    const index = this.#released.findIndex((delivery) =>
      delivery.entries.length === 1 && delivery.entries[0]!.id === id
    );
    if (index !== -1) {
      const [delivery] = this.#released.splice(index, 1);
      // Counted in its topic's window (or sent as a probe) when released: it never went.
      this.#pacer?.failed(delivery!);
      return delivery!.entries[0];
    }
    return this.#pacer?.cancel(id);
  }

  #pumpScheduled = false;

  /**
   * Starts deliveries once the current task and its microtasks are done: the caller's
   * answer (a submit's or an event's `ok`) is written before fetch's setup runs, and a
   * burst of submits starts in one go. Not a microtask: an event's answer passes through
   * several promise reactions, and a microtask queued first ran fetch's setup before them
   * (0.4 ms more before every hook's answer). Not `setTimeout(…, 0)`: Deno's timers have a
   * granularity of a millisecond or two, which every delivery then waited.
   */
  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #take(): QueuedTask | undefined {
    if (this.#readyHead >= this.#ready.length) return undefined;
    const entry = this.#ready[this.#readyHead];
    this.#ready[this.#readyHead++] = undefined as unknown as QueuedTask;
    if (this.#readyHead > 1024 && this.#readyHead * 2 > this.#ready.length) {
      this.#ready.splice(0, this.#readyHead);
      this.#readyHead = 0;
    }
    return entry;
  }

  /**
   * Counts a task taken in at `at` (monotonic ms): while many arrive at once, deliveries
   * wait for them, a bounded time (see {@linkcode IntakeBurst}).
   */
  noteArrival(at: number): void {
    this.#burst.note(at);
  }

  /** Whether deliveries that could start now wait for a burst of arrivals; then a pump is due. */
  #heldForBurst(): boolean {
    if (!this.#burst.seen || this.#stopped || this.#requests >= this.#options.concurrency) {
      return false;
    }
    if (this.#readyHead >= this.#ready.length && this.#released.length === 0) return false;
    if (!this.#burst.holds(performance.now())) return false;
    this.#burstTimer ??= setTimeout(() => {
      this.#burstTimer = undefined;
      this.#pump();
    }, BURST_WINDOW_MS);
    return true;
  }

  #pump(): void {
    if (this.#heldForBurst()) return;
    while (!this.#stopped && this.#requests < this.#options.concurrency) {
      const delivery = this.#released.shift() ?? this.#admitNext();
      if (delivery === undefined) break;
      void this.#deliver(delivery);
    }
    if (this.queued + this.inFlight === 0) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  /** The next ready task as a delivery, once the pacer lets one go now. */
  #admitNext(): Delivery | undefined {
    for (let entry = this.#take(); entry !== undefined; entry = this.#take()) {
      if (this.#pacer === undefined) return { entries: [entry], task: entry.task };
      const { delivery, superseded } = this.#pacer.admit(entry);
      for (const replaced of superseded) {
        this.#delivered += 1;
        this.#options.onEvent?.({
          type: "delivered",
          entry: replaced,
          ntfyId: "",
          dropped: `replaced by a later task of sequence "${replaced.task.message.sequenceId}"`,
        });
      }
      if (delivery !== undefined) return delivery;
    }
    return undefined;
  }

  async #deliver(delivery: Delivery): Promise<void> {
    const controller = new AbortController();
    const { entries } = delivery;
    this.#requests += 1;
    for (const entry of entries) this.#inFlight.set(entry.id, { entry, controller });
    try {
      const result = await this.#options.publish(delivery.task, controller.signal);
      this.#pacer?.succeeded(delivery);
      const digestOf = entries.length > 1 ? entries.length : undefined;
      for (const entry of entries) {
        this.#delivered += 1;
        this.#deliveryLatency.record((performance.now() - entry.acceptedAt) * 1000);
        this.#inFlight.delete(entry.id);
        this.#options.onEvent?.({
          type: "delivered",
          entry,
          ntfyId: result.id,
          ...(result.dropped === undefined ? {} : { dropped: result.dropped }),
          ...(digestOf === undefined ? {} : { digestOf }),
        });
      }
    } catch (error) {
      for (const entry of entries) this.#inFlight.delete(entry.id);
      if (this.#stopped) {
        // Aborted by stop(): the tasks stay undelivered; the journal (if any) still has them.
        return;
      }
      const failure = this.#options.classify(error);
      if (failure.rateLimit !== undefined && this.#pacer !== undefined) {
        const { waitMs, paused } = this.#pacer.rateLimited(
          delivery,
          failure.rateLimit.retryAfterMs,
        );
        this.#options.onEvent?.({
          type: "rate-limited",
          entries,
          delayMs: waitMs,
          paused,
          error: failure.message,
        });
      } else {
        this.#pacer?.failed(delivery);
        for (const entry of entries) this.#onFailure(entry, error, failure);
      }
    } finally {
      this.#requests -= 1;
      this.#pump();
    }
  }

  #onFailure(entry: QueuedTask, error: unknown, failure: PublishFailure): void {
    entry.attempts += 1;
    entry.lastError = failure.message;
    const delay = failure.retryable && entry.attempts <= this.#options.retryAttempts
      ? this.#options.retryDelayMs(entry.attempts, error)
      : null;
    if (delay === null) {
      const reason = failure.retryable
        ? `gave up after ${entry.attempts} attempts: ${failure.message}`
        : failure.message;
      this.#givenUp += 1;
      this.#options.onEvent?.({ type: "dead", entry, reason });
      return;
    }
    this.#retries += 1;
    const timer = setTimeout(() => {
      this.#retryTimers.delete(entry.id);
      if (this.#stopped) return;
      this.#ready.push(entry);
      this.#pump();
    }, delay);
    this.#retryTimers.set(entry.id, { entry, timer });
    this.#options.onEvent?.({ type: "retry", entry, delayMs: delay, error: failure.message });
  }

  /** Every task held, in delivery order within each state, up to `limit`. */
  list(
    limit = Number.POSITIVE_INFINITY,
  ): Array<{ entry: QueuedTask; state: EngineTaskState }> {
    const out: Array<{ entry: QueuedTask; state: EngineTaskState }> = [];
    for (const { entry } of this.#inFlight.values()) {
      if (out.length >= limit) return out;
      out.push({ entry, state: "in-flight" });
    }
    for (const delivery of this.#released) {
      for (const entry of delivery.entries) {
        if (out.length >= limit) return out;
        out.push({ entry, state: "queued" });
      }
    }
    for (let index = this.#readyHead; index < this.#ready.length; index++) {
      if (out.length >= limit) return out;
      out.push({ entry: this.#ready[index]!, state: "queued" });
    }
    for (const held of this.#pacer?.list() ?? []) {
      if (out.length >= limit) return out;
      out.push(held);
    }
    for (const { entry } of this.#retryTimers.values()) {
      if (out.length >= limit) return out;
      out.push({ entry, state: "retrying" });
    }
    for (const { entry } of this.#held.values()) {
      if (out.length >= limit) return out;
      out.push({ entry, state: "held" });
    }
    return out;
  }

  /** Refuses new tasks from now on. */
  stopAccepting(): void {
    this.#accepting = false;
  }

  /**
   * Waits until nothing is queued or in flight, or the deadline passes; resolves true if
   * that happened in time. Tasks held for a digest window go at once. Tasks waiting for a
   * retry or a rate-limited server, or held until their `notBefore`, keep waiting (their
   * backoff, `Retry-After` and `notBefore` are honoured): with a journal they are delivered
   * after the next start.
   */
  async drain(deadlineMs: number): Promise<boolean> {
    this.#pacer?.drain();
    this.#pump();
    if (this.queued + this.inFlight === 0) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idle = new Promise<boolean>((resolve) => this.#idleWaiters.push(() => resolve(true)));
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), deadlineMs);
    });
    try {
      return await Promise.race([idle, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Aborts deliveries in flight, stops retries and holds, returns every task queued. */
  stop(): QueuedTask[] {
    this.#stopped = true;
    this.#accepting = false;
    clearTimeout(this.#burstTimer);
    for (const { timer } of this.#retryTimers.values()) clearTimeout(timer);
    this.#retryTimers.clear();
    for (const { timer } of this.#held.values()) clearTimeout(timer);
    this.#held.clear();
    for (const { controller } of this.#inFlight.values()) controller.abort();
    const left: QueuedTask[] = [];
    for (const delivery of this.#released.splice(0)) left.push(...delivery.entries);
    for (let entry = this.#take(); entry !== undefined; entry = this.#take()) left.push(entry);
    left.push(...(this.#pacer?.stop() ?? []));
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
    return left;
  }
}
