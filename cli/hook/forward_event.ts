/**
 * The hook's fast path: what `claude-ntfy hook` does when Claude Code runs it, with no
 * flags. It reads the event, sends it to the daemon with the hook's lean codec and exits
 * on the acknowledgment. Anything else (a permission request that may wait for the phone,
 * a daemon that cannot be reached, an error) goes to the full command, handed what was
 * read so that nothing is read twice.
 *
 * This module and what it imports are the whole of the hook's bundle
 * (`dist/hook/claude-ntfy-hook.js`): each line here is loaded on every Claude Code event,
 * so it imports nothing the fast path does not run, and no module that loads others
 * (Deno reads the targets of literal dynamic imports when it starts, about 0.6 ms).
 *
 * @module
 */

import { sendEventOnce } from "../../client/send_event.ts";
import { daemonPathsFor } from "../daemon_paths.ts";
import { daemonConnectOptions } from "../daemon_connect_options.ts";
import { type CliIo, ExitCode } from "../io.ts";
import { type HookHandOver, makeHookEvent, readEventStdin } from "./hook_event.ts";
import { isPermissionRequest } from "./is_permission_request.ts";

/**
 * Forwards the event on stdin to the daemon and resolves with the exit code once it is
 * acknowledged, or with what the full command needs to finish the job.
 *
 * @param io The process's I/O.
 * @returns `0` once the daemon holds the event; else the hand-over.
 *
 * @example Nothing listens: the full command gets the event and why it was not sent
 * ```ts
 * import assert from "node:assert/strict";
 * import { forwardEvent } from "./forward_event.ts";
 *
 * const env: Record<string, string> = { HOME: "/nonexistent", CLAUDE_HOOK: "Stop" };
 * const outcome = await forwardEvent({
 *   stdout: () => {},
 *   stderr: () => {},
 *   stdin: ReadableStream.from([new TextEncoder().encode('{"hook_event_name":"Stop"}')]),
 *   isTerminal: false,
 *   env: (name) => env[name],
 *   environment: () => env,
 *   cwd: "/nonexistent/app",
 * });
 * assert.ok(typeof outcome !== "number" && outcome.sendFailure !== undefined);
 * ```
 */
export async function forwardEvent(io: CliIo): Promise<number | HookHandOver> {
  const stdin = await readEventStdin(io);
  let event;
  try {
    event = makeHookEvent(stdin, {}, io, Date.now());
  } catch {
    // The full command makes it again and says what is wrong.
    return { stdin };
  }
  // The one event that may wait for an answer from the phone: the full command asks.
  if (isPermissionRequest(event.payload, event.context.hookName)) return { stdin, event };
  try {
    const paths = daemonPathsFor(io, {
      projectDir: event.projectDir,
      projectHasStateDir: event.projectHasStateDir,
    });
    await sendEventOnce(daemonConnectOptions(paths, "hook"), event);
    return ExitCode.Ok;
  } catch (error) {
    return { stdin, event, sendFailure: { error } };
  }
}
