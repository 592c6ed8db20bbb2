/**
 * The error raised for configuration that cannot be used.
 *
 * @module
 */

/** Stable codes carried by {@linkcode ConfigError}. */
export const ConfigErrorCode = {
  /** A config file is not valid TOML. */
  Syntax: "CONFIG_SYNTAX",
  /** A value has the wrong type or is out of range (file, environment or flag). */
  Invalid: "CONFIG_INVALID",
  /** A config file exists but cannot be read. */
  Unreadable: "CONFIG_UNREADABLE",
  /** A key given to `config get`/`config set` is not a configuration key. */
  UnknownKey: "CONFIG_UNKNOWN_KEY",
  /** No ntfy topic is configured, so there is nowhere to send. */
  NoTopic: "CONFIG_NO_TOPIC",
} as const;

/** One of the codes in {@linkcode ConfigErrorCode}. */
export type ConfigErrorCode = typeof ConfigErrorCode[keyof typeof ConfigErrorCode];

/** Where a {@linkcode ConfigError} comes from, when known. */
export interface ConfigErrorDetails {
  /** The config file. */
  file?: string;
  /** The 1-based line in that file. */
  line?: number;
  /** The key path, e.g. `ntfy.timeout_secs`. */
  key?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * Configuration that cannot be used. The message names the file, the line and the key
 * where known, and never contains a secret.
 *
 * @example
 * ```ts
 * import { ConfigError } from "./config_error.ts";
 *
 * const error = new ConfigError("CONFIG_INVALID", "Invalid config /c.toml:7: ntfy.timeout_secs must be a positive number, got \"ten\"", { line: 7 });
 * console.log(error.code, error.line); // CONFIG_INVALID 7
 * ```
 */
export class ConfigError extends Error {
  /** A stable code from {@linkcode ConfigErrorCode}. */
  readonly code: ConfigErrorCode;
  /** The config file, if the error comes from one. */
  readonly file: string | undefined;
  /** The 1-based line, if known. */
  readonly line: number | undefined;
  /** The key path, if known. */
  readonly key: string | undefined;

  /** Creates a configuration error. */
  constructor(code: ConfigErrorCode, message: string, details: ConfigErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ConfigError";
    this.code = code;
    this.file = details.file;
    this.line = details.line;
    this.key = details.key;
  }
}
