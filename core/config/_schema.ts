/**
 * The table of configuration keys and the checks their values must pass. Shared by the
 * file loader, the environment, `config get`/`config set` and `init`.
 *
 * @module
 */

import { parsePriority } from "../ntfy/priority.ts";
import { TOPIC_PATTERN } from "../../protocol/task.ts";
import { errorMessage } from "../../protocol/error_message.ts";

/** The kinds of value a key can hold. */
export type FieldKind =
  | "string"
  | "boolean"
  | "priority"
  | "positive_number"
  | "positive_integer"
  | "non_negative_integer"
  | "non_negative_number"
  | "string_list"
  | "send_format"
  | "sequence_mode"
  | "log_level"
  | "server_url"
  | "topic"
  | "time_range"
  | "regex_list"
  | "delay"
  | "topic_name";

/** What a key accepts. */
export interface FieldSpec {
  readonly kind: FieldKind;
  /** Never shown in messages or by `config show`. */
  readonly secret?: boolean;
  /** Unset when absent; `""` also means unset. */
  readonly optional?: boolean;
  /** Inclusive upper bound for numbers. */
  readonly max?: number;
}

/** The longest hold `hooks.delay_secs` and `hooks.delays` accept: a day. */
export const MAX_DELAY_SECS = 86_400;

/** Every scalar key, by `section.key`. */
export const FIELDS: Readonly<Record<string, FieldSpec>> = {
  "ntfy.server_url": { kind: "server_url" },
  "ntfy.default_topic": { kind: "topic" },
  "ntfy.default_priority": { kind: "priority" },
  "ntfy.default_tags": { kind: "string_list" },
  "ntfy.auth_token": { kind: "string", secret: true, optional: true },
  "ntfy.username": { kind: "string", optional: true },
  "ntfy.password": { kind: "string", secret: true, optional: true },
  "ntfy.timeout_secs": { kind: "positive_number", max: 3600 },
  "ntfy.send_format": { kind: "send_format" },
  "ntfy.click": { kind: "string", optional: true },
  "ntfy.sequence": { kind: "sequence_mode" },
  "hooks.enabled": { kind: "boolean" },
  "hooks.never_filter_decision_hooks": { kind: "boolean" },
  "hooks.decision_hook_priority": { kind: "priority" },
  "hooks.delay_secs": { kind: "non_negative_number", max: MAX_DELAY_SECS },
  "hooks.quiet_hours": { kind: "time_range", optional: true },
  "hooks.notify_subagents": { kind: "boolean" },
  "redact.enabled": { kind: "boolean" },
  "redact.patterns": { kind: "regex_list" },
  "templates.use_custom": { kind: "boolean" },
  "daemon.enabled": { kind: "boolean" },
  "daemon.autostart": { kind: "boolean" },
  "daemon.socket_path": { kind: "string", optional: true },
  "daemon.log_level": { kind: "log_level" },
  "daemon.log_path": { kind: "string", optional: true },
  "daemon.max_queue_size": { kind: "positive_integer" },
  "daemon.retry_attempts": { kind: "non_negative_integer" },
  "daemon.retry_delay_secs": { kind: "non_negative_number" },
  "daemon.digest_after": { kind: "non_negative_integer" },
  "daemon.digest_window_secs": { kind: "positive_number", max: 3600 },
  "approval.enabled": { kind: "boolean" },
  "approval.timeout_secs": { kind: "positive_integer", max: 3600 },
  "approval.reply_topic": { kind: "topic_name", optional: true },
  "approval.reply_token": { kind: "string", secret: true, optional: true },
};

/** Every table of per-event (or per-name) values, by `section.key`, with the values' kind. */
export const MAPS: Readonly<Record<string, FieldKind>> = {
  "hooks.events": "boolean",
  "hooks.topics": "topic",
  "hooks.priorities": "priority",
  "hooks.filters": "string_list",
  "hooks.delays": "delay",
  "templates.variables": "string",
  "templates.custom_templates": "string",
  "templates.custom_titles": "string",
};

/** The sections of the file. */
export const SECTIONS = ["ntfy", "hooks", "templates", "daemon", "redact", "approval"] as const;

const LOG_LEVELS = ["error", "warn", "info", "debug", "trace"];

/** What each kind expects, worded to follow "must be". */
const EXPECTED: Readonly<Record<FieldKind, string>> = {
  string: "a string",
  boolean: "true or false",
  priority: "a priority from 1 to 5 (or min, low, default, high, max)",
  positive_number: "a positive number",
  positive_integer: "a positive integer",
  non_negative_integer: "an integer of 0 or more",
  non_negative_number: "a number of 0 or more",
  string_list: "a list of strings",
  send_format: `"json" or "text"`,
  sequence_mode: `"auto", "on" or "off"`,
  log_level: `one of "error", "warn", "info", "debug", "trace"`,
  server_url: "an http(s) URL",
  topic: "a topic name (letters, digits, - and _, at most 64) or a topic URL",
  time_range: 'a local time range "HH:MM-HH:MM" (e.g. "22:00-07:00"), or "" for none',
  regex_list: "a list of regular expressions",
  delay: `a number of seconds from 0 to ${MAX_DELAY_SECS}`,
  topic_name: "a topic name (letters, digits, - and _, at most 64)",
};

