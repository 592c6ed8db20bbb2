/**
 * The daemon's side of the spool: takes in the files hooks dropped while the socket could
 * not be reached (raw events, and tasks from `claude-ntfy test`), at start and, through a
 * file-system watcher, as they arrive.
 *
 * @module
 */

import {
  decodeFrame,
  decodeRequest,
  type EventRequest,
  type NotificationTask,
  validateTask,
} from "../../protocol/mod.ts";
import {
  SPOOL_EVENT_EXTENSION,
  SPOOL_FORMAT,
  SPOOL_VERSION,
} from "../../core/spool/write_spool_file.ts";
import { errorMessage } from "../../protocol/error_message.ts";
import { isSpoolFileName } from "../../core/spool/spool_files.ts";

/** What one spool file holds: a resolved task, or a raw hook event to resolve. */
export type SpoolEntry =
  | { readonly kind: "task"; readonly task: NotificationTask }
  | { readonly kind: "event"; readonly request: EventRequest };

/**
 * Takes one entry in (journals it); the file is deleted only once this resolves. Rejecting
 * means "not now" (a full queue, say): the file and the ones after it stay for a later pass.
 * Resolving with `{ reject: reason }` means "never": the file moves to `rejected/`.
 */
export type SpoolTaskHandler = (
  entry: SpoolEntry,
  fileName: string,
) => Promise<void | { readonly reject: string }>;

/** Options for {@linkcode SpoolIngester}. */
export interface SpoolIngesterOptions {
  /** Largest spool file accepted; bigger ones are rejected. @default {2097152} */
  maxFileBytes?: number;
  /** When a handler fails while watching, how long before the next try. @default {1000} */
  retryDelayMs?: number;
  /** Hidden temp files older than this (a hook that died mid-write) are removed. @default {3600000} */
  staleTempMs?: number;
  /** Wall clock in ms since the Unix epoch. @default {Date.now} */
  now?: () => number;
  /** Told about rejected files, failed handlers and the like. */
  onWarning?: (message: string) => void;
}

/** What one pass did. */
export interface IngestSummary {
  /** Files handed to the handler and deleted. */
  readonly ingested: number;
  /** Files moved to `rejected/`. */
  readonly rejected: number;
  /** Files left in place because the handler failed (tried again later). */
  readonly failed: number;
}

/** The name of the folder, inside the spool, that holds rejected files. */
export const REJECTED_DIR_NAME = "rejected";

const noop = () => {};

/** Reads a spool file's content, or throws why it is unusable. */
function parseSpoolFile(name: string, bytes: Uint8Array): SpoolEntry {
  if (name.endsWith(SPOOL_EVENT_EXTENSION)) {
    const request = decodeRequest(decodeFrame(bytes));
    if (request.type !== "event") throw new TypeError(`Not an event: a ${request.type} request`);
    return { kind: "event", request };
  }
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  const value = JSON.parse(text);
  if (typeof value !== "object" || value === null || value.format !== SPOOL_FORMAT) {
    throw new TypeError(`Not a spool file: format is not "${SPOOL_FORMAT}"`);
  }
  if (value.version !== SPOOL_VERSION) {
    throw new TypeError(`Unsupported spool file version ${JSON.stringify(value.version)}`);
  }
  return { kind: "task", task: validateTask(value.task) };
}

