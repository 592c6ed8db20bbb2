/**
 * Options of the task journal.
 *
 * @module
 */

import { DEFAULT_MAX_RECORD_BYTES } from "./_journal_record.ts";

/** Options for {@linkcode Journal.open}. */
export interface JournalOptions {
  /** Whether to fsync; off only for tests and benchmarks. @default {true} */
  fsync?: boolean;
  /** File size from which compaction is considered. @default {4194304} */
  compactAfterBytes?: number;
  /**
   * How long records nobody waits for (`markDone`, `markAttempt`, `markDead`) may wait
   * before they are written, when no `add` takes them along sooner; they are written
   * together, one write for all. A process killed in this window forgets them: those tasks
   * are delivered again after a restart. 0 writes each at once. @default {5}
   */
  lazyWriteMs?: number;
  /**
   * How long those records may stay written but not fsynced, when no `add` syncs them
   * sooner. Once written they survive a killed process; this only bounds what a power cut
   * can undo. @default {200}
   */
  lazySyncMs?: number;
  /** Largest record payload. @default {16777216} */
  maxRecordBytes?: number;
  /** Wall clock, in milliseconds since the Unix epoch. @default {Date.now} */
  now?: () => number;
  /** Told about problems that do not stop the journal (failed compaction and the like). */
  onWarning?: (message: string) => void;
}

/** Options with every default filled in. */
export type JournalSettings = Readonly<Required<JournalOptions>>;

/**
 * Fills in the defaults of {@linkcode JournalOptions}.
 *
 * @example
 * ```ts
 * import { resolveJournalOptions } from "./journal_options.ts";
 *
 * console.log(resolveJournalOptions({ fsync: false }).compactAfterBytes); // 4194304
 * ```
 */
export function resolveJournalOptions(options: JournalOptions = {}): JournalSettings {
  return {
    fsync: options.fsync ?? true,
    compactAfterBytes: options.compactAfterBytes ?? 4 * 1024 * 1024,
    lazyWriteMs: options.lazyWriteMs ?? 5,
    lazySyncMs: options.lazySyncMs ?? 200,
    maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    now: options.now ?? Date.now,
    onWarning: options.onWarning ?? (() => {}),
  };
}
