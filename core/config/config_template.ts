/**
 * The commented `config.toml` that `init` writes.
 *
 * @module
 */

/** What {@linkcode configTemplate} fills in. */
export interface ConfigTemplateOptions {
  /** The private topic. */
  topic: string;
  /** The server. @default {"https://ntfy.sh"} */
  serverUrl?: string;
  /**
   * A reply topic: turns approvals from the phone on (see `[approval]`); without one the
   * section is written commented out, off.
   */
  replyTopic?: string;
}

/**
 * A complete `config.toml`: every key, commented out at its default, except the topic.
 * `config set` uncomments a key's line when it sets it.
 *
 * @example
 * ```ts
 * import { configTemplate } from "./config_template.ts";
 *
 * const text = configTemplate({ topic: "claude-abc" });
 * console.log(text.includes('default_topic = "claude-abc"')); // true
 * ```
 */
export function configTemplate(options: ConfigTemplateOptions): string {
  const server = options.serverUrl ?? "https://ntfy.sh";
  const serverLine = server === "https://ntfy.sh"
    ? `# server_url = "https://ntfy.sh"`
    : `server_url = ${JSON.stringify(server)}`;
  return `# claude-ntfy configuration (keys compatible with claude-code-ntfy-service).
# Precedence, lowest first: built-in defaults, ~/.claude/ntfy-service/config.toml,
# <project>/.claude/ntfy-service/config.toml, environment variables, command-line flags.
# Lines starting with "#" show the default; remove the "#" to change a value, or run
# "claude-ntfy config set KEY VALUE".
# This file holds your private topic (and maybe a token): keep it out of version control.

[ntfy]
# The ntfy server; a self-hosted one works too.
${serverLine}
# Your private topic: anyone who knows it can read your notifications.
# A full URL ("https://ntfy.example.com/mytopic") sets the server too.
default_topic = ${JSON.stringify(options.topic)}
# Priority from 1 (min) to 5 (max) for events without their own priority.
# default_priority = 3
# Tags (emoji short codes such as "robot") added to every notification.
# default_tags = []
# Access token for protected topics (or set NTFY_TOKEN); wins over username/password.
# auth_token = ""
# Basic auth (or set NTFY_USER=user:pass).
# username = ""
# password = ""
# Seconds to wait for the server (at most 3600).
# timeout_secs = 10
# "json" (POST / with a JSON body) or "text" (message body with X-* headers).
# send_format = "json"
# URL opened when a notification is tapped; template variables work here.
# click = ""
# ntfy sequence ids (servers from 2.16), so that an update replaces a notification and a
# clear dismisses it: "auto" (sends them, and stops for a server that turns out older),
# "on" (always) or "off" (never).
# sequence = "auto"

[hooks]
# Master switch: false mutes every notification (or set CLAUDE_NTFY_ENABLED=0).
# enabled = true
# Events that wait for you (permission prompts, idle prompts, questions) ignore
# [hooks.filters] when this is true.
# never_filter_decision_hooks = true
# Priority of events that wait for you, unless [hooks.priorities] names the event.
# decision_hook_priority = 4
# Seconds a notification waits before it is sent. If the same Claude session shows
# activity first (you answered at the terminal, sent a prompt, Claude went on working),
# it is dropped. 0 sends at once. Per event: [hooks.delays].
# delay_secs = 30
# Local hours when notifications wait until the end ("22:00-07:00" wraps midnight);
# priority 5 still goes at once. Empty: none.
# quiet_hours = ""
# Events from subagents (their payload has an agent_id) notify too. A permission
# dialog notifies whoever asked for it.
# notify_subagents = false

# Which events notify. Events not listed use "*".
[hooks.events]
# Notification = true
# PermissionRequest = true
# Stop = true
# PostToolUseFailure = true
# PreToolUse = false
# PostToolUse = false
# UserPromptSubmit = false
# SubagentStart = false
# SubagentStop = false
# PreCompact = false
# SessionStart = false
# SessionEnd = false
# "*" = false

# Per-event topic: a topic name or a full topic URL. Default: ntfy.default_topic.
[hooks.topics]
# Stop = "another-private-topic"

# Per-event priority. Default: decision_hook_priority for events that wait for you,
# else ntfy.default_priority.
[hooks.priorities]
# PreToolUse = 2
# PostToolUse = 2
# PostToolBatch = 2
# UserPromptSubmit = 2
# SubagentStart = 2
# SubagentStop = 2
# PreCompact = 2
# SessionStart = 2
# SessionEnd = 2

# Per-event hold in seconds, over delay_secs.
[hooks.delays]
# PermissionRequest = 30
# Stop = 30

# Per-event filters on the tool name (or notification_type, source, reason, trigger,
# agent_type for other events): only the names listed, "!Name" excludes, "*" is a
# wildcard, an empty list allows everything.
[hooks.filters]
# PreToolUse = ["!Read", "!Grep", "!Glob"]
# PostToolUse = ["Write", "Edit", "mcp__*"]

[templates]
# Use the custom templates below instead of the built-in ones.
# use_custom = false

# Extra variables for every template, e.g. {{host}}.
[templates.variables]
# host = "laptop"

# Per-event body templates ("generic" for events without a built-in one). Run
# "claude-ntfy templates --show EVENT" for the built-in one and the variables.
[templates.custom_templates]
# Stop = "{{project_name}} is done{{#if host}} on {{host}}{{/if}}"

# Per-event title templates.
[templates.custom_titles]
# Stop = "{{project_name}}: your turn"

[redact]
# Mask what looks like a secret in titles and bodies before they leave this machine:
# KEY=value where the name suggests a secret (TOKEN, SECRET, PASSWORD, KEY...), bearer
# tokens, user:pass@ in URLs, AWS access keys, private keys, long random-looking tokens.
# enabled = true
# Extra regular expressions (JavaScript syntax) whose matches are masked, e.g.
# ["INTERNAL-[0-9]{6}"].
# patterns = []

[daemon]
# Hooks hand notifications to the background daemon.
# enabled = true
# A hook starts the daemon when it is not running (or set CLAUDE_NTFY_AUTOSTART=0).
# autostart = true
# Unix socket; empty lets the daemon choose (or set CLAUDE_NTFY_SOCKET).
# socket_path = ""
# "error", "warn", "info", "debug" or "trace".
# log_level = "info"
# Log file; empty lets the daemon choose.
# log_path = ""
# max_queue_size = 1000
# retry_attempts = 3
# retry_delay_secs = 5
# More than digest_after notifications to one topic within digest_window_secs seconds go
# as one digest naming each (0: never); so do those waiting for a server that answered 429.
# digest_after = 3
# digest_window_secs = 10

# Answer permission requests from the phone: the notification gets Allow / Deny (and
# "Always allow") buttons, and the answer goes back to Claude Code. Whoever can read the
# notification topic can answer too: use a token (or a self-hosted server), best with a
# reply_token that may only write to the reply topic.
[approval]
${approvalLines(options.replyTopic)}
`;
}

function approvalLines(replyTopic: string | undefined): string {
  const comment = replyTopic === undefined ? "# " : "";
  return `${comment}enabled = ${replyTopic !== undefined}
# Seconds to wait for an answer (at most 3600); then Claude Code asks as usual. Above 90,
# run "claude-ntfy init --install-hooks" again (the hook's own timeout must be longer).
# timeout_secs = 90
# Where the phone posts its answers: random, not your notification topic. Empty: the
# daemon makes one on first use.
${comment}reply_topic = ${JSON.stringify(replyTopic ?? "")}
# Token sent with an answer instead of auth_token (best: write-only on reply_topic).
# reply_token = ""`;
}
