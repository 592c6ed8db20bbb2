/**
 * Where the config files live.
 *
 * @module
 */

/** The config file's path relative to a project or the home directory. */
export const CONFIG_FILE = ".claude/ntfy-service/config.toml";

function join(dir: string, file: string): string {
  return `${dir.replace(/\/+$/, "")}/${file}`;
}

/**
 * The global config file: `~/.claude/ntfy-service/config.toml`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { globalConfigPath } from "./config_paths.ts";
 *
 * assert.deepEqual(globalConfigPath("/home/me"), "/home/me/.claude/ntfy-service/config.toml");
 * ```
 */
export function globalConfigPath(homeDir: string): string {
  return join(homeDir, CONFIG_FILE);
}

/**
 * A project's config file: `<project>/.claude/ntfy-service/config.toml`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectConfigPath } from "./config_paths.ts";
 *
 * assert.deepEqual(projectConfigPath("/src/webapp"), "/src/webapp/.claude/ntfy-service/config.toml");
 * ```
 */
export function projectConfigPath(projectDir: string): string {
  return join(projectDir, CONFIG_FILE);
}
