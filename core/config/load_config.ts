/**
 * Loading the configuration: defaults < global file < project file < environment < flags.
 *
 * @module
 */

import { parse } from "smol-toml";
import { type Config, type ConfigLayer, defaultConfig } from "./config.ts";
import { ConfigError } from "./config_error.ts";
import { checkLayer, mergeLayer } from "./_layer.ts";
import { envConfig } from "./env_config.ts";
import { globalConfigPath, projectConfigPath } from "./config_paths.ts";
import { errorMessage } from "../../protocol/error_message.ts";

/** Options for {@linkcode loadConfig}. */
export interface LoadConfigOptions {
  /** The project directory; its config file is read if it exists. */
  projectDir?: string;
  /** The home directory, for the global config file. */
  homeDir: string;
  /** Environment variables (see `CONFIG_ENV_VARS`). */
  env: (name: string) => string | undefined;
  /** Values from command-line flags, the highest precedence. */
  overrides?: ConfigLayer;
  /**
   * Reads a file, returning `null` when it does not exist.
   * @default {readTextFileOrNull}
   */
  readTextFile?: (path: string) => string | null;
}

/** The loaded configuration. */
export interface LoadedConfig {
  /** The effective configuration. */
  config: Config;
  /** Unknown keys and similar problems that did not stop loading. */
  warnings: string[];
  /** The config files that were read, lowest precedence first. */
  files: string[];
}

/**
 * Reads a text file synchronously; `null` when it does not exist.
 *
 * @throws {ConfigError} `CONFIG_UNREADABLE` when it exists but cannot be read.
 *
 * @example
 * ```ts
 * import { readTextFileOrNull } from "./load_config.ts";
 *
 * console.log(readTextFileOrNull("/no/such/file.toml")); // null
 * ```
 */
export function readTextFileOrNull(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw new ConfigError(
      "CONFIG_UNREADABLE",
      `Cannot read config ${path}: ${errorMessage(error)}`,
      { file: path, cause: error },
    );
  }
}

/**
 * Parses and checks the text of one config file into a layer.
 *
 * @throws {ConfigError} `CONFIG_SYNTAX` for invalid TOML, `CONFIG_INVALID` for a bad value;
 * both name the file and the line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfigText } from "./load_config.ts";
 *
 * const { layer } = parseConfigText('[ntfy]\ndefault_topic = "https://ntfy.example.com/alerts"\n', "/c.toml");
 * assert.deepEqual(layer.ntfy?.server_url, "https://ntfy.example.com");
 * assert.deepEqual(layer.ntfy?.default_topic, "alerts");
 * ```
 */
export function parseConfigText(
  text: string,
  file: string,
): { layer: ConfigLayer; warnings: string[] } {
  let raw: Record<string, unknown>;
  try {
    raw = parse(text) as Record<string, unknown>;
  } catch (error) {
    const { line, column } = error as { line?: number; column?: number };
    // The message's first line has no source text, so no secret can leak from it.
    const reason = errorMessage(error).split("\n")[0]
      .replace(/^Invalid TOML document: /, "");
    const at = line === undefined ? "" : `:${line}${column === undefined ? "" : `:${column}`}`;
    throw new ConfigError("CONFIG_SYNTAX", `Invalid TOML in ${file}${at}: ${reason}`, {
      file,
      line,
      cause: error,
    });
  }
  return checkLayer(raw, { file, text });
}

/**
 * Loads the effective configuration. Files that do not exist are skipped, so with no
 * files and no environment the result is the defaults and no TOML is parsed.
 *
 * @throws {ConfigError} for unreadable files, invalid TOML, wrong types and bad
 * environment variables. Secrets never appear in messages.
 *
 * @example Environment over defaults, no files
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "./load_config.ts";
 *
 * const env: Record<string, string> = { CLAUDE_NTFY_TOPIC: "https://ntfy.example.com/alerts" };
 * const { config, files } = loadConfig({
 *   homeDir: "/home/me",
 *   env: (name) => env[name],
 *   readTextFile: () => null,
 * });
 * assert.deepEqual(config.ntfy.server_url, "https://ntfy.example.com");
 * assert.deepEqual(config.ntfy.default_topic, "alerts");
 * assert.deepEqual(files, []);
 * ```
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const read = options.readTextFile ?? readTextFileOrNull;
  const config = defaultConfig();
  const warnings: string[] = [];
  const files: string[] = [];
  const paths = [globalConfigPath(options.homeDir)];
  if (options.projectDir !== undefined && options.projectDir !== "") {
    const project = projectConfigPath(options.projectDir);
    if (project !== paths[0]) paths.push(project);
  }
  for (const path of paths) {
    const text = read(path);
    if (text === null) continue;
    files.push(path);
    if (text.trim() === "") continue;
    const checked = parseConfigText(text, path);
    warnings.push(...checked.warnings);
    mergeLayer(config, checked.layer);
  }
  const env = envConfig(options.env);
  warnings.push(...env.warnings);
  mergeLayer(config, env.layer);
  if (options.overrides !== undefined) {
    const flags = checkLayer(options.overrides as Record<string, unknown>, {});
    warnings.push(...flags.warnings);
    mergeLayer(config, flags.layer);
  }
  const ntfy = config.ntfy;
  if (ntfy.auth_token === undefined && ntfy.username !== undefined && ntfy.password === undefined) {
    throw new ConfigError(
      "CONFIG_INVALID",
      "Invalid config: ntfy.password must be set in the same place as ntfy.username",
      { key: "ntfy.password" },
    );
  }
  return { config, warnings, files };
}
