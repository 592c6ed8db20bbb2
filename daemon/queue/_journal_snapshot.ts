/**
 * Writes the live tasks as a fresh journal file: the first half of a compaction.
 *
 * @module
 */

import { writeAll } from "../../client/write_all.ts";
import { concatBytes } from "../../protocol/concat_bytes.ts";
import { JOURNAL_FORMAT, JOURNAL_VERSION, type RecordEncoder } from "./_journal_record.ts";
import type { JournalEntry } from "./journal_entry.ts";

/** A live task as a compaction copies it. */
export interface SnapshotTask extends Pick<JournalEntry, "id" | "attempts" | "lastError"> {
  /** Its framed `add` record, exactly as written. */
  readonly addBytes: Uint8Array;
}

const CHUNK_BYTES = 256 * 1024;

/**
 * Writes a header, then each task's original `add` record and, when it has failed
 * attempts, an `attempt` record, to `file`; returns the bytes written. No fsync.
 */
export async function writeSnapshot(
  file: Deno.FsFile,
  snapshot: readonly SnapshotTask[],
  options: { encoder: RecordEncoder; createdAt: number },
): Promise<number> {
  const { encoder } = options;
  let size = 0;
  let chunk: Uint8Array[] = [
    encoder.encode({
      type: "header",
      format: JOURNAL_FORMAT,
      version: JOURNAL_VERSION,
      createdAt: options.createdAt,
    }),
  ];
  let chunkBytes = 0;
  const writeChunk = async () => {
    const bytes = concatBytes(chunk);
    await writeAll(file, bytes);
    size += bytes.length;
    chunk = [];
    chunkBytes = 0;
  };
  for (const live of snapshot) {
    chunk.push(live.addBytes);
    chunkBytes += live.addBytes.length;
    if (live.attempts > 0 || live.lastError !== undefined) {
      const attempt = encoder.encode({
        type: "attempt",
        id: live.id,
        attempts: live.attempts,
        lastError: live.lastError,
      });
      chunk.push(attempt);
      chunkBytes += attempt.length;
    }
    if (chunkBytes >= CHUNK_BYTES) await writeChunk();
  }
  await writeChunk();
  return size;
}
