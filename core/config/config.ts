/**
 * The configuration type and its built-in defaults. The shape mirrors `config.toml`
 * key for key (snake_case), so a key path such as `ntfy.timeout_secs` names the same
 * thing in the file, in `config get`/`config set` and in this object. The keys are
 * those of pppobear/claude-code-ntfy-service, plus a few documented additions.
 *
 * @module
 */

import type { Priority, SendFormat, SequenceMode } from "../../protocol/mod.ts";

/**
 * The default hold before a notification is sent, in seconds: long enough to answer a
 * permission dialog or read Claude's reply at the keyboard (each then drops it), short
 * enough that a phone away from the desk hears within half a minute. Claude Code's own
 * reminders come later (`permission_prompt` after about 6 s only in a terminal,
 * `idle_prompt` after 60 s).
 */
export const DEFAULT_DELAY_SECS = 30;

/** Log levels the daemon understands. */
export type LogLevel = "error" | "warn" | "info" | "debug" | "trace";

/** `[ntfy]`: where and how notifications are published. */
export interface NtfyConfig {
  /** Base URL of the ntfy server. @default {"https://ntfy.sh"} */
  server_url: string;
  /** Topic for events without their own topic; `""` means not configured. @default {""} */
  default_topic: string;
  /** Priority for events without their own priority. @default {3} */
  default_priority: Priority;
  /** Tags added to every notification. @default {[]} */
  default_tags: string[];
  /** Access token (`Authorization: Bearer`); wins over username/password. */
  auth_token?: string;
  /** Basic-auth user name (addition to the Rust tool). */
  username?: string;
  /** Basic-auth password (addition to the Rust tool). */
  password?: string;
  /** Seconds to wait for the server, at most 3600. @default {10} */
  timeout_secs: number;
  /** `json` (POST / with a JSON body) or `text` (body plus `X-*` headers). @default {"json"} */
  send_format: SendFormat;
  /** URL opened when a notification is tapped; may use template variables (addition). */
  click?: string;
  /**
   * Whether ntfy sequence ids are sent, so that an update replaces a notification and a
   * clear dismisses it (ntfy 2.16 and later; addition). `auto` stops on a server that
   * turns out older. @default {"auto"}
   */
  sequence: SequenceMode;
}

/** `[hooks]`: which events notify, where and how loudly. */
export interface HooksConfig {
  /** Master switch. @default {true} */
  enabled: boolean;
  /**
   * Per-event switch (addition: the Rust tool has none). `"*"` applies to events not
   * listed. Merged key by key over the defaults.
   */
  events: Record<string, boolean>;
  /** Per-event topic: a topic name or a full topic URL. */
  topics: Record<string, string>;
  /** Per-event priority. Merged key by key over the defaults. */
  priorities: Record<string, Priority>;
  /**
   * Per-event filters: names of tools (or of the event's subject, e.g. the
   * `notification_type`); `!Name` excludes, `*` is a wildcard, an empty list allows all.
   */
  filters: Record<string, string[]>;
  /** Events that wait for the user bypass `filters`. @default {true} */
  never_filter_decision_hooks: boolean;
  /** Priority of events that wait for the user, unless `priorities` names the event. @default {4} */
  decision_hook_priority: Priority;
  /**
   * Seconds a notification is held before it is sent; activity in its session first (the
   * user answered at the terminal) drops it. `0` sends at once. @default {30}
   */
  delay_secs: number;
  /** Per-event hold, in seconds, over `delay_secs`. */
  delays: Record<string, number>;
  /**
   * Local hours during which notifications wait until the end (`"22:00-07:00"`, may wrap
   * midnight), except priority 5. Unset: none.
   */
  quiet_hours?: string;
  /** Whether events from subagents (with an `agent_id`) notify. @default {false} */
  notify_subagents: boolean;
}

/** `[redact]`: masking secrets before anything leaves the machine. */
export interface RedactConfig {
  /** Whether titles and bodies are scanned for secrets. @default {true} */
  enabled: boolean;
  /** Extra regular expressions whose matches are masked. @default {[]} */
  patterns: string[];
}

/** `[templates]`: custom text for notifications. */
export interface TemplatesConfig {
  /** Whether `custom_templates` and `custom_titles` are used. @default {false} */
  use_custom: boolean;
  /** Extra variables available to every template. */
  variables: Record<string, string>;
  /** Per-event body templates (`generic` for events without one). */
  custom_templates: Record<string, string>;
  /** Per-event title templates (addition to the Rust tool). */
  custom_titles: Record<string, string>;
}

