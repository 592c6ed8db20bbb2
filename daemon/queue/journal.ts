/**
 * The durable task journal: an append-only file of CRC-checked records in the state
 * folder's `journal/` directory. An `add` resolves only once its record is written and
 * fsynced; appends that arrive together share one write and one fsync (group commit).
 * Records nobody waits for (done, attempt, dead) are held for a few milliseconds and
 * written together, or with the next adds. The file is compacted in the background when
 * most of it is dead weight.
 *
 * @module
 */

import type { NotificationTask } from "../../protocol/mod.ts";
import type { JournalEntry } from "./journal_entry.ts";
import { concatBytes, ensurePrivateDir, removeIfExists, syncDir, writeAll } from "./_fs.ts";
import { type BatchEntry, RecordBatch } from "./_journal_batch.ts";
import {
  JOURNAL_FORMAT,
  JOURNAL_VERSION,
  type JournalRecord,
  readRecord,
  RECORD_HEADER_BYTES,
  RecordEncoder,
} from "./_journal_record.ts";
import { replayJournal } from "./_journal_replay.ts";
import {
  addBytes,
  type LiveTask,
  placeLiveTask,
  RecordBlock,
  releaseLiveTask,
} from "./_live_tasks.ts";
import { type SnapshotTask, writeSnapshot } from "./_journal_snapshot.ts";
import { QueueError, QueueErrorCode } from "./queue_error.ts";
import {
  type JournalOptions,
  type JournalSettings as Settings,
  resolveJournalOptions,
} from "./journal_options.ts";
import { errorMessage } from "../../protocol/error_message.ts";

/** The journal file's name inside the journal directory. */
export const JOURNAL_FILE_NAME = "tasks.journal";

/** What {@linkcode Journal.open} returns. */
export interface JournalOpenResult {
  /** The open journal, ready for appends. */
  readonly journal: Journal;
  /** Tasks added and not yet done or dead, in acceptance order. */
  readonly pending: JournalEntry[];
  /** What replay had to repair or skip, in words (empty for a clean file). */
  readonly warnings: string[];
}

/** What a new task's `add` record holds besides the task. */
export interface JournalAddition {
  /** The task's id. */
  readonly id: string;
  /** The notification. */
  readonly task: NotificationTask;
  /** Failed attempts so far. @default {0} */
  readonly attempts?: number;
  /** Acceptance time in ms since the Unix epoch. @default {now()} */
  readonly acceptedAt?: number;
  /**
   * The task as msgpack bytes that decode to exactly its fields and values (in any order),
   * when the caller has them: stored as they are instead of encoding the task again. Read
   * during the call only.
   */
  readonly encodedTask?: Uint8Array;
}

/** Counters for `status`. */
export interface JournalStats {
  /** The journal file. */
  readonly path: string;
  /** Its current size. */
  readonly fileBytes: number;
  /** Tasks the file holds as pending. */
  readonly liveTasks: number;
  /** Bytes of their `add` records. */
  readonly liveBytes: number;
  /** Records written since open. */
  readonly records: number;
  /** Bytes written since open (compactions excluded). */
  readonly bytesWritten: number;
  /** Write batches since open. */
  readonly writes: number;
  /** fsyncs since open. */
  readonly syncs: number;
  /** Compactions since open. */
  readonly compactions: number;
  /** Set once a write or fsync failed: the journal refuses adds from then on. */
  readonly failure?: string;
}

const noop = () => {};

/** Batch buffers up to this size are kept for the next batch; larger ones are let go. */
const MAX_SPARE_BYTES = 1024 * 1024;

