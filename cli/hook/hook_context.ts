/**
 * What the hook process knows that the daemon cannot: flags, working directory, the
 * configuration variables of Claude Code's environment, the time, and the project's
 * config file. Gathered with as little work as possible: it runs on every event.
 *
 * @module
 */

import type { HookContext } from "../../protocol/messages.ts";
import { EVENT_LIMITS, isForwardedEnvName } from "../../protocol/event_request.ts";
import { resolveProjectDir } from "../../core/events/resolve_project_dir.ts";
import { findProjectFiles } from "./project_files.ts";
import type { HookStdin } from "./read_hook_stdin.ts";

/** The hook's flags and environment that select the project and the event name. */
export interface HookInvocation {
  /** `--hook-name`, else `$CLAUDE_HOOK`. */
  readonly hookName?: string;
  /** `--project`, else `$CLAUDE_PROJECT_DIR`. */
  readonly projectDir?: string;
  /** The process's working directory. */
  readonly cwd: string;
  /** Every environment variable. */
  readonly env: Readonly<Record<string, string>>;
  /** The id to give the event (see `HookContext.eventId`). */
  readonly eventId?: string;
}

/** Whether a variable fits what the daemon takes (longer ones are not forwarded). */
function withinEnvLimits(name: string, value: string): boolean {
  return name.length <= EVENT_LIMITS.maxEnvNameChars &&
    value.length <= EVENT_LIMITS.maxEnvValueChars;
}

/** The payload's `cwd`, read only when nothing else names the project. */
function payloadCwd(bytes: Uint8Array): unknown {
  try {
    return (JSON.parse(new TextDecoder().decode(bytes)) as { cwd?: unknown })?.cwd;
  } catch {
    // Bad JSON is the daemon's to report; the working directory stands in.
    return undefined;
  }
}

/**
 * Builds the context sent with an event, and the project it is for.
 *
 * @param stdin The event as read from stdin.
 * @param invocation The hook's flags and environment.
 * @param now The current time in milliseconds since the epoch.
 * @returns The context, the project directory the hook chose, and whether that project has
 * a state folder of its own (`.claude/ntfy-service/`).
 * @throws {Deno.errors.PermissionDenied} when the project's config file exists but cannot
 * be read.
 *
 * @example
 * ```ts
 * import { hookContext } from "./hook_context.ts";
 *
 * const { context } = hookContext(
 *   { bytes: new TextEncoder().encode("{}"), truncated: false, timedOut: false },
 *   { cwd: "/nonexistent/app", env: { NTFY_TOPIC: "alerts", PATH: "/usr/bin" } },
 *   1_700_000_000_000,
 * );
 * console.log(context.env); // { NTFY_TOPIC: "alerts" }
 * ```
 */
export function hookContext(
  stdin: HookStdin,
  invocation: HookInvocation,
  now: number,
): { context: HookContext; projectDir: string | undefined; projectHasStateDir: boolean } {
  const projectDir = resolveProjectDir({
    flag: invocation.projectDir,
    payloadCwd: invocation.projectDir ? undefined : payloadCwd(stdin.bytes),
    cwd: invocation.cwd,
  });
  const env: Record<string, string> = {};
  let forwarded = 0;
  const all = invocation.env;
  // `for…in`, not `Object.entries`: the entries' arrays and iterator cost the hook about
  // 0.1–0.3 ms on every event, most of it the first use of the machinery.
  for (const name in all) {
    // The prefixes first: cheaper than the pattern for the many variables that are not ours.
    if (!(name.startsWith("NTFY_") || name.startsWith("CLAUDE_NTFY_"))) continue;
    const value = all[name]!;
    // Within the daemon's limits: one odd variable must not get every event refused.
    if (!isForwardedEnvName(name) || !withinEnvLimits(name, value)) continue;
    if (forwarded++ === EVENT_LIMITS.maxEnvEntries) break;
    env[name] = value;
  }
  const project = projectDir === undefined ? undefined : findProjectFiles(projectDir);
  const projectConfig = project?.config;
  const context: HookContext = {
    cwd: invocation.cwd,
    env,
    receivedAt: now,
    ...(invocation.eventId ? { eventId: invocation.eventId } : {}),
    ...(invocation.hookName ? { hookName: invocation.hookName } : {}),
    ...(invocation.projectDir ? { projectDir: invocation.projectDir } : {}),
    ...(stdin.truncated || stdin.timedOut ? { truncated: true } : {}),
    ...(projectConfig === undefined ? {} : { projectConfig }),
  };
  return { context, projectDir, projectHasStateDir: project?.hasStateDir ?? false };
}