/** `[daemon]`: the background delivery process. */
export interface DaemonConfig {
  /** Whether hooks hand tasks to the daemon. @default {true} */
  enabled: boolean;
  /** Whether a hook starts the daemon when it is not running. @default {true} */
  autostart: boolean;
  /** Unix socket path; unset lets the daemon choose. */
  socket_path?: string;
  /** @default {"info"} */
  log_level: LogLevel;
  /** Log file; unset lets the daemon choose. */
  log_path?: string;
  /** @default {1000} */
  max_queue_size: number;
  /** @default {3} */
  retry_attempts: number;
  /** @default {5} */
  retry_delay_secs: number;
  /**
   * Notifications to one topic sent one by one within `digest_window_secs`; more become one
   * digest naming each. 0 turns that off; what waits for a server that answered 429 still
   * goes as one digest (addition). @default {3}
   */
  digest_after: number;
  /** The window of `digest_after`, in seconds (addition). @default {10} */
  digest_window_secs: number;
}

/** `[approval]`: answering permission requests from the phone (addition). */
export interface ApprovalConfig {
  /**
   * Whether a permission request's notification gets Allow / Deny buttons whose answer
   * goes back to Claude Code. @default {false}
   */
  enabled: boolean;
  /**
   * Seconds to wait for an answer from the phone, at most 3600. The default fits the
   * `PermissionRequest` hook's 120 s timeout with a margin. @default {90}
   */
  timeout_secs: number;
  /**
   * The topic the phone's answers are posted to: separate from the notification topic and
   * random; unset lets the daemon make one on first use (kept in its state folder).
   */
  reply_topic?: string;
  /**
   * The token the buttons send with an answer, instead of `ntfy.auth_token` or the
   * username and password: best a token that may only write to the reply topic, since
   * whoever reads a notification can see it.
   */
  reply_token?: string;
}

/** The whole configuration, every default filled in. */
export interface Config {
  /** `[ntfy]` */
  ntfy: NtfyConfig;
  /** `[hooks]` */
  hooks: HooksConfig;
  /** `[templates]` */
  templates: TemplatesConfig;
  /** `[daemon]` */
  daemon: DaemonConfig;
  /** `[redact]` */
  redact: RedactConfig;
  /** `[approval]` */
  approval: ApprovalConfig;
}

/** One layer of configuration (a file, the environment, flags): any subset of {@linkcode Config}. */
export type ConfigLayer = {
  [Section in keyof Config]?: Partial<Config[Section]>;
};

/**
 * Returns a fresh copy of the built-in defaults.
 *
 * Events that wait for the user (permission prompts, idle prompts, questions), `Stop`
 * and `PostToolUseFailure` notify; chatty events (tool calls, prompts, subagents) and
 * session bookkeeping do not, and get priority 2 when enabled. Unknown events follow
 * `hooks.events."*"`, off by default.
 *
 * @example Defaults
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultConfig } from "./config.ts";
 *
 * const config = defaultConfig();
 * assert.deepEqual(config.ntfy.server_url, "https://ntfy.sh");
 * assert.deepEqual(config.hooks.events.Stop, true);
 * assert.deepEqual(config.hooks.events.PreToolUse, false);
 * ```
 */
export function defaultConfig(): Config {
  return {
    ntfy: {
      server_url: "https://ntfy.sh",
      default_topic: "",
      default_priority: 3,
      default_tags: [],
      timeout_secs: 10,
      send_format: "json",
      sequence: "auto",
    },
    hooks: {
      enabled: true,
      events: {
        Notification: true,
        PermissionRequest: true,
        Stop: true,
        PostToolUseFailure: true,
        PreToolUse: false,
        PostToolUse: false,
        UserPromptSubmit: false,
        SubagentStart: false,
        SubagentStop: false,
        SessionStart: false,
        SessionEnd: false,
        PreCompact: false,
        "*": false,
      },
      topics: {},
      priorities: {
        PreToolUse: 2,
        PostToolUse: 2,
        PostToolBatch: 2,
        UserPromptSubmit: 2,
        SubagentStart: 2,
        SubagentStop: 2,
        SessionStart: 2,
        SessionEnd: 2,
        PreCompact: 2,
      },
      filters: {},
      never_filter_decision_hooks: true,
      decision_hook_priority: 4,
      delay_secs: DEFAULT_DELAY_SECS,
      delays: {},
      notify_subagents: false,
    },
    templates: { use_custom: false, variables: {}, custom_templates: {}, custom_titles: {} },
    daemon: {
      enabled: true,
      autostart: true,
      log_level: "info",
      max_queue_size: 1000,
      retry_attempts: 3,
      retry_delay_secs: 5,
      digest_after: 3,
      digest_window_secs: 10,
    },
    redact: { enabled: true, patterns: [] },
    approval: { enabled: false, timeout_secs: 90 },
  };
}
