/**
 * Timers for the hook's hot path. In Deno 2.9 the first `setTimeout`/`setInterval` loads
 * Node's timer compatibility layer, which costs about 3.5 ms of start-up: a third of an
 * empty `deno run`. `AbortSignal.timeout` does not. These timers never keep the process
 * alive on their own.
 *
 * @module
 */

/**
 * Calls `callback` once after `ms` milliseconds unless the returned function cancels it.
 *
 * @example
 * ```ts
 * import { schedule } from "./schedule.ts";
 *
 * const cancel = schedule(1_000, () => console.log("too slow"));
 * cancel();
 * ```
 */
export function schedule(ms: number, callback: () => void): () => void {
  const signal = AbortSignal.timeout(Math.max(0, ms));
  let cancelled = false;
  const listener = () => {
    if (!cancelled) callback();
  };
  signal.addEventListener("abort", listener, { once: true });
  return () => {
    cancelled = true;
    signal.removeEventListener("abort", listener);
  };
}

/** A promise that resolves with `value` after `ms` milliseconds (does not keep the process alive). */
export function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => schedule(ms, () => resolve(value)));
}