/** `HH:MM-HH:MM`, 24-hour clock. */
export const TIME_RANGE_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** The outcome of checking one value. */
export type Checked = { ok: true; value: unknown } | { ok: false; expected: string };

function fail(kind: FieldKind): Checked {
  return { ok: false, expected: EXPECTED[kind] };
}

/** Checks a typed value (from TOML or already coerced) against a kind and returns it normalised. */
export function checkValue(spec: FieldSpec, value: unknown): Checked {
  const kind = spec.kind;
  switch (kind) {
    case "string":
      return typeof value === "string" ? { ok: true, value } : fail(kind);
    case "boolean":
      return typeof value === "boolean" ? { ok: true, value } : fail(kind);
    case "priority": {
      const number = typeof value === "string" ? parsePriority(value) : value;
      return Number.isInteger(number) && (number as number) >= 1 && (number as number) <= 5
        ? { ok: true, value: number }
        : fail(kind);
    }
    case "positive_number":
    case "non_negative_number":
    case "positive_integer":
    case "non_negative_integer": {
      if (typeof value !== "number" || !Number.isFinite(value)) return fail(kind);
      if (kind.endsWith("integer") && !Number.isInteger(value)) return fail(kind);
      if (kind.startsWith("positive") ? value <= 0 : value < 0) return fail(kind);
      if (spec.max !== undefined && value > spec.max) {
        return { ok: false, expected: `at most ${spec.max}` };
      }
      return { ok: true, value };
    }
    case "string_list":
      return Array.isArray(value) && value.every((entry) => typeof entry === "string")
        ? { ok: true, value: [...value] }
        : fail(kind);
    case "send_format":
      return value === "json" || value === "text" ? { ok: true, value } : fail(kind);
    case "sequence_mode":
      return value === "auto" || value === "on" || value === "off"
        ? { ok: true, value }
        : fail(kind);
    case "log_level":
      return typeof value === "string" && LOG_LEVELS.includes(value)
        ? { ok: true, value }
        : fail(kind);
    case "server_url":
      return typeof value === "string" && /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(value)
        ? { ok: true, value: value.replace(/\/+$/, "") }
        : fail(kind);
    case "topic":
      return typeof value === "string" ? { ok: true, value } : fail(kind);
    case "time_range": {
      const match = typeof value === "string" ? TIME_RANGE_PATTERN.exec(value.trim()) : null;
      if (match === null) return fail(kind);
      if (match[1] === match[3] && match[2] === match[4]) {
        return { ok: false, expected: "a range whose start and end differ" };
      }
      return { ok: true, value: (value as string).trim() };
    }
    case "regex_list": {
      if (!Array.isArray(value) || !value.every((entry) => typeof entry === "string")) {
        return fail(kind);
      }
      for (const source of value as string[]) {
        if (source === "") {
          return { ok: false, expected: "a list of non-empty regular expressions" };
        }
        try {
          new RegExp(source, "g");
        } catch (error) {
          return {
            ok: false,
            expected: `valid regular expressions (${JSON.stringify(source.slice(0, 40))}: ${
              errorMessage(error)
            })`,
          };
        }
      }
      return { ok: true, value: [...value] };
    }
    case "delay":
      return typeof value === "number" && Number.isFinite(value) && value >= 0 &&
          value <= MAX_DELAY_SECS
        ? { ok: true, value }
        : fail(kind);
    case "topic_name":
      return typeof value === "string" && TOPIC_PATTERN.test(value)
        ? { ok: true, value }
        : fail(kind);
  }
}

/**
 * Turns text (an environment variable, a command-line value) into the typed value a kind
 * holds: `"true"` into `true`, `"10"` into `10`, `"a,b"` into `["a", "b"]`. Text that
 * does not convert is returned as is, so that {@linkcode checkValue} reports it.
 */
export function coerceText(kind: FieldKind, text: string): unknown {
  const trimmed = text.trim();
  switch (kind) {
    case "boolean": {
      const lower = trimmed.toLowerCase();
      if (["1", "true", "yes", "on"].includes(lower)) return true;
      if (["0", "false", "no", "off"].includes(lower)) return false;
      return text;
    }
    case "priority":
    case "delay":
    case "positive_number":
    case "positive_integer":
    case "non_negative_integer":
    case "non_negative_number":
      return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
    case "string_list":
    case "regex_list":
      if (trimmed.startsWith("[")) {
        try {
          return JSON.parse(trimmed);
        } catch {
          return text;
        }
      }
      if (trimmed === "") return [];
      // A comma belongs to many a regular expression ("{2,5}"): one pattern, as written.
      if (kind === "regex_list") return [trimmed];
      return trimmed.split(",").map((entry) => entry.trim()).filter(Boolean);
    case "send_format":
    case "sequence_mode":
    case "log_level":
      return trimmed.toLowerCase();
    default:
      return text;
  }
}

/** Describes a value for an error message, briefly and without secrets. */
export function showValue(spec: FieldSpec | undefined, value: unknown): string {
  if (spec?.secret) return "";
  let shown: string;
  if (typeof value === "string") shown = JSON.stringify(value);
  else if (value instanceof Date || typeof value !== "object" || value === null) {
    shown = String(value);
  } else shown = JSON.stringify(value) ?? String(value);
  return `, got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`;
}