/**
 * An append-only, crash-safe journal of accepted tasks.
 *
 * Guarantees: an `add` that resolved survives a crash and a power cut. `markDone`,
 * `markAttempt` and `markDead` are not awaited: they are held for up to `lazyWriteMs`
 * (5 ms by default; plus any write or fsync already under way) and then written together,
 * or sooner with the next adds, always after the add they refer to. A process killed
 * (`kill -9`) in that window forgets them, so those tasks are delivered again after a
 * restart: at least once, never lost. A power cut can also undo ones written within the
 * last `lazySyncMs` (200 ms by default), with the same outcome.
 *
 * @example Accept, deliver, replay
 * ```ts
 * import { Journal } from "./journal.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const task = {
 *   target: { serverUrl: "https://ntfy.sh", topic: "alerts" },
 *   message: { body: "hi" },
 *   origin: { event: "test", createdAt: Date.now() },
 * };
 * const { journal } = await Journal.open(dir);
 * await journal.add({ id: "a", task }); // durable from here on
 * await journal.add({ id: "b", task });
 * journal.markDone("a");
 * await journal.close();
 *
 * const reopened = await Journal.open(dir);
 * console.log(reopened.pending.map((entry) => entry.id)); // ["b"]
 * await reopened.journal.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class Journal {
  readonly #dir: string;
  readonly #path: string;
  readonly #settings: Settings;
  readonly #encoder: RecordEncoder;
  #file: Deno.FsFile;
  #fileBytes: number;
  /** The file's state: updated as batches are written, so it always matches the file. */
  readonly #live: Map<string, LiveTask>;
  #liveBytes = 0;
  /** Ids added and not yet done or dead, as callers see it (includes unwritten records). */
  readonly #known: Set<string>;
  /** Records appended and not yet taken by a write, in call order. */
  #queue: RecordBatch = new RecordBatch();
  /** A written batch's buffer, for the next batch to reuse. */
  #spare: Uint8Array | undefined;
  #io: Promise<void> = Promise.resolve();
  #flushQueued = false;
  #unsynced = false;
  #lazyWriteTimer: ReturnType<typeof setTimeout> | undefined;
  #lazySyncTimer: ReturnType<typeof setTimeout> | undefined;
  #compactionTail: Uint8Array[] | undefined;
  #compacting: Promise<void> | undefined;
  #compactionBackoffBytes = 0;
  #closed = false;
  #failure: QueueError | undefined;
  #records = 0;
  #bytesWritten = 0;
  #writes = 0;
  #syncs = 0;
  #compactions = 0;

  private constructor(
    dir: string,
    file: Deno.FsFile,
    fileBytes: number,
    live: Map<string, LiveTask>,
    settings: Settings,
  ) {
    this.#dir = dir;
    this.#path = `${dir}/${JOURNAL_FILE_NAME}`;
    this.#file = file;
    this.#fileBytes = fileBytes;
    this.#live = live;
    this.#known = new Set(live.keys());
    for (const task of live.values()) this.#liveBytes += task.end - task.start;
    this.#settings = settings;
    this.#encoder = new RecordEncoder(settings.maxRecordBytes);
  }

  /**
   * Opens (or creates) the journal in `dir` and replays it. A torn or corrupt tail (a
   * crash mid-write) is cut off; damaged regions in the middle are skipped, kept in a
   * `corrupt-<ms>.journal` copy, and the file rewritten. Both are reported in `warnings`.
   *
   * @throws {QueueError} `QUEUE_UNSUPPORTED_FORMAT` when a newer version wrote the journal.
   */
  static async open(dir: string, options: JournalOptions = {}): Promise<JournalOpenResult> {
    const settings = resolveJournalOptions(options);
    await ensurePrivateDir(dir);
    const path = `${dir}/${JOURNAL_FILE_NAME}`;
    // A compaction cut short by a crash: the old file is still complete.
    await removeIfExists(`${path}.compact`);
    let bytes = new Uint8Array(0);
    try {
      bytes = await Deno.readFile(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const replay = replayJournal(bytes, settings.maxRecordBytes);
    const file = await Deno.open(path, { read: true, append: true, create: true, mode: 0o600 });
    let journal: Journal;
    try {
      await Deno.chmod(path, 0o600);
      if (replay.validEnd < bytes.length) {
        await file.truncate(replay.validEnd);
        if (settings.fsync) await file.syncData();
      }
      journal = new Journal(dir, file, replay.validEnd, replay.live, settings);
    } catch (error) {
      file.close();
      throw error;
    }
    try {
      if (replay.validEnd === 0) {
        await journal.#writeHeader();
      } else if (replay.corrupt || !replay.hasHeader) {
        if (replay.corrupt) {
          const copy = `${dir}/corrupt-${settings.now()}.journal`;
          await Deno.copyFile(path, copy);
          replay.warnings.push(`Kept a copy of the damaged journal as ${copy}`);
        }
        await journal.compact();
      }
    } catch (error) {
      journal.#file.close();
      throw error;
    }
    return { journal, pending: replay.pending, warnings: replay.warnings };
  }

  async #writeHeader(): Promise<void> {
    const header = this.#encoder.encode({
      type: "header",
      format: JOURNAL_FORMAT,
      version: JOURNAL_VERSION,
      createdAt: this.#settings.now(),
    });
    await writeAll(this.#file, header);
    this.#fileBytes += header.length;
    if (this.#settings.fsync) {
      await this.#file.syncData();
      await syncDir(this.#dir);
    }
  }

  /** The journal file's path. */
  get path(): string {
    return this.#path;
  }

  /** Counters for `status`. */
  get stats(): JournalStats {
    return {
      path: this.#path,
      fileBytes: this.#fileBytes,
      liveTasks: this.#live.size,
      liveBytes: this.#liveBytes,
      records: this.#records,
      bytesWritten: this.#bytesWritten,
      writes: this.#writes,
      syncs: this.#syncs,
      compactions: this.#compactions,
      ...(this.#failure ? { failure: this.#failure.message } : {}),
    };
  }

  /** Whether `id` was added and not yet marked done or dead. */
  has(id: string): boolean {
    return this.#known.has(id);
  }

  /**
   * The live task `id` as the file holds it (decoded from its `add` record, with its
   * attempts so far), or undefined when the file holds no live task with that id: not yet
   * written, or done, dead or cancelled. What lets the queue keep only ids in memory.
   */
  read(id: string): JournalEntry | undefined {
    const live = this.#live.get(id);
    if (live === undefined) return undefined;
    const record = readRecord(addBytes(live).subarray(RECORD_HEADER_BYTES));
    if (record?.type !== "add") return undefined;
    return {
      id,
      task: record.task,
      attempts: live.attempts,
      acceptedAt: record.acceptedAt,
      ...(live.lastError === undefined ? {} : { lastError: live.lastError }),
    };
  }

  /**
   * Appends an `add` record and resolves once it is written and fsynced: from then on the
   * task survives a crash. Adds issued together share one write and one fsync.
   *
   * @throws {QueueError} `QUEUE_CLOSED` after {@linkcode Journal.close};
   * `QUEUE_WRITE_FAILED` when the write or fsync failed (the task may or may not be on disk).
   * @throws {RangeError} when the record is over `maxRecordBytes`.
   */
  add(addition: JournalAddition): Promise<void> {
    const refused = this.#refusal();
    if (refused) return Promise.reject(refused);
    const record: JournalRecord = {
      type: "add",
      id: addition.id,
      task: addition.task,
      attempts: addition.attempts ?? 0,
      acceptedAt: addition.acceptedAt ?? this.#settings.now(),
    };
    try {
      this.#queue.append(this.#encoder, record, addition.encodedTask);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#known.add(addition.id);
    // Every add of a batch shares one promise: they are written and synced together.
    const durable = this.#queue.durable();
    this.#requestFlush();
    return durable;
  }

  /**
   * Records a failed attempt. Not awaited: written within `lazyWriteMs`, or sooner with the
   * next adds, always after the add of `id` when that came first. Until it is written a
   * killed process forgets it (the task keeps its older attempt count). Ignored once the
   * journal is closed or failed.
   */
  markAttempt(id: string, attempts: number, lastError?: string): void {
    this.#appendLazy({ type: "attempt", id, attempts, lastError });
  }

  /**
   * Records a delivery: the task will not be replayed. Not awaited, like `markAttempt`: a
   * process killed within `lazyWriteMs` of it delivers the task again after a restart.
   */
  markDone(id: string): void {
    this.#known.delete(id);
    this.#appendLazy({ type: "done", id });
  }

  /**
   * Records that a task was cancelled before it was sent (a held notification the user made
   * pointless): a `done` record marked `cancelled`, so the task is not replayed. Not
   * awaited, like `markDone`; call {@linkcode Journal.flush} to make it durable.
   */
  markCancelled(id: string): void {
    this.#known.delete(id);
    this.#appendLazy({ type: "done", id, cancelled: true });
  }

  /**
   * Records that a task was given up. Not awaited, like `markAttempt`. Store the dead letter
   * first: a crash in between then means one more delivery, never a lost task.
   */
  markDead(id: string, reason: string): void {
    this.#known.delete(id);
    this.#appendLazy({ type: "dead", id, reason });
  }

  /** Resolves once everything appended so far (lazy records too) is written and fsynced. */
  async flush(): Promise<void> {
    this.#requestFlush();
    await this.#enqueueIo(() => this.#syncIfDirty());
    if (this.#failure) throw this.#failure;
  }

  /**
   * Rewrites the file with only the live tasks, now. Normally compaction starts by itself
   * after a write once the file is over `compactAfterBytes` and mostly dead weight.
   */
  async compact(): Promise<void> {
    if (this.#compacting) await this.#compacting;
    await this.#enqueueIo(() => this.#startCompaction());
    await this.#compacting;
  }

  /** Flushes everything, waits for a running compaction, and closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#requestFlush();
    await this.#compacting;
    await this.#enqueueIo(() => this.#syncIfDirty());
    clearTimeout(this.#lazyWriteTimer);
    clearTimeout(this.#lazySyncTimer);
    this.#file.close();
  }

  #refusal(): QueueError | undefined {
    if (this.#closed) return new QueueError(QueueErrorCode.Closed, "Journal is closed");
    return this.#failure;
  }

  #appendLazy(record: JournalRecord): void {
    if (this.#closed || this.#failure) return;
    try {
      this.#queue.append(this.#encoder, record);
    } catch (error) {
      this.#settings.onWarning(`Cannot journal ${record.type} record: ${errorMessage(error)}`);
      return;
    }
    if (this.#flushQueued || this.#lazyWriteTimer !== undefined) return;
    if (this.#settings.lazyWriteMs <= 0) return this.#requestFlush();
    // One timer for every lazy record until it fires: they share one write. It is not
    // cleared when adds take them along first; firing early on a later record is harmless.
    const timer = setTimeout(() => {
      this.#lazyWriteTimer = undefined;
      this.#requestFlush();
    }, this.#settings.lazyWriteMs);
    Deno.unrefTimer(timer);
    this.#lazyWriteTimer = timer;
  }

  /** Runs `step` after every earlier file operation: one writer at a time, in order. */
  #enqueueIo<T>(step: () => Promise<T> | T): Promise<T> {
    const run = this.#io.then(step);
    this.#io = run.then(noop, noop);
    return run;
  }

  #requestFlush(): void {
    if (this.#flushQueued || this.#queue.entries.length === 0) return;
    this.#flushQueued = true;
    void this.#enqueueIo(() => this.#flush());
  }

  async #flush(): Promise<void> {
    this.#flushQueued = false;
    const batch = this.#queue;
    if (batch.entries.length === 0) return;
    this.#queue = new RecordBatch(this.#spare);
    this.#spare = undefined;
    if (this.#failure) {
      batch.reject(this.#failure);
      return;
    }
    const bytes = batch.bytes;
    const start = this.#fileBytes;
    try {
      await writeAll(this.#file, bytes);
    } catch (error) {
      await this.#undoWrite(start, error, batch);
      return;
    }
    this.#fileBytes += bytes.length;
    this.#writes += 1;
    this.#records += batch.entries.length;
    this.#bytesWritten += bytes.length;
    // The written bytes, once, for the live tasks' records to point into: the batch's
    // buffer is reused for the next batch.
    let block: RecordBlock | undefined;
    for (const entry of batch.entries) {
      if (entry.record.type === "add") block ??= new RecordBlock(bytes.slice());
      this.#apply(entry, block);
    }
    if (this.#compactionTail) this.#compactionTail.push(bytes);
    else if (bytes.length <= MAX_SPARE_BYTES) this.#spare = batch.buffer;
    if (batch.awaited || !this.#settings.fsync) {
      try {
        await this.#sync();
      } catch (error) {
        // After a failed fsync the kernel may have dropped the dirty pages; a later fsync
        // can report success falsely, so nothing written from now on can be trusted.
        this.#fail(error);
        batch.reject(this.#failure!);
        return;
      }
      batch.resolve();
    } else {
      this.#unsynced = true;
      this.#scheduleLazySync();
    }
    this.#maybeCompact();
  }

  /** A write failed, maybe half done: cut the file back so later records stay readable. */
  async #undoWrite(start: number, error: unknown, batch: RecordBatch): Promise<void> {
    const failure = new QueueError(
      QueueErrorCode.WriteFailed,
      `Cannot write journal ${this.#path}: ${errorMessage(error)}`,
      { cause: error },
    );
    try {
      await this.#file.truncate(start);
    } catch {
      this.#fail(error);
    }
    batch.reject(this.#failure ?? failure);
    // Records nobody waits for are tried again with the next write.
    if (!this.#failure) this.#queue = RecordBatch.retry(batch, this.#queue);
    this.#settings.onWarning(failure.message);
  }

  #fail(error: unknown): void {
    this.#failure ??= new QueueError(
      QueueErrorCode.WriteFailed,
      `Journal ${this.#path} failed and refuses writes until restart: ${errorMessage(error)}`,
      { cause: error },
    );
    this.#settings.onWarning(this.#failure.message);
  }

  async #sync(): Promise<void> {
    if (!this.#settings.fsync) return;
    await this.#file.syncData();
    this.#syncs += 1;
    this.#unsynced = false;
    clearTimeout(this.#lazySyncTimer);
    this.#lazySyncTimer = undefined;
  }

  async #syncIfDirty(): Promise<void> {
    if (!this.#unsynced || this.#failure) return;
    try {
      await this.#sync();
    } catch (error) {
      this.#fail(error);
    }
  }

  #scheduleLazySync(): void {
    if (this.#lazySyncTimer !== undefined) return;
    const timer = setTimeout(() => {
      this.#lazySyncTimer = undefined;
      void this.#enqueueIo(() => this.#syncIfDirty());
    }, this.#settings.lazySyncMs);
    Deno.unrefTimer(timer);
    this.#lazySyncTimer = timer;
  }

  /**
   * Applies a written record (framed at `start..end` of its batch's bytes, which `block`
   * holds when the batch has adds) to the file's state.
   */
  #apply({ record, start, end }: BatchEntry, block: RecordBlock | undefined): void {
    switch (record.type) {
      case "add": {
        const previous = this.#live.get(record.id);
        this.#live.set(record.id, placeLiveTask(record.id, block!, start, end, record.attempts));
        this.#liveBytes += end - start;
        if (previous) {
          this.#liveBytes -= previous.end - previous.start;
          releaseLiveTask(this.#live, previous);
        }
        break;
      }
      case "attempt": {
        const live = this.#live.get(record.id);
        if (live) {
          live.attempts = record.attempts;
          live.lastError = record.lastError;
        }
        break;
      }
      case "done":
      case "dead": {
        const live = this.#live.get(record.id);
        if (live) {
          this.#liveBytes -= live.end - live.start;
          this.#live.delete(record.id);
          releaseLiveTask(this.#live, live);
        }
        break;
      }
      case "header":
        break;
    }
  }

  #maybeCompact(): void {
    const threshold = Math.max(this.#settings.compactAfterBytes, this.#compactionBackoffBytes);
    if (this.#fileBytes < threshold || this.#liveBytes * 2 > this.#fileBytes) return;
    this.#startCompaction();
  }

  /**
   * Starts a compaction. Must run inside the I/O queue, between writes, so that the
   * snapshot of live tasks is exactly what the file holds; writes made while the snapshot
   * is copied are kept and appended to the new file before it replaces the old one.
   */
  #startCompaction(): void {
    if (this.#compacting || this.#closed || this.#failure) return;
    const snapshot: SnapshotTask[] = [];
    for (const [id, task] of this.#live) {
      snapshot.push({
        id,
        addBytes: addBytes(task),
        attempts: task.attempts,
        lastError: task.lastError,
      });
    }
    this.#compactionTail = [];
    this.#compacting = this.#compact(snapshot).catch((error) => {
      this.#compactionBackoffBytes = this.#fileBytes * 2;
      this.#settings.onWarning(`Journal compaction failed: ${errorMessage(error)}`);
    }).finally(() => {
      this.#compactionTail = undefined;
      this.#compacting = undefined;
    });
  }

  async #compact(snapshot: SnapshotTask[]): Promise<void> {
    const tmpPath = `${this.#path}.compact`;
    await removeIfExists(tmpPath);
    const tmp = await Deno.open(tmpPath, {
      read: true,
      append: true,
      createNew: true,
      mode: 0o600,
    });
    let switched = false;
    try {
      let size = await writeSnapshot(tmp, snapshot, {
        encoder: this.#encoder,
        createdAt: this.#settings.now(),
      });
      if (this.#settings.fsync) await tmp.syncData();
      await this.#enqueueIo(async () => {
        if (this.#failure) throw new Error("the journal failed during compaction");
        // Writes made while the snapshot was copied: cheap, and the file is ours now.
        const tail = concatBytes(this.#compactionTail ?? []);
        await writeAll(tmp, tail);
        size += tail.length;
        if (this.#settings.fsync) await tmp.syncData();
        await Deno.rename(tmpPath, this.#path);
        const old = this.#file;
        this.#file = tmp;
        this.#fileBytes = size;
        switched = true;
        old.close();
        // The rename must be durable before any later add is acknowledged in the new file.
        if (this.#settings.fsync) {
          try {
            await syncDir(this.#dir);
          } catch (error) {
            this.#fail(error);
          }
        }
        this.#compactions += 1;
        this.#compactionBackoffBytes = 0;
      });
    } finally {
      if (!switched) {
        tmp.close();
        await removeIfExists(tmpPath).catch(noop);
      }
    }
  }
}
