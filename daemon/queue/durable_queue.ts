/**
 * The daemon's durable queue: a task is written to the journal before it is queued for
 * delivery, delivered tasks are marked done, and tasks given up on move to the dead
 * letters. Beyond a fill of the delivery engine, a burst of tasks waits as ids only: the
 * journal holds their records, and they are read back as room frees up. A task with a `notBefore` is held, journaled, until then, through restarts, and
 * can be cancelled meanwhile. It holds the one count of tasks that limits how many the
 * daemon takes in.
 *
 * @module
 */

import {
  type DeadTask,
  ErrorCode,
  type HeldTask,
  type NotificationTask,
} from "../../protocol/mod.ts";
import {
  DeliveryEngine,
  type DeliveryEvent,
  type QueuedTask,
} from "../delivery/delivery_engine.ts";
import { MemoryJournal, type TaskJournal } from "../delivery/memory_journal.ts";
import { DaemonError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { listedDeadLetter, listedTask } from "./_listing.ts";
import { registerTaskSecrets } from "../register_task_secrets.ts";
import { DeadLetterStore } from "./dead_letters.ts";
import { Journal } from "./journal.ts";
import type { JournalEntry } from "./journal_entry.ts";
import { errorMessage } from "../../protocol/error_message.ts";
import type { DurableQueueOptions, QueueCounts, QueueSettings } from "./durable_queue_options.ts";
import { QueueError } from "./queue_error.ts";

/** Most tasks (and dead letters) {@linkcode DurableQueue.list} returns, to keep answers small. */
export const MAX_LISTED = 500;

/**
 * Tasks the delivery engine holds decoded at once unless the options say otherwise; see
 * {@linkcode DurableQueueOptions.maxTasksInMemory}.
 */
export const DEFAULT_MAX_TASKS_IN_MEMORY = 1_000;

/**
 * The journal, the delivery engine and the dead letters behind one interface.
 *
 * @example Admitting a task, then closing once it is delivered
 * ```ts
 * import { DurableQueue } from "./durable_queue.ts";
 * import { Logger } from "../log.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const queue = await DurableQueue.open({
 *   journalDir: `${dir}/journal`,
 *   deadLetterPath: `${dir}/dead-letters.jsonl`,
 *   delivery: {
 *     publish: () => Promise.resolve({ id: "ntfy-1" }),
 *     classify: (error) => ({ retryable: true, message: String(error) }),
 *     retryDelayMs: () => null,
 *   },
 *   settings: { maxQueueSize: 100, retryAttempts: 3, retryDelaySecs: 5 },
 *   concurrency: 8,
 *   log: new Logger({ level: "error", sink: () => {} }),
 * });
 * await queue.admit({
 *   target: { serverUrl: "https://ntfy.sh", topic: "alerts" },
 *   message: { body: "hi" },
 *   origin: { event: "test", createdAt: 0 },
 * });
 * await queue.close(5_000);
 * console.log(queue.counts().delivered); // 1
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class DurableQueue {
  readonly #journal: TaskJournal;
  readonly #deadLetters: DeadLetterStore;
  readonly #engine: DeliveryEngine;
  readonly #log: Logger;
  #settings: QueueSettings;
  /** Tasks counted against the limit before they reach the engine (being journaled). */
  #reserved = 0;
  #accepting = true;
  #cancelled = 0;
  readonly #maxInMemory: number;
  readonly #now: () => number;
  /**
   * Journaled tasks waiting for room in the engine, oldest first from `#waitingHead`: their
   * ids and acceptance times (monotonic ms). Their records are in the journal only.
   */
  #waitingIds: string[] = [];
  #waitingAt: number[] = [];
  #waitingHead = 0;

  private constructor(
    journal: TaskJournal,
    deadLetters: DeadLetterStore,
    options: DurableQueueOptions,
  ) {
    this.#journal = journal;
    this.#deadLetters = deadLetters;
    this.#log = options.log;
    this.#settings = options.settings;
    this.#maxInMemory = Math.max(1, options.maxTasksInMemory ?? DEFAULT_MAX_TASKS_IN_MEMORY);
    this.#now = options.now ?? Date.now;
    const { delivery } = options;
    this.#engine = new DeliveryEngine({
      publish: delivery.publish,
      classify: delivery.classify,
      retryDelayMs: (attempt, error) =>
        delivery.retryDelayMs(attempt, error, this.#settings.retryDelaySecs * 1000),
      retryAttempts: options.settings.retryAttempts,
      concurrency: options.concurrency,
      // Always paced: a 429 then never costs an attempt, whether or not digests are on.
      pacing: { ...options.pacing, ...pacingSettings(options.settings) },
      onEvent: (event) => this.#onDeliveryEvent(event),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  }

  /**
   * Opens the journal and the dead letters, and queues every task the journal holds
   * undelivered from an earlier run.
   *
   * @throws {QueueError} when the journal or the dead-letter file cannot be opened.
   */
  static async open(options: DurableQueueOptions): Promise<DurableQueue> {
    const { log } = options;
    const durability = options.durability ?? "fsync";
    const fsync = durability === "fsync";
    let journal: TaskJournal = new MemoryJournal();
    let replayed: JournalEntry[] = [];
    if (durability !== "memory") {
      const opened = await Journal.open(options.journalDir, {
        fsync,
        onWarning: (message) => log.warn(message),
      });
      journal = opened.journal;
      replayed = opened.pending;
      for (const warning of opened.warnings) log.warn("journal", { warning });
    }
    let dead;
    try {
      dead = await DeadLetterStore.open(options.deadLetterPath, { fsync });
    } catch (error) {
      await journal.close();
      throw error;
    }
    for (const warning of dead.warnings) log.warn("dead letters", { warning });
    const queue = new DurableQueue(journal, dead.store, options);
    for (const entry of replayed) {
      registerTaskSecrets(log, entry.task);
      queue.#enqueue(entry.task, entry.id, entry.attempts, performance.now());
    }
    if (replayed.length > 0) {
      log.info("replayed undelivered tasks from the journal", { count: replayed.length });
    }
    return queue;
  }

  /** Tasks held: queued, in flight, retrying, and being journaled. */
  get size(): number {
    return this.#engine.size + this.#reserved + this.#waiting;
  }

  /**
   * Tasks held decoded in memory, those held until a later time aside: never more than
   * `maxTasksInMemory`. The rest wait in the journal.
   */
  get tasksInMemory(): number {
    return this.#engine.size - this.#engine.held;
  }

  /** The queue's counters. */
  counts(): QueueCounts {
    const engine = this.#engine;
    return {
      held: engine.held,
      queued: engine.queued + this.#waiting,
      inFlight: engine.inFlight,
      retrying: engine.retrying,
      delivered: engine.delivered,
      failed: engine.failed,
      retries: engine.retries,
      cancelled: this.#cancelled,
      dead: this.#deadLetters.size,
      deliveryLatencyMicros: engine.deliveryLatency().summary(),
    };
  }

  /** Changes the settings (on reload). */
  configure(settings: QueueSettings): void {
    this.#settings = settings;
    this.#engine.configure({ retryAttempts: settings.retryAttempts, ...pacingSettings(settings) });
  }

  /** Whether the journal holds a live task with this id. */
  has(id: string): boolean {
    return this.#journal.has(id);
  }

  /**
   * Makes a task durable, then queues it; resolves with its id (`id`, or a fresh one).
   * `encodedTask`, when given, is the task as msgpack, journaled as it is (see
   * `JournalAddition.encodedTask`).
   *
   * @throws {DaemonError} `QUEUE_FULL` or `SHUTTING_DOWN` (retryable), or `INTERNAL` when
   * the journal cannot store the task.
   */
  admit(task: NotificationTask, id?: string, encodedTask?: Uint8Array): Promise<string> {
    try {
      this.#reserve(1);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#admitReserved(task, id, encodedTask);
  }

  /**
   * Cancels a task that has not started delivering (held until later, queued, or waiting
   * for a retry): it is marked done and cancelled in the journal, which is flushed before
   * this resolves, so a restart does not send it. Resolves false when it is too late: the
   * task is being sent, was sent or given up, or is unknown.
   */
  async cancel(id: string): Promise<boolean> {
    const entry = this.#engine.cancel(id) ?? this.#takeWaiting(id);
    if (entry === undefined) return false;
    this.#refill();
    this.#journal.markCancelled(id);
    this.#cancelled += 1;
    this.#log.debug("cancelled", {
      id,
      topic: entry.task.target.topic,
      event: entry.task.origin.event,
    });
    try {
      await this.#journal.flush();
    } catch (error) {
      // Cancelled here all the same; only a restart before the next write could send it.
      this.#log.warn("cannot journal a cancellation", { id, error: errorMessage(error) });
    }
    return true;
  }

  /** The tasks held until a later time (their `notBefore`), with their ids. */
  heldTasks(): Array<{ readonly id: string; readonly task: NotificationTask }> {
    return this.#engine.list().filter(({ state }) => state === "held").map(({ entry }) => ({
      id: entry.id,
      task: entry.task,
    }));
  }

  /**
   * Queues dead letters again, all of them when `ids` is undefined: each is journaled,
   * then removed from the dead letters. Resolves with how many.
   *
   * @throws {DaemonError} `INVALID_TASK` for an unknown id (nothing is retried), and what
   * {@linkcode DurableQueue.admit} throws; room for all of them is checked first.
   */
  async retryDeadLetters(ids?: readonly string[]): Promise<number> {
    const letters = ids === undefined ? this.#deadLetters.list() : ids.map((taskId) => {
      const letter = this.#deadLetters.get(taskId);
      if (letter === undefined) {
        throw new DaemonError(ErrorCode.InvalidTask, `No dead letter with id "${taskId}"`);
      }
      return letter;
    });
    this.#reserve(letters.length);
    let started = 0;
    try {
      while (started < letters.length) {
        const letter = letters[started++]!;
        await this.#admitReserved(letter.task, letter.id);
        await this.#deadLetters.remove(letter.id);
      }
    } finally {
      this.#reserved -= letters.length - started;
    }
    this.#log.info("retrying dead letters", { count: letters.length });
    return letters.length;
  }

  /** Deletes every dead letter; resolves with how many there were. */
  async purgeDeadLetters(): Promise<number> {
    const count = await this.#deadLetters.purge();
    this.#log.info("purged dead letters", { count });
    return count;
  }

  /** The tasks held and the newest dead letters, `limit` of each, masked for display. */
  list(limit = MAX_LISTED): { tasks: HeldTask[]; dead: DeadTask[] } {
    const tasks = this.#engine.list(limit).map(({ entry, state }) => listedTask(entry, state));
    for (let index = this.#waitingHead; index < this.#waitingIds.length; index++) {
      if (tasks.length >= limit) break;
      const entry = this.#journal.read(this.#waitingIds[index]!);
      if (entry !== undefined) tasks.push(listedTask(entry, "queued"));
    }
    return {
      tasks,
      dead: this.#deadLetters.list().slice(-limit).map(listedDeadLetter),
    };
  }

  /** Refuses new tasks from now on; tasks being journaled are still queued. */
  stopAccepting(): void {
    this.#accepting = false;
    this.#engine.stopAccepting();
  }

  /**
   * Stops accepting, waits up to `drainTimeoutMs` for queued and in-flight deliveries,
   * stops the rest (they stay in the journal for the next start) and closes the files.
   */
  async close(drainTimeoutMs: number): Promise<void> {
    this.stopAccepting();
    const drained = await this.#engine.drain(drainTimeoutMs);
    const held = this.#engine.held;
    const undelivered = this.#engine.size - held + this.#waiting;
    this.#engine.stop();
    if (!drained || undelivered > 0) {
      this.#log.warn("shutdown deadline passed: undelivered tasks stay in the journal", {
        undelivered,
      });
    }
    if (held > 0) this.#log.info("held tasks stay in the journal until their time", { held });
    await this.#journal.close();
    await this.#deadLetters.close();
  }

  /** Counts `count` more tasks against the limit, or throws why they do not fit. */
  #reserve(count: number): void {
    if (!this.#accepting) {
      throw new DaemonError(ErrorCode.ShuttingDown, "The daemon is shutting down", true);
    }
    const held = this.size;
    if (held + count > this.#settings.maxQueueSize) {
      throw new DaemonError(
        ErrorCode.QueueFull,
        `Queue is full: ${held} tasks held, limit ${this.#settings.maxQueueSize}`,
        true,
      );
    }
    this.#reserved += count;
  }

  /**
   * Journals a task counted by {@linkcode DurableQueue.#reserve}, then queues it; its slot
   * passes from the reservation to the engine in one step, or is released on failure.
   */
  #admitReserved(
    task: NotificationTask,
    id: string | undefined,
    encodedTask?: Uint8Array,
  ): Promise<string> {
    const taskId = id ?? this.#engine.nextId();
    const failed = (error: unknown): never => {
      this.#reserved -= 1;
      throw error instanceof QueueError
        ? new DaemonError(
          ErrorCode.Internal,
          `Cannot store the task durably: ${error.message}`,
          true,
          { cause: error },
        )
        : error;
    };
    // One reaction on the batch's promise, not an async function: a burst of Submits shares
    // the batch's write and fsync, and each task then costs one promise, not three.
    return this.#journal.add({ id: taskId, task, encodedTask }).then(() => {
      this.#reserved -= 1;
      const now = performance.now();
      this.#engine.noteArrival(now);
      this.#enqueue(task, taskId, 0, now);
      return taskId;
    }, failed);
  }

  /** Journaled tasks waiting for room in the engine. */
  get #waiting(): number {
    return this.#waitingIds.length - this.#waitingHead;
  }

  /**
   * Hands a journaled task to the engine, or, when the engine holds its fill (or older
   * tasks already wait), keeps only its id: the journal has the rest. A task held until a
   * later time always goes to the engine, which keeps its timer.
   */
  #enqueue(task: NotificationTask, id: string, attempts: number, acceptedAt: number): void {
    const later = task.notBefore !== undefined && task.notBefore > this.#now();
    if (!later && (this.#waiting > 0 || this.tasksInMemory >= this.#maxInMemory)) {
      this.#waitingIds.push(id);
      this.#waitingAt.push(acceptedAt);
      return;
    }
    this.#engine.submit(task, { id, attempts, admitted: true, acceptedAt });
  }

  /** Reads waiting tasks back from the journal into the engine while it has room. */
  #refill(): void {
    while (this.#waiting > 0 && this.tasksInMemory < this.#maxInMemory) {
      const head = this.#waitingHead++;
      const id = this.#waitingIds[head]!;
      const acceptedAt = this.#waitingAt[head]!;
      if (this.#waitingHead > 1024 && this.#waitingHead * 2 > this.#waitingIds.length) {
        this.#waitingIds.splice(0, this.#waitingHead);
        this.#waitingAt.splice(0, this.#waitingHead);
        this.#waitingHead = 0;
      }
      const entry = this.#journal.read(id);
      if (entry === undefined) {
        // Cannot happen: a waiting task's record was written before it waited, and only its
        // delivery or cancellation (which takes it off this list first) ends it.
        this.#log.error("a waiting task is missing from the journal", { id });
        continue;
      }
      this.#engine.submit(entry.task, { id, attempts: entry.attempts, admitted: true, acceptedAt });
    }
  }

  /** Takes a waiting task off the list (it is being cancelled); undefined if it is not there. */
  #takeWaiting(id: string): QueuedTask | undefined {
    const index = this.#waitingIds.indexOf(id, this.#waitingHead);
    if (index === -1) return undefined;
    const acceptedAt = this.#waitingAt[index]!;
    this.#waitingIds.splice(index, 1);
    this.#waitingAt.splice(index, 1);
    const entry = this.#journal.read(id);
    return entry === undefined ? undefined : { ...entry, acceptedAt };
  }

  #onDeliveryEvent(event: DeliveryEvent): void {
    if (event.type === "rate-limited") {
      // Not an attempt: the tasks wait for the server and stay in the journal as they are.
      const [first] = event.entries;
      const fields = {
        topic: first?.task.target.topic,
        count: event.entries.length,
        delayMs: Math.round(event.delayMs),
        error: event.error,
      };
      // Once per pause: the other requests that were under way are refused too.
      if (event.paused) this.#log.warn("ntfy's rate limit: holding notifications", fields);
      else this.#log.debug("ntfy's rate limit: held with the others", fields);
      return;
    }
    const { entry } = event;
    const fields = { id: entry.id, topic: entry.task.target.topic, event: entry.task.origin.event };
    if (event.type !== "retry") this.#refill(); // The task has left the engine: room for one.
    if (event.type === "delivered") {
      this.#journal.markDone(entry.id);
      if (event.dropped !== undefined) {
        this.#log.debug("done without sending", { ...fields, reason: event.dropped });
      } else if (event.digestOf !== undefined) {
        this.#log.debug("delivered in a digest", {
          ...fields,
          ntfyId: event.ntfyId,
          digestOf: event.digestOf,
        });
      } else {
        this.#log.debug("delivered", { ...fields, ntfyId: event.ntfyId });
      }
    } else if (event.type === "retry") {
      this.#journal.markAttempt(entry.id, entry.attempts, event.error);
      this.#log.warn("delivery failed, will retry", {
        ...fields,
        attempt: entry.attempts,
        delayMs: Math.round(event.delayMs),
        error: event.error,
      });
    } else {
      this.#log.error("delivery failed for good", { ...fields, reason: event.reason });
      // Dead letter first, then the journal: a crash in between repeats, never loses.
      const letter = {
        id: entry.id,
        task: entry.task,
        reason: event.reason,
        attempts: entry.attempts,
      };
      this.#deadLetters.add(letter).then(
        () => this.#journal.markDead(entry.id, event.reason),
        (error) =>
          this.#log.error("cannot write dead letter", { id: entry.id, error: error.message }),
      );
    }
  }
}

/** The engine's pacing settings from the queue's. */
function pacingSettings(settings: QueueSettings): { digestAfter: number; windowMs: number } {
  return {
    digestAfter: settings.digestAfter ?? 0,
    windowMs: (settings.digestWindowSecs ?? 10) * 1000,
  };
}
