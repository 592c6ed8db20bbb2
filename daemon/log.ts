/**
 * A small structured logger with levels. Lines look like
 * `2026-11-24T08:00:00.000Z INFO delivered id=ab-1 topic=alerts ms=3`.
 * Values listed as secrets are masked wherever they appear (see `redactSecrets`).
 *
 * @module
 */

import { redactSecrets } from "../core/ntfy/redact.ts";

/** Log levels, most severe first. */
export const LOG_LEVELS = ["error", "warn", "info", "debug"] as const;

/** One of {@linkcode LOG_LEVELS}. */
export type LogLevel = typeof LOG_LEVELS[number];

/** Key-value details attached to a log line. */
export type LogFields = Record<string, string | number | boolean | undefined | null>;

/** Where log lines go. */
export type LogSink = (line: string) => void;

/** Parses a level name, falling back to `info` for anything unknown. */
export function parseLogLevel(value: string | undefined): LogLevel {
  const lower = value?.toLowerCase();
  if (lower === "trace") return "debug";
  return (LOG_LEVELS as readonly string[]).includes(lower ?? "") ? lower as LogLevel : "info";
}

function formatValue(value: string | number | boolean): string {
  const text = String(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

/**
 * A leveled logger writing one line per event to a sink.
 *
 * @example
 * ```ts
 * import { Logger } from "./log.ts";
 *
 * const lines: string[] = [];
 * const log = new Logger({ level: "info", sink: (line) => lines.push(line) });
 * log.addSecret("tk_secret");
 * log.warn("publish failed", { error: "bad token tk_secret" });
 * console.log(lines[0]?.includes("tk_secret")); // false
 * ```
 */
export class Logger {
  #level: LogLevel;
  #sink: LogSink;
  readonly #secrets = new Set<string>();
  readonly #clock: () => Date;

  /** Creates a logger. */
  constructor(options: { level?: LogLevel; sink: LogSink; clock?: () => Date }) {
    this.#level = options.level ?? "info";
    this.#sink = options.sink;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** The current level. */
  get level(): LogLevel {
    return this.#level;
  }

  /** Changes the level (on reload). */
  setLevel(level: LogLevel): void {
    this.#level = level;
  }

  /** Replaces the sink (e.g. when switching to a log file). */
  setSink(sink: LogSink): void {
    this.#sink = sink;
  }

  /** Registers a value that must never appear in a log line. Short values are ignored. */
  addSecret(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.#secrets.add(secret);
  }

  /** Whether lines at `level` are written. */
  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(this.#level);
  }

  /** Logs at error level. */
  error(message: string, fields?: LogFields): void {
    this.#write("error", message, fields);
  }

  /** Logs at warn level. */
  warn(message: string, fields?: LogFields): void {
    this.#write("warn", message, fields);
  }

  /** Logs at info level. */
  info(message: string, fields?: LogFields): void {
    this.#write("info", message, fields);
  }

  /** Logs at debug level. */
  debug(message: string, fields?: LogFields): void {
    this.#write("debug", message, fields);
  }

  #write(level: LogLevel, message: string, fields?: LogFields): void {
    if (!this.enabled(level)) return;
    let line = `${this.#clock().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}`;
    for (const [key, value] of Object.entries(fields ?? {})) {
      if (value !== undefined && value !== null) line += ` ${key}=${formatValue(value)}`;
    }
    if (this.#secrets.size > 0) line = redactSecrets(line, [...this.#secrets]);
    this.#sink(line + "\n");
  }
}
