/**
 * A journal that keeps nothing: the in-memory queue of the design before the durable one.
 * Only for benchmarks that show what durability costs; a crash loses everything it held.
 *
 * @module
 */

import type { NotificationTask } from "../../protocol/mod.ts";
import type { JournalEntry } from "../queue/journal_entry.ts";

/** What the daemon needs from a journal. */
export interface TaskJournal {
  /**
   * Records a task; resolves once it is as durable as this journal makes it. `encodedTask`,
   * when given, is the task as msgpack (see `JournalAddition.encodedTask`).
   */
  add(addition: { id: string; task: NotificationTask; encodedTask?: Uint8Array }): Promise<void>;
  /** Whether a live task has this id. */
  has(id: string): boolean;
  /** The live task with this id, once its `add` resolved; undefined when there is none. */
  read(id: string): JournalEntry | undefined;
  /** Records a delivery. */
  markDone(id: string): void;
  /** Records that a task was cancelled before it was sent. */
  markCancelled(id: string): void;
  /** Records a failed attempt. */
  markAttempt(id: string, attempts: number, lastError?: string): void;
  /** Records a dead letter. */
  markDead(id: string, reason: string): void;
  /** Resolves once every record so far is as durable as this journal makes it. */
  flush(): Promise<void>;
  /** Flushes and closes. */
  close(): Promise<void>;
}

/**
 * The no-op journal.
 *
 * @example
 * ```ts
 * import { MemoryJournal } from "./memory_journal.ts";
 *
 * const journal = new MemoryJournal();
 * await journal.add({ id: "a", task: { target: { serverUrl: "http://x", topic: "t" }, message: { body: "" }, origin: { event: "e", createdAt: 0 } } });
 * console.log(journal.has("a")); // true
 * ```
 */
export class MemoryJournal implements TaskJournal {
  readonly #live = new Map<string, JournalEntry>();

  /** Remembers the task, in memory only. */
  add(addition: { id: string; task: NotificationTask }): Promise<void> {
    this.#live.set(addition.id, {
      id: addition.id,
      task: addition.task,
      attempts: 0,
      acceptedAt: Date.now(),
    });
    return Promise.resolve();
  }

  /** The remembered task. */
  read(id: string): JournalEntry | undefined {
    return this.#live.get(id);
  }

  /** Whether the id is live. */
  has(id: string): boolean {
    return this.#live.has(id);
  }

  /** Forgets the id. */
  markDone(id: string): void {
    this.#live.delete(id);
  }

  /** Forgets the id. */
  markCancelled(id: string): void {
    this.#live.delete(id);
  }

  /** Nothing to record. */
  markAttempt(): void {}

  /** Nothing to flush. */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Forgets the id. */
  markDead(id: string): void {
    this.#live.delete(id);
  }

  /** Nothing to close. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
