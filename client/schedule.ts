/**
 * Timers for the hook's hot path, none of which is `setTimeout`: in Deno 2.9 the first
 * `setTimeout`/`setInterval` loads Node's timer compatibility layer (about 3.5 ms of
 * start-up, a third of an empty `deno run`).
 *
 * - {@linkcode schedule}: `AbortSignal.timeout` with a listener. Starting Deno's
 *   event-target code costs about 0.9 ms the first time.
 * - {@linkcode scheduleWhilePending}: `Atomics.waitAsync` with a timeout, V8's own timer,
 *   which costs next to nothing to start; but it fires only while the process waits on an
 *   operation (a read, a connection): alone, it lets the process end. The hook's timers
 *   all guard such an operation.
 *
 * `schedule` keeps the process alive until it fires or is cancelled; `scheduleWhilePending`
 * does not.
 *
 * @module
 */

/**
 * Calls `callback` once after `ms` milliseconds unless the returned function cancels it.
 *
 * @param ms How long to wait, in milliseconds.
 * @param callback What to call then.
 * @returns A function that cancels it.
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

/**
 * Like {@linkcode schedule}, for a timer that guards a pending operation of Deno's (a read
 * of stdin or a socket, a connection): it costs about 0.9 ms less to start the first
 * time, but while nothing else is pending it neither fires nor keeps the process alive.
 *
 * @param ms How long to wait, in milliseconds (0 or less: at the next turn).
 * @param callback What to call then.
 * @returns A function that cancels it.
 *
 * @example A deadline on a connection
 * ```ts
 * import { scheduleWhilePending } from "./schedule.ts";
 *
 * const cancel = scheduleWhilePending(1_000, () => console.log("too slow"));
 * await Deno.connect({ transport: "unix", path: "/nonexistent.sock" }).catch(() => {});
 * cancel();
 * ```
 */
export function scheduleWhilePending(ms: number, callback: () => void): () => void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  let cancelled = false;
  const fire = (outcome: string) => {
    if (!cancelled && outcome === "timed-out") callback();
  };
  const wait = Atomics.waitAsync(cell, 0, 0, Math.max(0, ms));
  if (wait.async) wait.value.then(fire);
  else queueMicrotask(() => fire(wait.value));
  return () => {
    if (cancelled) return;
    cancelled = true;
    // Wakes the wait, which lets V8 drop its timer.
    Atomics.notify(cell, 0);
  };
}

/**
 * Settles as `work` does, or rejects with `timedOut()` once `ms` milliseconds have passed
 * first; the timer is cancelled either way. `work` is not cancelled: what it holds (a
 * connection) is the caller's to close. With `ms` of 0 or less there is no deadline.
 *
 * @param work What to wait for.
 * @param ms The deadline, in milliseconds.
 * @param timedOut Makes the error to reject with at the deadline.
 * @param timer The timer to use: {@linkcode scheduleWhilePending} will do when `work` is a
 * Deno operation (a read, a connection). @default {schedule}
 * @returns What `work` resolves with.
 * @throws whatever `work` rejects with, or `timedOut()`.
 *
 * @example A read that takes too long
 * ```ts
 * import assert from "node:assert/strict";
 * import { withDeadline } from "./schedule.ts";
 *
 * const never = new Promise<string>(() => {});
 * await assert.rejects(withDeadline(never, 10, () => new Error("too slow")), /too slow/);
 * assert.equal(await withDeadline(Promise.resolve("ok"), 10, () => new Error("late")), "ok");
 * ```
 */
export async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  timedOut: () => Error,
  timer: (ms: number, callback: () => void) => () => void = schedule,
): Promise<T> {
  if (ms <= 0) return await work;
  let cancel = () => {};
  const deadline = new Promise<never>((_, reject) => {
    cancel = timer(ms, () => reject(timedOut()));
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    cancel();
  }
}

/** A promise that resolves with `value` after `ms` milliseconds (see {@linkcode schedule}). */
export function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => schedule(ms, () => resolve(value)));
}