/**
 * Ingests spool files in name (so creation) order, one pass at a time: each file reaches
 * the handler at most once per success, is deleted only after the handler resolved, and a
 * file that cannot be read is moved to `rejected/` beside a `.reason` note.
 *
 * @example
 * ```ts
 * import { SpoolIngester } from "./spool_ingester.ts";
 * import { writeSpoolFile } from "../../core/spool/write_spool_file.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await writeSpoolFile(dir, {
 *   target: { serverUrl: "https://ntfy.sh", topic: "alerts" },
 *   message: { body: "hi" },
 *   origin: { event: "test", createdAt: 0 },
 * });
 * const ingester = new SpoolIngester(dir);
 * const summary = await ingester.ingestAll(async (entry) => {
 *   if (entry.kind === "task") console.log(entry.task.message.body); // "hi"
 * });
 * console.log(summary.ingested); // 1
 * await ingester.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class SpoolIngester {
  readonly #dir: string;
  readonly #maxFileBytes: number;
  readonly #retryDelayMs: number;
  readonly #staleTempMs: number;
  readonly #now: () => number;
  readonly #warn: (message: string) => void;
  /** The pass running or done last; passes never overlap. */
  #current: Promise<unknown> = Promise.resolve();
  /** A pass waiting for the current one: later requests share it. */
  #queued: Promise<IngestSummary> | undefined;
  /** Files handed over whose deletion failed: never handed over again. */
  readonly #handedOver = new Set<string>();
  #tempSweepDone = false;
  #watcher: Deno.FsWatcher | undefined;
  #watching: Promise<void> | undefined;
  #handler: SpoolTaskHandler | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  /** Files ingested since construction. */
  ingested = 0;
  /** Files rejected since construction. */
  rejected = 0;

  /** An ingester for the spool folder `spoolDir`. */
  constructor(spoolDir: string, options: SpoolIngesterOptions = {}) {
    this.#dir = spoolDir.replace(/\/+$/, "") || "/";
    this.#maxFileBytes = options.maxFileBytes ?? 2 * 1024 * 1024;
    this.#retryDelayMs = options.retryDelayMs ?? 1_000;
    this.#staleTempMs = options.staleTempMs ?? 3_600_000;
    this.#now = options.now ?? Date.now;
    this.#warn = options.onWarning ?? noop;
  }

  /**
   * Ingests every `*.task` and `*.event` file now in the folder. If a pass is running, resolves with the
   * pass that starts after it, so files that arrived meanwhile are included.
   */
  ingestAll(onTask: SpoolTaskHandler): Promise<IngestSummary> {
    if (this.#queued) return this.#queued;
    const queued = this.#current.then(() => {
      this.#queued = undefined;
      return this.#pass(onTask);
    });
    this.#queued = queued;
    this.#current = queued.catch(noop);
    return queued;
  }

  /**
   * Ingests what is there, then every file renamed into the folder, until
   * {@linkcode SpoolIngester.close}. Event-driven (`Deno.watchFs`), no polling. Resolves
   * once the watcher runs and the first pass is done.
   */
  async watch(onTask: SpoolTaskHandler): Promise<IngestSummary> {
    if (this.#watcher) throw new Error("Cannot watch the spool: already watching");
    await Deno.mkdir(this.#dir, { recursive: true, mode: 0o700 });
    this.#handler = onTask;
    // The watcher starts before the first pass, so no file can slip in between.
    const watcher = Deno.watchFs(this.#dir, { recursive: false });
    this.#watcher = watcher;
    this.#watching = (async () => {
      for await (const event of watcher) {
        if (event.kind === "remove" || event.kind === "access") continue;
        if (event.paths.some((path) => this.#isIncoming(path))) this.#trigger();
      }
    })().catch((error) => this.#warn(`Spool watcher stopped: ${errorMessage(error)}`));
    return await this.ingestAll(onTask);
  }

  /** Stops watching and waits for a running pass. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    try {
      this.#watcher?.close();
    } catch {
      // already closed
    }
    await this.#watching;
    await this.#current;
  }

  #isIncoming(path: string): boolean {
    const slash = path.lastIndexOf("/");
    const name = path.slice(slash + 1);
    return isSpoolFileName(name) && !path.slice(0, slash).endsWith(`/${REJECTED_DIR_NAME}`);
  }

  #trigger(): void {
    if (this.#closed || !this.#handler) return;
    void this.ingestAll(this.#handler).catch((error) =>
      this.#warn(`Spool ingest failed: ${errorMessage(error)}`)
    );
  }

  #scheduleRetry(): void {
    if (this.#closed || !this.#watcher || this.#retryTimer !== undefined) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#trigger();
    }, this.#retryDelayMs);
  }

  async #pass(onTask: SpoolTaskHandler): Promise<IngestSummary> {
    let ingested = 0;
    let rejected = 0;
    let failed = 0;
    const names: string[] = [];
    const temps: string[] = [];
    try {
      for await (const entry of Deno.readDir(this.#dir)) {
        if (isSpoolFileName(entry.name)) names.push(entry.name);
        else if (entry.name.startsWith(".") && entry.name.endsWith(".tmp")) temps.push(entry.name);
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return { ingested, rejected, failed };
      throw error;
    }
    if (!this.#tempSweepDone) {
      this.#tempSweepDone = true;
      await this.#sweepTemps(temps);
    }
    names.sort();
    const present = new Set(names);
    for (const name of this.#handedOver) if (!present.has(name)) this.#handedOver.delete(name);
    for (const name of names) {
      if (this.#closed) break;
      if (this.#handedOver.has(name)) continue;
      const path = `${this.#dir}/${name}`;
      let entry: SpoolEntry;
      try {
        const info = await Deno.lstat(path);
        if (!info.isFile) throw new TypeError("Not a regular file");
        if (info.size > this.#maxFileBytes) {
          throw new RangeError(`File of ${info.size} bytes exceeds limit ${this.#maxFileBytes}`);
        }
        entry = parseSpoolFile(name, await Deno.readFile(path));
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) continue;
        await this.#reject(name, error);
        rejected += 1;
        continue;
      }
      let verdict: void | { readonly reject: string };
      try {
        verdict = await onTask(entry, name);
      } catch (error) {
        // Most likely a full queue: leave this file and the later ones for the next pass.
        this.#warn(`Spool file ${name} not taken in, will retry: ${errorMessage(error)}`);
        failed += 1;
        this.#scheduleRetry();
        break;
      }
      if (verdict?.reject !== undefined) {
        await this.#reject(name, verdict.reject);
        rejected += 1;
        continue;
      }
      ingested += 1;
      this.ingested += 1;
      try {
        await Deno.remove(path);
      } catch (error) {
        this.#handedOver.add(name);
        this.#warn(`Cannot remove ingested spool file ${name}: ${errorMessage(error)}`);
      }
    }
    return { ingested, rejected, failed };
  }

  async #reject(name: string, error: unknown): Promise<void> {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const rejectedDir = `${this.#dir}/${REJECTED_DIR_NAME}`;
    try {
      await Deno.mkdir(rejectedDir, { recursive: true, mode: 0o700 });
      await Deno.writeTextFile(
        `${rejectedDir}/${name}.reason`,
        `${new Date(this.#now()).toISOString()} ${reason}\n`,
        { mode: 0o600 },
      );
      await Deno.rename(`${this.#dir}/${name}`, `${rejectedDir}/${name}`);
      this.rejected += 1;
      this.#warn(`Rejected spool file ${name}: ${reason}`);
    } catch (moveError) {
      this.#handedOver.add(name);
      this.#warn(
        `Cannot move bad spool file ${name} to ${REJECTED_DIR_NAME}/ (${reason}): ` +
          errorMessage(moveError),
      );
    }
  }

  /** Removes temp files left by hooks that died mid-write. */
  async #sweepTemps(names: string[]): Promise<void> {
    const cutoff = this.#now() - this.#staleTempMs;
    for (const name of names) {
      try {
        const info = await Deno.lstat(`${this.#dir}/${name}`);
        if ((info.mtime?.getTime() ?? Infinity) < cutoff) await Deno.remove(`${this.#dir}/${name}`);
      } catch {
        // gone already, or not ours to remove
      }
    }
  }
}
