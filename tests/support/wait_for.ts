/**
 * Waiting on a fact (a status field, a file, a process) with a deadline, instead of
 * sleeping for a fixed time and hoping the fact is true by then.
 *
 * @module
 */

/** Options for {@linkcode waitFor}. */
export interface WaitForOptions {
  /**
   * What is awaited, for the error message: "the daemon to exit". A function is called
   * only on timeout, so it can describe the state the wait ended in.
   */
  readonly what: string | (() => string | Promise<string>);
  /** How long to wait before giving up. @default {5000} */
  readonly timeoutMs?: number;
  /** The pause between two checks. @default {10} */
  readonly intervalMs?: number;
}

/**
 * Checks `check` until it returns true and resolves with the milliseconds waited. Throws
 * once `timeoutMs` has passed, after one last check, naming what was awaited.
 *
 * @example
 * ```ts ignore
 * await waitFor(async () => (await client.status()).dead === 1, { what: "a dead letter" });
 * ```
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  options: WaitForOptions,
): Promise<number> {
  const { what, timeoutMs = 5_000, intervalMs = 10 } = options;
  const started = performance.now();
  const deadline = started + timeoutMs;
  for (;;) {
    // Read the clock before checking: a check that turns true at the deadline still counts.
    const late = performance.now() > deadline;
    if (await check()) return performance.now() - started;
    if (late) {
      const description = typeof what === "string" ? what : await what();
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
