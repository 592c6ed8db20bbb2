/**
 * Configuration from environment variables.
 *
 * @module
 */

import type { ConfigLayer } from "./config.ts";
import { ConfigError } from "./config_error.ts";
import { checkLayer } from "./_layer.ts";
import { coerceText, FIELDS } from "./_schema.ts";

/** One environment variable and the key it sets. */
export interface EnvVariable {
  /** The variable's name. */
  readonly name: string;
  /** The config key it sets (`ntfy.username` stands for `username` and `password`). */
  readonly key: string;
  /** One line for `--help` and the README. */
  readonly description: string;
}

/**
 * Every environment variable read, highest precedence first where two set the same key
 * (`CLAUDE_NTFY_TOKEN` over `NTFY_TOKEN`, `CLAUDE_NTFY_USER` over `NTFY_USER`). Empty
 * values are ignored. The environment beats both config files; flags beat it.
 */
export const CONFIG_ENV_VARS: readonly EnvVariable[] = [
  { name: "CLAUDE_NTFY_SERVER", key: "ntfy.server_url", description: "ntfy server URL" },
  {
    name: "CLAUDE_NTFY_TOPIC",
    key: "ntfy.default_topic",
    description: "default topic, or a full topic URL (sets the server too)",
  },
  { name: "CLAUDE_NTFY_PRIORITY", key: "ntfy.default_priority", description: "1-5 or min..max" },
  { name: "CLAUDE_NTFY_TAGS", key: "ntfy.default_tags", description: "comma-separated tags" },
  { name: "CLAUDE_NTFY_TOKEN", key: "ntfy.auth_token", description: "access token" },
  { name: "NTFY_TOKEN", key: "ntfy.auth_token", description: "access token (ntfy CLI's)" },
  { name: "CLAUDE_NTFY_USER", key: "ntfy.username", description: "basic auth as user:pass" },
  { name: "NTFY_USER", key: "ntfy.username", description: "basic auth as user:pass (ntfy CLI's)" },
  { name: "CLAUDE_NTFY_SEND_FORMAT", key: "ntfy.send_format", description: "json or text" },
  { name: "CLAUDE_NTFY_TIMEOUT", key: "ntfy.timeout_secs", description: "seconds" },
  { name: "CLAUDE_NTFY_SEQUENCE", key: "ntfy.sequence", description: "auto, on or off" },
  {
    name: "CLAUDE_NTFY_ENABLED",
    key: "hooks.enabled",
    description: "0 mutes every notification, 1 unmutes",
  },
  { name: "CLAUDE_NTFY_SOCKET", key: "daemon.socket_path", description: "daemon socket path" },
  { name: "CLAUDE_NTFY_LOG_LEVEL", key: "daemon.log_level", description: "error..trace" },
  { name: "CLAUDE_NTFY_LOG_PATH", key: "daemon.log_path", description: "daemon log file" },
  {
    name: "CLAUDE_NTFY_AUTOSTART",
    key: "daemon.autostart",
    description: "0 stops hooks from starting the daemon",
  },
];

/**
 * Reads {@linkcode CONFIG_ENV_VARS} into a configuration layer.
 *
 * @throws {ConfigError} `CONFIG_INVALID` naming the variable when a value is unusable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { envConfig } from "./env_config.ts";
 *
 * const env: Record<string, string> = { NTFY_USER: "alice:s3cret", CLAUDE_NTFY_PRIORITY: "high" };
 * const { layer } = envConfig((name) => env[name]);
 * assert.deepEqual(layer.ntfy?.username, "alice");
 * assert.deepEqual(layer.ntfy?.default_priority, 4);
 * ```
 */
export function envConfig(env: (name: string) => string | undefined): {
  layer: ConfigLayer;
  warnings: string[];
} {
  const raw: Record<string, Record<string, unknown>> = {};
  const origin = new Map<string, string>();
  for (const variable of CONFIG_ENV_VARS) {
    const value = env(variable.name);
    if (value === undefined || value === "" || origin.has(variable.key)) continue;
    origin.set(variable.key, variable.name);
    const [section, key] = variable.key.split(".");
    raw[section] ??= {};
    if (variable.key === "ntfy.username") {
      const colon = value.indexOf(":");
      if (colon <= 0) {
        throw new ConfigError(
          "CONFIG_INVALID",
          `Invalid environment variable ${variable.name}: must be user:pass`,
          { key: variable.key },
        );
      }
      raw[section].username = value.slice(0, colon);
      raw[section].password = value.slice(colon + 1);
      origin.set("ntfy.password", variable.name);
      continue;
    }
    raw[section][key] = coerceText(FIELDS[variable.key].kind, value);
  }
  const { layer, warnings } = checkLayer(raw, {
    label: (key) => `Invalid environment variable ${origin.get(key) ?? key}`,
  });
  return { layer, warnings };
}
