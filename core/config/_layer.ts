/**
 * Checking one layer of raw configuration (a parsed file, the environment, flags) and
 * merging layers over the defaults.
 *
 * @module
 */

import type { Config, ConfigLayer } from "./config.ts";
import { ConfigError } from "./config_error.ts";
import { checkValue, FIELDS, MAPS, SECTIONS, showValue } from "./_schema.ts";
import { TOPIC_PATTERN } from "../../protocol/mod.ts";
import { findKeyLine } from "./_toml_lines.ts";
import { splitTopicUrl } from "./topic_url.ts";
import { KNOWN_HOOK_EVENTS } from "../events/hook_event.ts";

/** Where a layer came from, for messages. */
export interface LayerSource {
  /** The config file, for file layers. */
  readonly file?: string;
  /** The file's text, to find line numbers. */
  readonly text?: string;
  /** For other layers: the message prefix for a key, e.g. `Invalid environment variable X`. */
  readonly label?: (key: string) => string;
}

/** A checked layer and the warnings raised while checking it. */
export interface CheckedLayer {
  readonly layer: ConfigLayer;
  readonly warnings: string[];
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Date);
}

function where(source: LayerSource, path: string[]): { prefix: string; line?: number } {
  const key = path.join(".");
  if (source.file === undefined) return { prefix: source.label?.(key) ?? "Invalid option" };
  const line = source.text === undefined ? undefined : findKeyLine(source.text, path);
  return {
    prefix: `Invalid config ${source.file}${line === undefined ? "" : `:${line}`}`,
    line,
  };
}

function invalid(source: LayerSource, path: string[], detail: string): ConfigError {
  const { prefix, line } = where(source, path);
  const key = path.join(".");
  return new ConfigError("CONFIG_INVALID", `${prefix}: ${key} ${detail}`, {
    file: source.file,
    line,
    key,
  });
}

function unknown(source: LayerSource, path: string[], hint = ""): string {
  const key = path.join(".");
  if (source.file === undefined) return `Unknown config key "${key}"${hint} (ignored)`;
  const line = source.text === undefined ? undefined : findKeyLine(source.text, path);
  return `Unknown config key "${key}" in ${source.file}${
    line === undefined ? "" : `:${line}`
  }${hint} (ignored)`;
}

function checkEventName(
  source: LayerSource,
  path: string[],
  name: string,
  warnings: string[],
): void {
  if (name === "*" || name === "generic" || KNOWN_HOOK_EVENTS.includes(name)) return;
  const match = KNOWN_HOOK_EVENTS.find((event) => event.toLowerCase() === name.toLowerCase());
  if (match !== undefined) {
    const line = source.text === undefined ? undefined : findKeyLine(source.text, path);
    const at = source.file === undefined ? "" : ` in ${source.file}${line ? `:${line}` : ""}`;
    warnings.push(
      `Config key "${
        path.join(".")
      }"${at} names no event (event names are case-sensitive): did you mean "${match}"?`,
    );
  }
}

/**
 * Checks a raw layer: unknown keys become warnings, wrong types a {@linkcode ConfigError}
 * naming the file, line and key. A topic given as a URL also sets the server.
 */
export function checkLayer(raw: Record<string, unknown>, source: LayerSource): CheckedLayer {
  const warnings: string[] = [];
  const layer: Record<string, Record<string, unknown>> = {};
  for (const [section, sectionValue] of Object.entries(raw)) {
    if (!(SECTIONS as readonly string[]).includes(section)) {
      warnings.push(unknown(source, [section]));
      continue;
    }
    if (!isTable(sectionValue)) throw invalid(source, [section], "must be a table");
    const out: Record<string, unknown> = {};
    layer[section] = out;
    for (const [key, value] of Object.entries(sectionValue)) {
      const name = `${section}.${key}`;
      const spec = FIELDS[name];
      const mapKind = MAPS[name];
      if (spec !== undefined) {
        if (spec.optional && value === "") {
          out[key] = undefined;
          continue;
        }
        const checked = checkValue(spec, value);
        if (!checked.ok) {
          throw invalid(
            source,
            [section, key],
            `must be ${checked.expected}${showValue(spec, value)}`,
          );
        }
        out[key] = checked.value;
        if (name === "ntfy.default_topic") normaliseTopic(source, out, checked.value as string);
      } else if (mapKind !== undefined) {
        if (!isTable(value)) throw invalid(source, [section, key], "must be a table");
        const map: Record<string, unknown> = {};
        for (const [entry, entryValue] of Object.entries(value)) {
          const path = [section, key, entry];
          const checked = checkValue({ kind: mapKind }, entryValue);
          if (!checked.ok) {
            throw invalid(
              source,
              path,
              `must be ${checked.expected}${showValue(undefined, entryValue)}`,
            );
          }
          if (name === "hooks.topics") checkTopic(source, path, checked.value as string);
          if (
            name === "hooks.filters" &&
            (checked.value as string[]).some((f) => f === "" || f === "!")
          ) {
            throw invalid(source, path, "must not hold empty names");
          }
          if (section === "hooks" || key !== "variables") {
            checkEventName(source, path, entry, warnings);
          }
          map[entry] = checked.value;
        }
        out[key] = map;
      } else {
        warnings.push(unknown(source, [section, key]));
      }
    }
  }
  return { layer: layer as ConfigLayer, warnings };
}

function checkTopic(source: LayerSource, path: string[], topic: string): void {
  if (TOPIC_PATTERN.test(topic)) return;
  const location = splitTopicUrl(topic);
  if (location !== undefined && TOPIC_PATTERN.test(location.topic)) return;
  throw invalid(
    source,
    path,
    `must be a topic name (letters, digits, - and _, at most 64) or a topic URL${
      showValue(undefined, topic)
    }`,
  );
}

function normaliseTopic(source: LayerSource, out: Record<string, unknown>, topic: string): void {
  if (topic === "") return;
  checkTopic(source, ["ntfy", "default_topic"], topic);
  const location = splitTopicUrl(topic);
  if (location === undefined) return;
  out.server_url = location.serverUrl;
  out.default_topic = location.topic;
}

const AUTH_KEYS = ["auth_token", "username", "password"] as const;

/**
 * Merges a layer over a configuration (which it changes and returns). Scalars replace,
 * per-event tables merge key by key. Credentials are taken as a unit: a layer that sets
 * any of `auth_token`, `username`, `password` replaces all three.
 */
export function mergeLayer(config: Config, layer: ConfigLayer): Config {
  for (const section of SECTIONS) {
    const values = layer[section] as Record<string, unknown> | undefined;
    if (values === undefined) continue;
    const target = config[section] as unknown as Record<string, unknown>;
    if (section === "ntfy" && AUTH_KEYS.some((key) => key in values)) {
      for (const key of AUTH_KEYS) delete target[key];
    }
    for (const [key, value] of Object.entries(values)) {
      if (MAPS[`${section}.${key}`] !== undefined) {
        target[key] = { ...(target[key] as Record<string, unknown>), ...(value as object) };
      } else if (value === undefined) delete target[key];
      else target[key] = value;
    }
  }
  return config;
}
