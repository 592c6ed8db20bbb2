/**
 * The dead-letter store: tasks given up on, kept on disk (one JSON record a line, mode
 * 0600) so that `queue list` can show them and `queue retry` can send them again after a
 * restart. Records keep their secrets, which a retry needs; show them through
 * {@linkcode maskDeadLetter}.
 *
 * @module
 */

import { type DeadTask, validateTask } from "../../protocol/mod.ts";
import { writeAll } from "../../client/write_all.ts";
import { writeFileAtomic } from "../../core/fs/atomic_write.ts";
import { maskTask } from "./mask_task.ts";
import { QueueError, QueueErrorCode } from "./queue_error.ts";
import { errorMessage } from "../../protocol/error_message.ts";

/**
 * A task given up on: the protocol's `DeadTask`, but with the task's secrets, which a
 * retry needs ({@linkcode maskDeadLetter} hides them for showing).
 */
export type DeadLetterRecord = DeadTask;

/** Options for {@linkcode DeadLetterStore.open}. */
export interface DeadLetterStoreOptions {
  /** Whether to fsync each change. @default {true} */
  fsync?: boolean;
  /** Most records kept; the oldest go first. @default {1000} */
  maxEntries?: number;
  /** Wall clock in ms since the Unix epoch. @default {Date.now} */
  now?: () => number;
}

/** What {@linkcode DeadLetterStore.open} returns. */
export interface DeadLetterStoreOpenResult {
  /** The open store. */
  readonly store: DeadLetterStore;
  /** Lines that could not be read and were dropped, in words. */
  readonly warnings: string[];
}

const noop = () => {};

function parseLine(line: string): DeadLetterRecord {
  const value = JSON.parse(line);
  if (
    typeof value !== "object" || value === null || typeof value.id !== "string" ||
    typeof value.reason !== "string" || typeof value.attempts !== "number" ||
    typeof value.failedAt !== "number"
  ) {
    throw new TypeError("Invalid dead letter: id, reason, attempts and failedAt are required");
  }
  return {
    id: value.id,
    task: validateTask(value.task),
    reason: value.reason,
    attempts: value.attempts,
    failedAt: value.failedAt,
  };
}

function toLine(record: DeadLetterRecord): string {
  return JSON.stringify(record) + "\n";
}

/**
 * A copy of a dead letter fit for display, with the task's secrets masked.
 *
 * @example
 * ```ts
 * import { maskDeadLetter } from "./dead_letters.ts";
 *
 * const shown = maskDeadLetter({
 *   id: "a",
 *   task: {
 *     target: { serverUrl: "https://ntfy.sh", topic: "t", auth: { type: "bearer", token: "x" } },
 *     message: { body: "hi" },
 *     origin: { event: "test", createdAt: 0 },
 *   },
 *   reason: "HTTP 403",
 *   attempts: 1,
 *   failedAt: 0,
 * });
 * console.log(shown.task.target.auth); // { type: "bearer", token: "********" }
 * ```
 */
export function maskDeadLetter(record: DeadLetterRecord): DeadLetterRecord {
  return { ...record, task: maskTask(record.task) };
}

