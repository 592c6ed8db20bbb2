/**
 * Hook intake: reading the event from stdin within size and time limits, parsing it,
 * resolving it against the configuration into a `NotificationTask`, and describing a
 * task for `--dry-run`.
 *
 * @example
 * ```ts
 * import { parseHookInput, resolveNotification } from "./mod.ts";
 * import { defaultConfig } from "../config/config.ts";
 *
 * const config = defaultConfig();
 * config.ntfy.default_topic = "claude-alerts";
 * const event = parseHookInput(new TextEncoder().encode('{"hook_event_name":"Stop","cwd":"/src/app"}'));
 * const result = resolveNotification(event, config, { now: Date.now() });
 * console.log(result.kind); // send
 * ```
 *
 * @module
 */

export * from "./describe_task.ts";
export * from "./hook_event.ts";
export * from "./hook_input_error.ts";
export * from "./parse_hook_input.ts";
export * from "./resolve_notification.ts";
export * from "./resolve_project_dir.ts";
