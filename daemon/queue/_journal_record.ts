/**
 * The journal's on-disk records and a pure scanner for them. A record is
 * `[u32 BE payload length][u32 BE CRC-32 of payload][msgpack payload]`.
 *
 * @module
 */

import type { JournalEntry } from "./journal_entry.ts";
import { MsgpackDecoder } from "../../protocol/msgpack_decoder.ts";
import { EncodedMsgpack, MsgpackEncoder } from "../../protocol/msgpack_encoder.ts";
import { crc32 } from "./_crc32.ts";

/** Bytes before each payload: length and CRC. */
export const RECORD_HEADER_BYTES = 8;

/** Largest payload accepted (a sanity bound that helps tell garbage from a length). */
export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** The `format` of the first record of every journal file. */
export const JOURNAL_FORMAT = "claude-ntfy-journal";

/** The journal format version this code writes and reads. */
export const JOURNAL_VERSION = 1;

/** One journal record. */
export type JournalRecord =
  | {
    readonly type: "header";
    readonly format: string;
    readonly version: number;
    readonly createdAt: number;
  }
  | ({ readonly type: "add" } & Omit<JournalEntry, "lastError">)
  | ({ readonly type: "attempt" } & Pick<JournalEntry, "id" | "attempts" | "lastError">)
  | {
    readonly type: "done";
    readonly id: string;
    /**
     * Set when the task was cancelled before it was sent, not delivered. Readers that do not
     * know the field treat the record as a delivery: either way the task is not replayed.
     */
    readonly cancelled?: true;
  }
  | { readonly type: "dead"; readonly id: string; readonly reason: string };

/** Decodes record payloads; a record nests 6 deep at most (add > task > message > actions). */
const decoder = new MsgpackDecoder({ maxDepth: 32 });

/** Frames records; reuses one msgpack encoder buffer. */
export class RecordEncoder {
  readonly #encoder = new MsgpackEncoder();
  readonly #maxRecordBytes: number;

  constructor(maxRecordBytes = DEFAULT_MAX_RECORD_BYTES) {
    this.#maxRecordBytes = maxRecordBytes;
  }

  /**
   * The msgpack payload of `record`: a view of the encoder's own buffer, valid until the
   * next call. For an `add` record, `encodedTask` (msgpack bytes that decode to its task)
   * is written in place of encoding the task again.
   *
   * @throws {RangeError} when the payload is over `maxRecordBytes`.
   */
  payload(record: JournalRecord, encodedTask?: Uint8Array): Uint8Array {
    const payload = this.#encoder.encodeShared(
      encodedTask !== undefined && record.type === "add"
        ? { ...record, task: new EncodedMsgpack(encodedTask) }
        : record,
    );
    if (payload.length > this.#maxRecordBytes) {
      throw new RangeError(
        `Cannot journal record: payload of ${payload.length} bytes exceeds limit ${this.#maxRecordBytes}`,
      );
    }
    return payload;
  }

  /** The framed bytes of `record`, in a buffer of their own. */
  encode(record: JournalRecord): Uint8Array {
    const payload = this.payload(record);
    const bytes = new Uint8Array(RECORD_HEADER_BYTES + payload.length);
    writeFrame(bytes, 0, payload);
    return bytes;
  }
}

