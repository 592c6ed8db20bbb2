/**
 * Deciding whether and how an event becomes a notification: switches, filters, topic,
 * priority, text, tags and credentials, all resolved here so the daemon only delivers.
 *
 * @module
 */

import type { NotificationTask, NtfyAuth, NtfyTarget, Priority } from "../../protocol/mod.ts";
import type { Config } from "../config/config.ts";
import { ConfigError } from "../config/config_error.ts";
import { splitTopicUrl } from "../config/topic_url.ts";
import { SecretRedactor, type SecretRedactorOptions } from "../redact/secret_redactor.ts";
import { renderNotification } from "../templates/render_notification.ts";
import { renderTemplate } from "../templates/render_template.ts";
import { type SessionVariables, templateVariables } from "../templates/template_variables.ts";
import { TemplateError } from "../templates/template_error.ts";
import { filterSubject, type HookEvent, payloadString, waitsForUser } from "./hook_event.ts";
import { holdUntil } from "./hold_until.ts";
import { sessionSequenceId } from "./session_sequence_id.ts";
import { sessionSignal } from "./session_signal.ts";

/** What {@linkcode resolveNotification} needs besides the event and the config. */
export interface ResolveContext {
  /** The project directory (see `resolveProjectDir`). */
  projectDir?: string;
  /** When the event happened, in milliseconds since the epoch. */
  now: number;
  /** What the daemon knows of the event's session (label, state, last reply). */
  session?: SessionVariables;
}

/** The outcome: a task to send, or the reason nothing is sent. */
export type Resolution =
  | { kind: "send"; task: NotificationTask; warnings: string[] }
  | { kind: "skip"; reason: string };

function globMatches(pattern: string, subject: string): boolean {
  if (!pattern.includes("*")) return pattern === subject;
  const parts = pattern.split("*");
  if (!subject.startsWith(parts[0])) return false;
  let at = parts[0].length;
  for (const part of parts.slice(1, -1)) {
    const found = subject.indexOf(part, at);
    if (found === -1) return false;
    at = found + part.length;
  }
  const last = parts[parts.length - 1];
  return subject.length - last.length >= at && subject.endsWith(last);
}

/**
 * Applies a filter list to a subject: `undefined` when it passes, else the reason.
 * `!Name` entries exclude; plain entries, when there are any, are the only ones allowed.
 */
function filterReason(
  filters: readonly string[],
  subject: string,
  key: string,
): string | undefined {
  const excluded = filters.find((entry) =>
    entry.startsWith("!") && globMatches(entry.slice(1), subject)
  );
  if (excluded !== undefined) return `"${subject}" is excluded by ${key} ("${excluded}")`;
  const allowed = filters.filter((entry) => !entry.startsWith("!"));
  if (allowed.length > 0 && !allowed.some((entry) => globMatches(entry, subject))) {
    return `"${subject}" is not in ${key}`;
  }
  return undefined;
}

/**
 * The ntfy target for a server and topic, with the config's credentials, send format,
 * timeout and sequence mode.
 */
export function targetFromConfig(
  config: Config,
  location: { serverUrl: string; topic: string },
): NtfyTarget {
  const credentials = authFromConfig(config);
  return {
    serverUrl: location.serverUrl,
    topic: location.topic,
    ...(credentials === undefined ? {} : { auth: credentials }),
    sendFormat: config.ntfy.send_format,
    timeoutSecs: config.ntfy.timeout_secs,
    // "auto" is the default: left out, so tasks stay as they were before sequence ids.
    ...(config.ntfy.sequence === "auto" ? {} : { sequence: config.ntfy.sequence }),
  };
}

/** The credentials the config gives: a token wins over username and password. */
export function authFromConfig(config: Config): NtfyAuth | undefined {
  const { auth_token: token, username, password } = config.ntfy;
  if (token !== undefined && token !== "") return { type: "bearer", token };
  if (username !== undefined && username !== "") {
    return { type: "basic", username, password: password ?? "" };
  }
  return undefined;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value !== ""))];
}

/**
 * What the configuration asks a redactor to mask besides its built-in rules, whether or
 * not `redact.enabled` is on: `redact.patterns`, and the configured ntfy credentials,
 * should they turn up in a payload.
 */
export function redactorOptions(config: Config): SecretRedactorOptions {
  const { auth_token: token, password } = config.ntfy;
  return {
    patterns: config.redact.patterns,
    secrets: [token, password].filter((secret): secret is string => secret !== undefined),
  };
}

/** The redactor the configuration asks for, or `undefined` when `redact.enabled` is off. */
export function redactorFromConfig(config: Config): SecretRedactor | undefined {
  return config.redact.enabled ? new SecretRedactor(redactorOptions(config)) : undefined;
}

