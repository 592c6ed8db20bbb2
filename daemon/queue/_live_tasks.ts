/**
 * The `add` records of the journal's live tasks, kept in memory as the file holds them.
 * Records written together share one block of bytes instead of a buffer each (one
 * allocation per written batch, not per task); a block whose live records have shrunk
 * below a quarter of it has its survivors copied to a block of their own, so the bytes
 * held stay within four times the live records' whatever order tasks end in. Blocks are
 * never changed once made: a view taken of one (by a compaction) stays valid.
 *
 * @module
 */

import type { JournalEntry } from "./journal_entry.ts";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What `attempt` records change: the failed attempts so far and the last error. */
export type DeliveryHistory = Mutable<Pick<JournalEntry, "attempts" | "lastError">>;

/** Framed records as written, shared by the live tasks whose `add` records lie in them. */
export class RecordBlock {
  /** The bytes; never changed. */
  readonly bytes: Uint8Array;
  /** Bytes of the live `add` records that lie here. */
  liveBytes = 0;
  /** Ids whose `add` record was placed here, some of them since ended or moved. */
  readonly ids: string[] = [];

  /** A block over `bytes` (kept as they are, not copied). */
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
}

/** A live task as the journal file holds it: enough to read it back and to compact. */
export interface LiveTask extends DeliveryHistory {
  /** The block holding its framed `add` record, at `[start, end)`. */
  block: RecordBlock;
  start: number;
  end: number;
}

/** A live task whose framed `add` record lies at `[start, end)` of `block`. */
export function placeLiveTask(
  id: string,
  block: RecordBlock,
  start: number,
  end: number,
  attempts: number,
): LiveTask {
  block.liveBytes += end - start;
  block.ids.push(id);
  return { block, start, end, attempts, lastError: undefined };
}

/** The framed `add` record of `task`: a view of its block. */
export function addBytes(task: LiveTask): Uint8Array {
  return task.block.bytes.subarray(task.start, task.end);
}

/**
 * Accounts for `task` having ended or been replaced; call it once `live` no longer maps its
 * id to it. When its block is then mostly dead weight, the block's surviving records move
 * to a block of their own.
 */
export function releaseLiveTask(live: ReadonlyMap<string, LiveTask>, task: LiveTask): void {
  const block = task.block;
  block.liveBytes -= task.end - task.start;
  tightenBlock(live, block);
}

/**
 * Moves the live records of `block` (those `live` maps to it) to a block of their own when
 * they fill less than a quarter of it.
 */
export function tightenBlock(live: ReadonlyMap<string, LiveTask>, block: RecordBlock): void {
  if (block.liveBytes === 0 || block.liveBytes * 4 >= block.bytes.length) return;
  const moved = new RecordBlock(new Uint8Array(block.liveBytes));
  let at = 0;
  for (const id of block.ids) {
    const survivor = live.get(id);
    // Skips ended ids, ids added again elsewhere since, and an id listed twice.
    if (survivor === undefined || survivor.block !== block) continue;
    const length = survivor.end - survivor.start;
    moved.bytes.set(block.bytes.subarray(survivor.start, survivor.end), at);
    survivor.block = moved;
    survivor.start = at;
    survivor.end = at + length;
    moved.liveBytes += length;
    moved.ids.push(id);
    at += length;
  }
}