/** Writes the frame of `payload` (header, then payload) into `target` at `offset`. */
export function writeFrame(target: Uint8Array, offset: number, payload: Uint8Array): void {
  const length = payload.length;
  const crc = crc32(payload);
  target[offset] = length >>> 24;
  target[offset + 1] = length >>> 16;
  target[offset + 2] = length >>> 8;
  target[offset + 3] = length;
  target[offset + 4] = crc >>> 24;
  target[offset + 5] = crc >>> 16;
  target[offset + 6] = crc >>> 8;
  target[offset + 7] = crc;
  target.set(payload, offset + RECORD_HEADER_BYTES);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The record a decoded payload holds, or undefined when it is not one this version knows. */
export function toJournalRecord(value: unknown): JournalRecord | undefined {
  if (!isRecord(value)) return undefined;
  const { type, id } = value;
  if (type === "header") {
    return typeof value.format === "string" && typeof value.version === "number"
      ? value as JournalRecord
      : undefined;
  }
  if (typeof id !== "string") return undefined;
  switch (type) {
    case "add":
      return isRecord(value.task) && typeof value.attempts === "number" &&
          typeof value.acceptedAt === "number"
        ? value as JournalRecord
        : undefined;
    case "attempt":
      return typeof value.attempts === "number" ? value as JournalRecord : undefined;
    case "done":
      return value as JournalRecord;
    case "dead":
      return typeof value.reason === "string" ? value as JournalRecord : undefined;
    default:
      return undefined;
  }
}

/** The record a payload holds, or undefined when it is not one this version knows. */
export function readRecord(payload: Uint8Array): JournalRecord | undefined {
  return toJournalRecord(decoder.decode(payload));
}

/** A record found by {@linkcode scanRecords}, with where its bytes lie. */
export interface ScannedRecord {
  /** The record, or undefined for a sound frame of a kind this version does not know. */
  readonly record: JournalRecord | undefined;
  /** Offset of its first header byte. */
  readonly start: number;
  /** Offset just past its payload. */
  readonly end: number;
}

/** What {@linkcode scanRecords} found. */
export interface ScanResult {
  /** Sound records in file order. */
  readonly records: ScannedRecord[];
  /** Unreadable regions in the middle, each followed by a sound record: `[start, end)`. */
  readonly skipped: Array<{ readonly start: number; readonly end: number }>;
  /** Offset just past the last sound record: everything after it is a torn or corrupt tail. */
  readonly validEnd: number;
}

/** A sound frame at `pos`, or undefined. `strict` also asks for a known record kind. */
function frameAt(
  bytes: Uint8Array,
  view: DataView,
  pos: number,
  maxRecordBytes: number,
  strict: boolean,
): ScannedRecord | undefined {
  if (bytes.length - pos < RECORD_HEADER_BYTES) return undefined;
  const length = view.getUint32(pos);
  const end = pos + RECORD_HEADER_BYTES + length;
  if (length === 0 || length > maxRecordBytes || end > bytes.length) return undefined;
  if (crc32(bytes, pos + RECORD_HEADER_BYTES, end) !== view.getUint32(pos + 4)) return undefined;
  let value: unknown;
  try {
    value = decoder.decode(bytes.subarray(pos + RECORD_HEADER_BYTES, end));
  } catch {
    return undefined;
  }
  const record = toJournalRecord(value);
  if (strict && record === undefined) return undefined;
  return { record, start: pos, end };
}

/**
 * Splits journal bytes into records. Never throws: a damaged region is skipped when a sound
 * record follows it (found by trying each later offset) and otherwise ends the scan as a
 * torn tail at `validEnd`.
 */
export function scanRecords(
  bytes: Uint8Array,
  maxRecordBytes = DEFAULT_MAX_RECORD_BYTES,
): ScanResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: ScannedRecord[] = [];
  const skipped: Array<{ start: number; end: number }> = [];
  let pos = 0;
  while (pos < bytes.length) {
    const found = frameAt(bytes, view, pos, maxRecordBytes, false);
    if (found !== undefined) {
      records.push(found);
      pos = found.end;
      continue;
    }
    let next: ScannedRecord | undefined;
    for (let q = pos + 1; q + RECORD_HEADER_BYTES < bytes.length && next === undefined; q++) {
      next = frameAt(bytes, view, q, maxRecordBytes, true);
    }
    if (next === undefined) break;
    skipped.push({ start: pos, end: next.start });
    pos = next.start;
  }
  return { records, skipped, validEnd: pos };
}
