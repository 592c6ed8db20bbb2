/**
 * A `ConfigForEvent` over a global config held in memory, as the daemon resolves events:
 * the project file is only the bytes the event carries, the variables only the event's.
 * It records each call so tests can check which project the configuration was asked for.
 *
 * @module
 */

import type { HookContext } from "../../protocol/mod.ts";
import type { ConfigForEvent } from "../../core/events/resolve_hook_event.ts";
import { globalConfigPath, projectConfigPath } from "../../core/config/config_paths.ts";
import { loadConfig } from "../../core/config/load_config.ts";

/** The home folder the in-memory global config pretends to live in. */
export const MEMORY_HOME = "/home/test";

/** A recording {@linkcode ConfigForEvent}. */
export interface MemoryConfigFor {
  /** Pass this as `configFor`. */
  readonly configFor: ConfigForEvent;
  /** Every call, in order. */
  readonly calls: Array<{ projectDir: string | undefined; context: HookContext }>;
}

/**
 * A configuration source with `globalToml` as the global config file (none when omitted).
 *
 * @example
 * ```ts ignore
 * const { configFor, calls } = memoryConfigFor('[ntfy]\ndefault_topic = "alerts"\n');
 * ```
 */
export function memoryConfigFor(globalToml?: string): MemoryConfigFor {
  const calls: MemoryConfigFor["calls"] = [];
  const configFor: ConfigForEvent = (projectDir, context) => {
    calls.push({ projectDir, context });
    const projectPath = projectDir === undefined ? undefined : projectConfigPath(projectDir);
    return loadConfig({
      homeDir: MEMORY_HOME,
      projectDir,
      env: (name) => context.env[name],
      readTextFile: (path) => {
        if (path === globalConfigPath(MEMORY_HOME)) return globalToml ?? null;
        if (path === projectPath && context.projectConfig !== undefined) {
          return new TextDecoder().decode(context.projectConfig);
        }
        return null;
      },
    });
  };
  return { configFor, calls };
}
