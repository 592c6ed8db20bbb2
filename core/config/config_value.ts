/**
 * Reading and parsing single configuration values by key path, for `config get` and
 * `config set`.
 *
 * @module
 */

import type { Config } from "./config.ts";
import { ConfigError } from "./config_error.ts";
import {
  checkValue,
  coerceText,
  FIELDS,
  type FieldSpec,
  MAPS,
  SECTIONS,
  showValue,
} from "./_schema.ts";
import { checkLayer } from "./_layer.ts";

/** A value a key can hold in the file. */
export type ConfigValue = string | number | boolean | string[];

/**
 * Every settable key pattern: the scalar keys, and `<table>.<Name>` for per-event tables.
 *
 * @example
 * ```ts
 * import { configKeys } from "./config_value.ts";
 *
 * console.log(configKeys().includes("ntfy.timeout_secs")); // true
 * ```
 */
export function configKeys(): string[] {
  return [...Object.keys(FIELDS), ...Object.keys(MAPS).map((map) => `${map}.<Name>`)];
}

/** Whether a key holds a secret (`ntfy.auth_token`, `ntfy.password`). */
export function isSecretKey(key: string): boolean {
  return FIELDS[key]?.secret === true;
}

function unknownKey(key: string): ConfigError {
  return new ConfigError(
    "CONFIG_UNKNOWN_KEY",
    `Unknown config key "${key}": run "claude-ntfy config --help" for the list`,
    { key },
  );
}

function specFor(key: string): FieldSpec {
  const spec = FIELDS[key];
  if (spec !== undefined) return spec;
  const dot = key.lastIndexOf(".");
  const kind = dot > 0 ? MAPS[key.slice(0, dot)] : undefined;
  if (kind !== undefined && key.slice(dot + 1) !== "") return { kind };
  throw unknownKey(key);
}

/**
 * The value at a key path: a section (`ntfy`), a key (`ntfy.server_url`), a per-event
 * table (`hooks.topics`) or one of its entries (`hooks.topics.Stop`, `undefined` when
 * absent).
 *
 * @throws {ConfigError} `CONFIG_UNKNOWN_KEY` for a key that is not in the schema.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultConfig } from "./config.ts";
 * import { getConfigValue } from "./config_value.ts";
 *
 * assert.deepEqual(getConfigValue(defaultConfig(), "hooks.events.Stop"), true);
 * ```
 */
export function getConfigValue(config: Config, key: string): unknown {
  const parts = key.split(".");
  const section = parts[0];
  if (!(SECTIONS as readonly string[]).includes(section)) throw unknownKey(key);
  const values = config[section as keyof Config] as unknown as Record<string, unknown>;
  if (parts.length === 1) return values;
  const name = `${section}.${parts[1]}`;
  if (parts.length === 2 && (FIELDS[name] !== undefined || MAPS[name] !== undefined)) {
    return values[parts[1]];
  }
  if (parts.length >= 3 && MAPS[name] !== undefined) {
    return (values[parts[1]] as Record<string, unknown>)[parts.slice(2).join(".")];
  }
  throw unknownKey(key);
}

/**
 * Parses command-line text into the typed value a key holds: `"true"` for booleans,
 * numbers, `"a,b"` (or a JSON array) for lists, priority names for priorities.
 *
 * @throws {ConfigError} `CONFIG_UNKNOWN_KEY` or `CONFIG_INVALID` (never showing secrets).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfigValue } from "./config_value.ts";
 *
 * assert.deepEqual(parseConfigValue("ntfy.timeout_secs", "20"), 20);
 * assert.deepEqual(parseConfigValue("hooks.filters.PreToolUse", "!Read,!Grep"), ["!Read", "!Grep"]);
 * ```
 */
export function parseConfigValue(key: string, text: string): ConfigValue {
  const spec = specFor(key);
  const value = coerceText(spec.kind, text);
  const checked = checkValue(spec, value);
  if (!checked.ok) {
    throw new ConfigError(
      "CONFIG_INVALID",
      `Invalid value: ${key} must be ${checked.expected}${showValue(spec, value)}`,
      { key },
    );
  }
  // Runs the same checks as loading (topics, filters), so a bad value is never written.
  const [section, field, ...rest] = key.split(".");
  const raw = rest.length === 0
    ? { [section]: { [field]: checked.value } }
    : { [section]: { [field]: { [rest.join(".")]: checked.value } } };
  checkLayer(raw, { label: () => "Invalid value" });
  return checked.value as ConfigValue;
}
