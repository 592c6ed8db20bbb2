/**
 * Rebuilds the journal's state from its bytes. Pure: no I/O.
 *
 * @module
 */

import type { JournalEntry } from "./journal_entry.ts";
import { JOURNAL_FORMAT, JOURNAL_VERSION, scanRecords } from "./_journal_record.ts";
import { QueueError, QueueErrorCode } from "./queue_error.ts";
import {
  type DeliveryHistory,
  type LiveTask,
  placeLiveTask,
  RecordBlock,
  tightenBlock,
} from "./_live_tasks.ts";

export type { LiveTask };

/** A journal entry whose attempts and last error replay updates. */
type ReplayedEntry = Omit<JournalEntry, "attempts" | "lastError"> & DeliveryHistory;

/** What {@linkcode replayJournal} rebuilt. */
export interface ReplayResult {
  /** Live tasks in acceptance order. */
  readonly live: Map<string, LiveTask>;
  /** The same tasks, decoded. */
  readonly pending: JournalEntry[];
  /** Problems found, in words. */
  readonly warnings: string[];
  /** Offset just past the last sound record. */
  readonly validEnd: number;
  /** Whether damaged regions were skipped in the middle (the file should be rewritten). */
  readonly corrupt: boolean;
  /** Whether the file starts with a header record. */
  readonly hasHeader: boolean;
}

interface Replaying {
  entry: ReplayedEntry;
  start: number;
  end: number;
}

/**
 * Replays `bytes`: every task added and not yet done or dead, in acceptance order.
 *
 * @throws {QueueError} `QUEUE_UNSUPPORTED_FORMAT` when a newer version wrote the file.
 */
export function replayJournal(bytes: Uint8Array, maxRecordBytes?: number): ReplayResult {
  const scan = scanRecords(bytes, maxRecordBytes);
  const warnings: string[] = [];
  const tasks = new Map<string, Replaying>();
  let unknown = 0;
  let hasHeader = false;
  for (const [index, { record, start, end }] of scan.records.entries()) {
    if (record === undefined) {
      unknown += 1;
      continue;
    }
    switch (record.type) {
      case "header":
        if (record.format !== JOURNAL_FORMAT || record.version > JOURNAL_VERSION) {
          throw new QueueError(
            QueueErrorCode.UnsupportedFormat,
            `Cannot read journal: format "${record.format}" version ${record.version} ` +
              `is not supported (this version reads "${JOURNAL_FORMAT}" version ${JOURNAL_VERSION})`,
          );
        }
        if (index === 0) hasHeader = true;
        break;
      case "add": {
        const entry: ReplayedEntry = {
          id: record.id,
          task: record.task,
          attempts: record.attempts,
          acceptedAt: record.acceptedAt,
        };
        tasks.set(record.id, { entry, start, end });
        break;
      }
      case "attempt": {
        const found = tasks.get(record.id);
        if (found) {
          found.entry.attempts = record.attempts;
          if (record.lastError !== undefined) found.entry.lastError = record.lastError;
        }
        break;
      }
      case "done":
      case "dead":
        tasks.delete(record.id);
        break;
    }
  }
  if (unknown > 0) warnings.push(`Skipped ${unknown} journal records of an unknown kind`);
  for (const { start, end } of scan.skipped) {
    warnings.push(
      `Skipped ${end - start} unreadable journal bytes at offset ${start}: records there are lost`,
    );
  }
  if (scan.validEnd < bytes.length) {
    warnings.push(
      `Dropped a torn or corrupt journal tail of ${bytes.length - scan.validEnd} bytes ` +
        `at offset ${scan.validEnd}`,
    );
  }
  // The live records stay where they are in the file's bytes; when those are mostly dead
  // weight, the live ones move to a block of their own.
  const block = new RecordBlock(bytes);
  const live = new Map<string, LiveTask>();
  const pending: JournalEntry[] = [];
  for (const [id, { entry, start, end }] of tasks) {
    const task = placeLiveTask(id, block, start, end, entry.attempts);
    task.lastError = entry.lastError;
    live.set(id, task);
    pending.push(entry);
  }
  tightenBlock(live, block);
  return {
    live,
    pending,
    warnings,
    validEnd: scan.validEnd,
    corrupt: scan.skipped.length > 0,
    hasHeader,
  };
}
