/**
 * Reading the hook's stdin with a size cap and a time cap, so a hook never hangs.
 *
 * @module
 */

import { schedule } from "../../client/schedule.ts";
import { concatBytes } from "../../protocol/concat_bytes.ts";

/** Options for {@linkcode readHookStdin}. */
export interface ReadHookStdinOptions {
  /** The most bytes kept; reading stops there. @default {1048576} */
  maxBytes?: number;
  /** The longest the read may take, in milliseconds. @default {2000} */
  timeoutMs?: number;
  /**
   * The timer for `timeoutMs`: `scheduleWhilePending`, cheaper to start, will do when the
   * input is a reader whose reads are Deno operations (`Deno.stdin`). @default {schedule}
   */
  timer?: (ms: number, callback: () => void) => () => void;
}

/** What {@linkcode readHookStdin} read. */
export interface HookStdin {
  /** The bytes read (at most `maxBytes`). */
  bytes: Uint8Array;
  /** More input was available than `maxBytes`. */
  truncated: boolean;
  /** The stream did not end within `timeoutMs`; `bytes` holds what arrived until then. */
  timedOut: boolean;
}

const TIMEOUT = Symbol("timeout");

/**
 * Reads a stream (or a {@linkcode ByteReader} such as `Deno.stdin`) until it ends, `maxBytes` are read, or `timeoutMs` passes, whichever is
 * first, then cancels the stream so nothing is left waiting. Read errors end the input
 * (what arrived before is kept). An empty or closed stream returns at once.
 *
 * Callers should not pass a terminal's stdin (`Deno.stdin.isTerminal()`): it would only
 * end by timing out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readHookStdin } from "./read_hook_stdin.ts";
 *
 * const stream = ReadableStream.from([new TextEncoder().encode('{"hook_event_name":"Stop"}')]);
 * const input = await readHookStdin(stream);
 * assert.deepEqual(input.truncated, false);
 * assert.deepEqual(new TextDecoder().decode(input.bytes), '{"hook_event_name":"Stop"}');
 * ```
 */
export async function readHookStdin(
  input: ReadableStream<Uint8Array> | ByteReader,
  options: ReadHookStdinOptions = {},
): Promise<HookStdin> {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 2000;
  // Not `instanceof ReadableStream`: touching that global makes Deno load its web streams,
  // about 2 ms of the hook's start-up.
  const source = isByteReader(input) ? readerSource(input) : streamSource(input);
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  let timedOut = false;
  let done = false;
  let cancelTimer = () => {};
  const timeout = new Promise<typeof TIMEOUT>((resolve) => {
    // Not setTimeout: it would load Node's timers and cost the hook ~3.5 ms (see schedule).
    cancelTimer = (options.timer ?? schedule)(timeoutMs, () => resolve(TIMEOUT));
  });
  try {
    while (true) {
      const pending = source.next();
      // A read still pending when we stop must not surface as an unhandled rejection.
      pending.catch(() => {});
      const result = await Promise.race([pending, timeout]);
      if (result === TIMEOUT) {
        timedOut = true;
        break;
      }
      if (result === null) {
        done = true;
        break;
      }
      if (size + result.byteLength > maxBytes) {
        chunks.push(result.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break;
      }
      chunks.push(result);
      size += result.byteLength;
    }
  } catch {
    // A failing stdin ends the input; what arrived is still used.
  } finally {
    cancelTimer();
    source.stop(done);
  }
  return { bytes: concatBytes(chunks), truncated, timedOut };
}

/**
 * A source of bytes read into a caller's buffer, like `Deno.stdin`: for the hook, reading
 * this way costs about 0.3 ms where a `ReadableStream` costs about 2 ms.
 */
export interface ByteReader {
  /** Reads into `buffer`; resolves with the count, or `null` at the end. */
  read(buffer: Uint8Array): Promise<number | null>;
}

interface ChunkSource {
  next(): Promise<Uint8Array | null>;
  stop(done: boolean): void;
}

function isByteReader(input: ReadableStream<Uint8Array> | ByteReader): input is ByteReader {
  return typeof (input as Partial<ByteReader>).read === "function";
}

function streamSource(stream: ReadableStream<Uint8Array>): ChunkSource {
  const reader = stream.getReader();
  return {
    next: async () => {
      const result = await reader.read();
      return result.done ? null : result.value;
    },
    stop(done) {
      if (!done) reader.cancel().catch(() => {});
      try {
        reader.releaseLock();
      } catch {
        // Some streams refuse while a read is pending; the reader is cancelled anyway.
      }
    },
  };
}

function readerSource(reader: ByteReader): ChunkSource {
  return {
    async next() {
      const buffer = new Uint8Array(64 * 1024);
      const count = await reader.read(buffer);
      return count === null ? null : buffer.subarray(0, count);
    },
    // A pending read of a reader cannot be cancelled; the process exits soon after.
    stop() {},
  };
}
