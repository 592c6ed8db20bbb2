/**
 * The steps every run of the hook takes, on its fast path (`forward_event.ts`) and in the
 * full command (`commands/hook.ts`) alike: read stdin within its bounds, then make the
 * event with its context, cut to fit one frame. Also what the fast path hands the full
 * command when it cannot finish, so that nothing is read or timed twice.
 *
 * @module
 */

import type { HookContext } from "../../protocol/messages.ts";
import type { CliIo } from "../io.ts";
import { fitEventPayload } from "./fit_event_payload.ts";
import { hookContext } from "./hook_context.ts";
import type { HookFlags } from "./hook_flags.ts";
import { type HookStdin, readHookStdin } from "./read_hook_stdin.ts";
import { scheduleWhilePending } from "../../client/schedule.ts";

/** Largest stdin accepted; longer input is cut and its long fields truncated. */
export const HOOK_STDIN_MAX_BYTES = 1024 * 1024;
/** Longest wait for stdin to end (`CLAUDE_NTFY_STDIN_TIMEOUT_MS` may shorten it). */
export const HOOK_STDIN_TIMEOUT_MS = 2_000;

/**
 * Reads the event from stdin: at most {@linkcode HOOK_STDIN_MAX_BYTES}, waiting at most
 * {@linkcode HOOK_STDIN_TIMEOUT_MS} (or `CLAUDE_NTFY_STDIN_TIMEOUT_MS`, when shorter). A
 * terminal on stdin means nothing was piped in: nothing is read, rather than waiting for
 * input that never comes.
 *
 * @param io The process's I/O.
 * @returns What was read.
 *
 * @example Nothing piped in
 * ```ts
 * import assert from "node:assert/strict";
 * import { readEventStdin } from "./hook_event.ts";
 *
 * const io = { stdinIsTerminal: true, env: () => undefined } as never;
 * assert.equal((await readEventStdin(io)).bytes.byteLength, 0);
 * ```
 */
export async function readEventStdin(
  io: Pick<CliIo, "stdinIsTerminal" | "stdinReader" | "stdin" | "env">,
): Promise<HookStdin> {
  if (io.stdinIsTerminal) return { bytes: new Uint8Array(), truncated: false, timedOut: false };
  const wanted = Number(io.env("CLAUDE_NTFY_STDIN_TIMEOUT_MS"));
  const reader = io.stdinReader;
  return await readHookStdin(reader ?? io.stdin, {
    // The process's own stdin is read by Deno operations, which the cheaper timer needs.
    ...(reader === Deno.stdin ? { timer: scheduleWhilePending } : {}),
    maxBytes: HOOK_STDIN_MAX_BYTES,
    timeoutMs: Number.isFinite(wanted) && wanted > 0
      ? Math.min(wanted, HOOK_STDIN_TIMEOUT_MS)
      : HOOK_STDIN_TIMEOUT_MS,
  });
}

/** An event made ready to send: what the daemon gets, and the project it is for. */
export interface HookEvent {
  /** The event's bytes (cut when the whole would not fit one frame). */
  readonly payload: Uint8Array;
  /** What the hook knows. */
  readonly context: HookContext;
  /** The project the hook chose. */
  readonly projectDir: string | undefined;
  /** Whether that project has a state folder of its own. */
  readonly projectHasStateDir: boolean;
}

/**
 * Makes the event to send from what stdin held, the flags and the environment.
 *
 * @param stdin What was read.
 * @param flags The hook's flags.
 * @param io The environment and working directory.
 * @param now The time, in milliseconds since the epoch.
 * @returns The event with its context.
 * @throws {Deno.errors.PermissionDenied} when the project's config file cannot be read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeHookEvent } from "./hook_event.ts";
 *
 * const stdin = { bytes: new TextEncoder().encode("{}"), truncated: false, timedOut: false };
 * const env: Record<string, string> = { CLAUDE_HOOK: "Stop", NTFY_TOPIC: "alerts" };
 * const event = makeHookEvent(stdin, {}, {
 *   cwd: "/nonexistent/app",
 *   env: (name) => env[name],
 *   environment: () => env,
 * }, 0);
 * const { eventId, ...rest } = event.context;
 * assert.deepEqual(rest, { cwd: "/nonexistent/app", env: { NTFY_TOPIC: "alerts" }, receivedAt: 0, hookName: "Stop" });
 * assert.equal(eventId, `${Deno.pid}.0`);
 * ```
 */
export function makeHookEvent(
  stdin: HookStdin,
  flags: HookFlags,
  io: Pick<CliIo, "env" | "cwd" | "environment">,
  now: number,
): HookEvent {
  const gathered = hookContext(stdin, {
    hookName: flags["hook-name"] || io.env("CLAUDE_HOOK"),
    projectDir: flags.project || io.env("CLAUDE_PROJECT_DIR"),
    cwd: io.cwd,
    env: io.environment?.() ?? {},
    // Unique on this machine: one event per hook process, and no two processes share a
    // process id at once.
    eventId: `${Deno.pid}.${now}`,
  }, now);
  // One frame holds the event with its context: a payload near 1 MiB is cut to fit.
  const { payload, context } = fitEventPayload(stdin.bytes, gathered.context);
  return {
    payload,
    context,
    projectDir: gathered.projectDir,
    projectHasStateDir: gathered.projectHasStateDir,
  };
}

/**
 * What the hook's fast path hands the full command when it stops short: what it read, the
 * event it made of it, and, when the daemon was tried, why that failed.
 */
export interface HookHandOver {
  /** What stdin held. */
  readonly stdin: HookStdin;
  /** The event, when it was made. */
  readonly event?: HookEvent;
  /** Set when the daemon was tried: the error it failed with. */
  readonly sendFailure?: { readonly error: unknown };
}