/**
 * Dead letters on disk, oldest first. Adds append a line; removals and purges rewrite the
 * file atomically.
 *
 * @example
 * ```ts
 * import { DeadLetterStore } from "./dead_letters.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const { store } = await DeadLetterStore.open(`${dir}/dead-letters.jsonl`);
 * await store.add({
 *   id: "a",
 *   task: {
 *     target: { serverUrl: "https://ntfy.sh", topic: "t" },
 *     message: { body: "hi" },
 *     origin: { event: "test", createdAt: 0 },
 *   },
 *   reason: "HTTP 403",
 *   attempts: 1,
 * });
 * const retried = await store.remove("a"); // hand retried.task back to the queue
 * console.log(retried?.reason, store.size); // "HTTP 403" 0
 * await store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class DeadLetterStore {
  readonly #path: string;
  #file: Deno.FsFile;
  readonly #records: Map<string, DeadLetterRecord>;
  readonly #fsync: boolean;
  readonly #maxEntries: number;
  readonly #now: () => number;
  #lines: number;
  #io: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    path: string,
    file: Deno.FsFile,
    records: Map<string, DeadLetterRecord>,
    lines: number,
    options: DeadLetterStoreOptions,
  ) {
    this.#path = path;
    this.#file = file;
    this.#records = records;
    this.#lines = lines;
    this.#fsync = options.fsync ?? true;
    this.#maxEntries = options.maxEntries ?? 1_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Opens (or creates) the store at `path` and loads it. Unreadable lines (a torn last line
   * after a crash, say) are dropped, reported, and the file rewritten without them.
   */
  static async open(
    path: string,
    options: DeadLetterStoreOptions = {},
  ): Promise<DeadLetterStoreOpenResult> {
    const dir = path.slice(0, Math.max(path.lastIndexOf("/"), 1));
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    let text = "";
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const records = new Map<string, DeadLetterRecord>();
    const warnings: string[] = [];
    const lines = text.split("\n");
    // A last line without its newline was cut short by a crash: keep it if it parses, and
    // rewrite the file either way so that the next append starts on a fresh line.
    const unterminated = lines.at(-1) !== "";
    if (!unterminated) lines.pop();
    let good = 0;
    for (const [index, line] of lines.entries()) {
      try {
        const record = parseLine(line);
        records.delete(record.id);
        records.set(record.id, record);
        good += 1;
      } catch (error) {
        warnings.push(`Dropped line ${index + 1} of ${path}: ${errorMessage(error)}`);
      }
    }
    const maxEntries = options.maxEntries ?? 1_000;
    for (const id of records.keys()) {
      if (records.size <= maxEntries) break;
      records.delete(id);
    }
    const rewrite = unterminated || warnings.length > 0 || good !== records.size;
    if (rewrite) {
      const body = [...records.values()].map(toLine).join("");
      await writeFileAtomic(path, new TextEncoder().encode(body), {
        mode: 0o600,
        fsync: options.fsync,
      });
    }
    const file = await Deno.open(path, { append: true, create: true, mode: 0o600 });
    try {
      await Deno.chmod(path, 0o600);
    } catch (error) {
      file.close();
      throw error;
    }
    const store = new DeadLetterStore(path, file, records, records.size, options);
    return { store, warnings };
  }

  /** The store's file. */
  get path(): string {
    return this.#path;
  }

  /** Dead letters held. */
  get size(): number {
    return this.#records.size;
  }

  /** Every dead letter, oldest first, secrets included (mask them for display). */
  list(): DeadLetterRecord[] {
    return [...this.#records.values()];
  }

  /** The dead letter with `id`, if any. */
  get(id: string): DeadLetterRecord | undefined {
    return this.#records.get(id);
  }

  /**
   * Stores a dead letter and resolves once it is on disk. A record with an id already
   * present replaces it. Past `maxEntries`, the oldest are dropped.
   *
   * @throws {QueueError} `QUEUE_CLOSED` after close, `QUEUE_WRITE_FAILED` when writing fails.
   */
  add(letter: Omit<DeadLetterRecord, "failedAt"> & { failedAt?: number }): Promise<void> {
    const record: DeadLetterRecord = {
      id: letter.id,
      task: letter.task,
      reason: letter.reason,
      attempts: letter.attempts,
      failedAt: letter.failedAt ?? this.#now(),
    };
    return this.#exclusive(async () => {
      await writeAll(this.#file, new TextEncoder().encode(toLine(record)));
      if (this.#fsync) await this.#file.syncData();
      this.#lines += 1;
      this.#records.delete(record.id);
      this.#records.set(record.id, record);
      let trimmed = false;
      for (const id of this.#records.keys()) {
        if (this.#records.size <= this.#maxEntries) break;
        this.#records.delete(id);
        trimmed = true;
      }
      // Dropped records stay in the file until it holds twice the limit.
      if (trimmed && this.#lines > 2 * this.#maxEntries) await this.#rewrite();
    });
  }

  /**
   * Removes a dead letter (for `queue retry`) and returns it. Resolves once the removal is
   * on disk: submit the task again only after that, so it is never in both places' futures.
   */
  remove(id: string): Promise<DeadLetterRecord | undefined> {
    return this.#exclusive(async () => {
      const record = this.#records.get(id);
      if (record === undefined) return undefined;
      this.#records.delete(id);
      await this.#rewrite();
      return record;
    });
  }

  /** Removes every dead letter and returns how many there were. */
  purge(): Promise<number> {
    return this.#exclusive(async () => {
      const count = this.#records.size;
      this.#records.clear();
      await this.#rewrite();
      return count;
    });
  }

  /** Waits for pending writes and closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#io;
    this.#file.close();
  }

  /** Rewrites the file with exactly the records held, atomically, and appends to the new one. */
  async #rewrite(): Promise<void> {
    const body = [...this.#records.values()].map(toLine).join("");
    await writeFileAtomic(this.#path, new TextEncoder().encode(body), {
      mode: 0o600,
      fsync: this.#fsync,
    });
    this.#lines = this.#records.size;
    // The old handle points at the replaced file: appends must go to the new one.
    const file = await Deno.open(this.#path, { append: true, mode: 0o600 });
    this.#file.close();
    this.#file = file;
  }

  #exclusive<T>(step: () => Promise<T>): Promise<T> {
    if (this.#closed) {
      return Promise.reject(new QueueError(QueueErrorCode.Closed, "Dead-letter store is closed"));
    }
    const run = this.#io.then(step).catch((error) => {
      if (error instanceof QueueError) throw error;
      throw new QueueError(
        QueueErrorCode.WriteFailed,
        `Cannot write dead letters ${this.#path}: ${errorMessage(error)}`,
        { cause: error },
      );
    });
    this.#io = run.then(noop, noop);
    return run;
  }
}
