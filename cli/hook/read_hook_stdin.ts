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
 * Reads a stream until it ends, `maxBytes` are read, or `timeoutMs` passes, whichever is
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
  stream: ReadableStream<Uint8Array>,
  options: ReadHookStdinOptions = {},
): Promise<HookStdin> {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 2000;
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  let timedOut = false;
  let done = false;
  let cancelTimer = () => {};
  const timeout = new Promise<typeof TIMEOUT>((resolve) => {
    // Not setTimeout: it would load Node's timers and cost the hook ~3.5 ms (see schedule).
    cancelTimer = schedule(timeoutMs, () => resolve(TIMEOUT));
  });
  const reader = stream.getReader();
  try {
    while (true) {
      const pending = reader.read();
      // A read still pending when we stop must not surface as an unhandled rejection.
      pending.catch(() => {});
      const result = await Promise.race([pending, timeout]);
      if (result === TIMEOUT) {
        timedOut = true;
        break;
      }
      if (result.done) {
        done = true;
        break;
      }
      const chunk = result.value;
      if (size + chunk.byteLength > maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break;
      }
      chunks.push(chunk);
      size += chunk.byteLength;
    }
  } catch {
    // A failing stdin ends the input; what arrived is still used.
  } finally {
    cancelTimer();
    if (!done) reader.cancel().catch(() => {});
    try {
      reader.releaseLock();
    } catch {
      // Some streams refuse while a read is pending; the reader is cancelled anyway.
    }
  }
  return { bytes: concatBytes(chunks), truncated, timedOut };
}
