/**
 * A group-commit batch: records waiting to be written together, framed back to back in one
 * growable buffer in the order they were appended. One promise settles every `add` in it.
 *
 * @module
 */

import {
  type JournalRecord,
  RECORD_HEADER_BYTES,
  type RecordEncoder,
  writeFrame,
} from "./_journal_record.ts";

/** A record in a batch, and where its framed bytes lie in the batch's bytes. */
export interface BatchEntry {
  /** The record (what the journal's state needs once it is written). */
  readonly record: JournalRecord;
  /** Offset of its first header byte. */
  readonly start: number;
  /** Offset just past its payload. */
  readonly end: number;
}

const INITIAL_BYTES = 16 * 1024;

/** Records to write together; see the module documentation. */
export class RecordBatch {
  /** The records, in append order. */
  readonly entries: BatchEntry[] = [];
  #buffer: Uint8Array;
  #length = 0;
  #durable: PromiseWithResolvers<void> | undefined;

  /** `buffer` is reused as it is (its contents are overwritten); one is made when absent. */
  constructor(buffer?: Uint8Array) {
    this.#buffer = buffer ?? new Uint8Array(INITIAL_BYTES);
  }

  /** The framed records back to back: a view of {@linkcode RecordBatch.buffer}. */
  get bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  /** The whole underlying buffer, for a later batch to reuse once this one is written. */
  get buffer(): Uint8Array {
    return this.#buffer;
  }

  /** Whether an `add` waits for this batch (it must then be fsynced before it settles). */
  get awaited(): boolean {
    return this.#durable !== undefined;
  }

  /**
   * Frames `record` onto the end; see {@linkcode RecordEncoder.payload} for `encodedTask`.
   *
   * @throws {RangeError} when the record is over the encoder's limit; nothing is appended.
   */
  append(encoder: RecordEncoder, record: JournalRecord, encodedTask?: Uint8Array): void {
    const payload = encoder.payload(record, encodedTask);
    const start = this.#reserve(RECORD_HEADER_BYTES + payload.length);
    writeFrame(this.#buffer, start, payload);
    this.entries.push({ record, start, end: this.#length });
  }

  /** Copies an already framed record onto the end. */
  appendFramed(record: JournalRecord, framed: Uint8Array): void {
    const start = this.#reserve(framed.length);
    this.#buffer.set(framed, start);
    this.entries.push({ record, start, end: this.#length });
  }

  /** The promise every `add` in this batch returns: settled by `resolve` or `reject`. */
  durable(): Promise<void> {
    this.#durable ??= Promise.withResolvers<void>();
    return this.#durable.promise;
  }

  /** Settles the adds' promise (if any add waits) as written and synced. */
  resolve(): void {
    this.#durable?.resolve();
  }

  /** Settles the adds' promise (if any add waits) as failed. */
  reject(error: Error): void {
    this.#durable?.reject(error);
  }

  /**
   * A batch holding the records of `failed` nobody waits for, then everything in `next`
   * (whose waiting adds it takes over): what to write after `failed` could not be written.
   */
  static retry(failed: RecordBatch, next: RecordBatch): RecordBatch {
    const retry = new RecordBatch();
    const failedBytes = failed.bytes;
    for (const { record, start, end } of failed.entries) {
      if (record.type !== "add") retry.appendFramed(record, failedBytes.subarray(start, end));
    }
    const nextBytes = next.bytes;
    for (const { record, start, end } of next.entries) {
      retry.appendFramed(record, nextBytes.subarray(start, end));
    }
    retry.#durable = next.#durable;
    return retry;
  }

  /** Makes room for `bytes` more at the end; returns where they start. */
  #reserve(bytes: number): number {
    const start = this.#length;
    const needed = start + bytes;
    if (needed > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2));
      grown.set(this.#buffer.subarray(0, start));
      this.#buffer = grown;
    }
    this.#length = needed;
    return start;
  }
}