/**
 * Resolves an event against the configuration.
 *
 * Skips when `hooks.enabled` is false, when `hooks.events` (or its `"*"`) does not
 * enable the event, or when `hooks.filters` rejects the event's subject (the tool name
 * for tool events; events that wait for the user bypass filters while
 * `never_filter_decision_hooks` is true). Otherwise the topic is `hooks.topics[event]`
 * (a name or a URL that also picks the server) or `ntfy.default_topic`; the priority is
 * `hooks.priorities[event]`, else `decision_hook_priority` for events that wait for the
 * user, else `ntfy.default_priority`; tags are the event's then `ntfy.default_tags`.
 *
 * Events from a subagent (an `agent_id` in the payload) are skipped unless
 * `hooks.notify_subagents` is on; a permission dialog is not (it blocks the session
 * whoever asked), nor are `SubagentStart`/`SubagentStop`, which `hooks.events` governs.
 * Secrets are masked in the title and body (`[redact]`). The task is held until
 * `notBefore` (see `holdUntil`: `hooks.delay_secs`, `hooks.delays`, `hooks.quiet_hours`);
 * a notification that the session waits for the user carries the session's ntfy sequence
 * id, so that the phone keeps one notification per session.
 *
 * @throws {ConfigError} `CONFIG_NO_TOPIC` when the event should notify but no topic is set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultConfig } from "../config/config.ts";
 * import { resolveNotification } from "./resolve_notification.ts";
 *
 * const config = defaultConfig();
 * config.ntfy.default_topic = "claude-alerts";
 * const event = {
 *   name: "Notification",
 *   payload: { message: "Claude needs your permission to use Write", notification_type: "permission_prompt" },
 *   truncated: false,
 * };
 * const result = resolveNotification(event, config, { projectDir: "/home/user/webapp", now: 0 });
 * assert.deepEqual(result.kind, "send");
 * if (result.kind === "send") {
 *   assert.deepEqual(result.task.message.title, "webapp: needs permission");
 *   assert.deepEqual(result.task.notBefore, 30_000); // held 30 s (hooks.delay_secs)
 *   assert.deepEqual(result.task.message.priority, 4);
 * }
 * ```
 */
export function resolveNotification(
  event: HookEvent,
  config: Config,
  context: ResolveContext,
): Resolution {
  const hooks = config.hooks;
  const name = event.name;
  if (!hooks.enabled) {
    return { kind: "skip", reason: "notifications are off (hooks.enabled = false)" };
  }
  const enabled = Object.hasOwn(hooks.events, name) ? hooks.events[name] : hooks.events["*"];
  if (enabled !== true) {
    return { kind: "skip", reason: `${name} is not enabled (set hooks.events.${name} = true)` };
  }
  const signal = sessionSignal(event);
  if (
    signal.subagent && !hooks.notify_subagents && name !== "PermissionRequest" &&
    name !== "SubagentStart" && name !== "SubagentStop"
  ) {
    return {
      kind: "skip",
      reason: `${name} comes from a subagent (set hooks.notify_subagents = true)`,
    };
  }
  const waiting = waitsForUser(event);
  const filters = hooks.filters[name];
  const subject = filterSubject(event);
  if (
    filters !== undefined && filters.length > 0 && subject !== undefined &&
    !(waiting && hooks.never_filter_decision_hooks)
  ) {
    const reason = filterReason(filters, subject, `hooks.filters.${name}`);
    if (reason !== undefined) return { kind: "skip", reason };
  }

  let serverUrl = config.ntfy.server_url;
  let topic = Object.hasOwn(hooks.topics, name) ? hooks.topics[name] : config.ntfy.default_topic;
  const location = splitTopicUrl(topic);
  if (location !== undefined) ({ serverUrl, topic } = location);
  if (topic === "") {
    throw new ConfigError(
      "CONFIG_NO_TOPIC",
      'No ntfy topic configured: run "claude-ntfy init" or set CLAUDE_NTFY_TOPIC',
      { key: "ntfy.default_topic" },
    );
  }
  const priority: Priority = Object.hasOwn(hooks.priorities, name)
    ? hooks.priorities[name]
    : waiting
    ? hooks.decision_hook_priority
    : config.ntfy.default_priority;

  const redactor = redactorFromConfig(config);
  const rendered = renderNotification(event, {
    templates: config.templates,
    projectDir: context.projectDir,
    now: context.now,
    session: context.session,
    redact: redactor === undefined ? undefined : (text) => redactor.redact(text),
  });
  const warnings = rendered.warnings;
  let click: string | undefined;
  if (config.ntfy.click !== undefined && config.ntfy.click !== "") {
    try {
      const variables = templateVariables(event, {
        projectDir: context.projectDir,
        now: context.now,
        variables: config.templates.variables,
        session: context.session,
      });
      click = renderTemplate(config.ntfy.click, variables).trim() || undefined;
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      warnings.push(`ntfy.click is not a valid template (${error.message}): no click URL`);
    }
  }
  const projectDir = context.projectDir || payloadString(event, "cwd");
  const sessionId = payloadString(event, "session_id");
  const sequenceId = signal.waits !== undefined && signal.sessionId !== undefined
    ? sessionSequenceId(signal.sessionId)
    : undefined;
  const notBefore = holdUntil({ hooks, event: name, now: context.now, priority });
  const task: NotificationTask = {
    target: targetFromConfig(config, { serverUrl, topic }),
    message: {
      title: rendered.title,
      body: rendered.body,
      priority,
      tags: unique([...rendered.tags, ...config.ntfy.default_tags]),
      ...(click === undefined ? {} : { click }),
      ...(rendered.markdown ? { markdown: true } : {}),
      ...(sequenceId === undefined ? {} : { sequenceId }),
    },
    origin: {
      event: name,
      ...(projectDir === undefined ? {} : { project: projectDir }),
      ...(sessionId === undefined ? {} : { sessionId }),
      createdAt: context.now,
    },
    ...(notBefore === undefined ? {} : { notBefore }),
  };
  return { kind: "send", task, warnings };
}
