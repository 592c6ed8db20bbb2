/**
 * From a raw hook event and the hook's context to a notification task, or the reason for
 * none: the one resolution the daemon runs for every event and `hook --dry-run` runs
 * locally, so that a dry run shows exactly what the daemon would send.
 *
 * @module
 */

import type { HookContext } from "../../protocol/mod.ts";
import type { Config } from "../config/config.ts";
import type { LoadedConfig } from "../config/load_config.ts";
import type { SessionVariables } from "../templates/template_variables.ts";
import type { HookEvent } from "./hook_event.ts";
import { parseHookInput } from "./parse_hook_input.ts";
import { resolveProjectDir } from "./resolve_project_dir.ts";
import { type Resolution, resolveNotification } from "./resolve_notification.ts";

/** A parsed event and its project (see {@linkcode parseHookEvent}). */
export interface ParsedHookEvent {
  /** The parsed event. */
  readonly event: HookEvent;
  /** The project the event belongs to. */
  readonly projectDir: string | undefined;
}

/** What {@linkcode resolveHookEvent} found. */
export interface HookEventResolution extends ParsedHookEvent {
  /** A task to send, or the reason nothing is sent. */
  readonly resolution: Resolution;
  /** Warnings from loading the configuration (unknown keys and the like). */
  readonly configWarnings: readonly string[];
  /** The configuration the event resolved with (shared: treat it as read-only). */
  readonly config: Config;
}

/**
 * The configuration for one event: files, the hook's forwarded variables and, when the
 * hook sent one, the project's config file.
 */
export type ConfigForEvent = (projectDir: string | undefined, context: HookContext) => LoadedConfig;

/**
 * Parses the payload, finds the project, loads the configuration for it and resolves the
 * notification.
 *
 * @param payload The hook's stdin, unparsed.
 * @param context What the hook process knew.
 * @param configFor Loads the configuration for the event's project.
 * @returns The event, its project, the resolution and the config warnings.
 * @throws {HookInputError} when the payload is not a usable hook event.
 * @throws {ConfigError} when the configuration is invalid or names no topic.
 *
 * @example Resolve a Stop event with a configuration from memory
 * ```ts
 * import { resolveHookEvent } from "./resolve_hook_event.ts";
 * import { loadConfig } from "../config/load_config.ts";
 *
 * const payload = new TextEncoder().encode('{"hook_event_name":"Stop","cwd":"/src/app"}');
 * const context = { cwd: "/src/app", env: { CLAUDE_NTFY_TOPIC: "alerts" }, receivedAt: 0 };
 * const { resolution } = resolveHookEvent(payload, context, (projectDir, { env }) =>
 *   loadConfig({ homeDir: "/home/me", projectDir, env: (name) => env[name], readTextFile: () => null })
 * );
 * console.log(resolution.kind === "send" ? resolution.task.target.topic : resolution.reason); // "alerts"
 * ```
 */
export function resolveHookEvent(
  payload: Uint8Array,
  context: HookContext,
  configFor: ConfigForEvent,
): HookEventResolution {
  return resolveParsedEvent(parseHookEvent(payload, context), context, configFor);
}

/**
 * The first half of {@linkcode resolveHookEvent}: the event and its project.
 *
 * @throws {HookInputError} when the payload is not a usable hook event.
 *
 * @example
 * ```ts
 * import { parseHookEvent } from "./resolve_hook_event.ts";
 *
 * const payload = new TextEncoder().encode('{"hook_event_name":"Stop","cwd":"/src/app"}');
 * const { event, projectDir } = parseHookEvent(payload, { cwd: "/", env: {}, receivedAt: 0 });
 * console.log(event.name, projectDir); // Stop /src/app
 * ```
 */
export function parseHookEvent(payload: Uint8Array, context: HookContext): ParsedHookEvent {
  const event = parseHookInput(payload, {
    hookName: context.hookName,
    truncated: context.truncated ?? false,
  });
  const projectDir = resolveProjectDir({
    flag: context.projectDir,
    payloadCwd: event.payload.cwd,
    cwd: context.cwd,
  });
  return { event, projectDir };
}

/**
 * The second half of {@linkcode resolveHookEvent}: loads the configuration for the
 * event's project and resolves its notification, with what the daemon knows of the
 * session when it passes `session`.
 *
 * @throws {ConfigError} when the configuration is invalid or names no topic.
 */
export function resolveParsedEvent(
  parsed: ParsedHookEvent,
  context: HookContext,
  configFor: ConfigForEvent,
  session?: SessionVariables,
): HookEventResolution {
  const { event, projectDir } = parsed;
  const loaded = configFor(projectDir, context);
  const resolution = resolveNotification(event, loaded.config, {
    projectDir,
    now: context.receivedAt,
    ...(session === undefined ? {} : { session }),
  });
  return { event, projectDir, resolution, configWarnings: loaded.warnings, config: loaded.config };
}
