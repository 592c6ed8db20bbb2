/**
 * The variables templates can use: the hook payload, values computed from it, and the
 * user's `templates.variables`.
 *
 * @module
 */

import type { HookEvent } from "../events/hook_event.ts";
import { sessionSignal, sessionStateAfter } from "../events/session_signal.ts";
import { truncateChars } from "./truncate_utf8.ts";

/** What the daemon knows of the event's session from its earlier events. */
export interface SessionVariables {
  /** A short label: the start of the session's first prompt. */
  readonly label?: string;
  /** `working`, `waiting_permission`, `waiting_input` or `done`. */
  readonly state?: string;
  /** Claude's last reply in the session. */
  readonly lastMessage?: string;
  /** The tool call the session started last (`$ command`, or `Tool: file`). */
  readonly pendingTool?: string;
}

/** What {@linkcode templateVariables} needs besides the event. */
export interface VariableContext {
  /** The project directory (for `project_name` and relative paths). */
  projectDir?: string;
  /** The current time in milliseconds since the epoch. */
  now: number;
  /** `templates.variables`, which override everything else (as in the Rust tool). */
  variables?: Readonly<Record<string, string>>;
  /** The session as the daemon tracks it; without it, what the event alone tells. */
  session?: SessionVariables;
}

/** A computed variable and what it holds, for `templates --show`. */
export interface VariableDoc {
  /** The variable's name. */
  readonly name: string;
  /** What it holds. */
  readonly description: string;
}

/** The computed variables (every payload field is available too, e.g. `tool_input.command`). */
export const COMPUTED_VARIABLES: readonly VariableDoc[] = [
  { name: "event", description: "the hook event name (also hook_name)" },
  { name: "project_name", description: "the project folder's name" },
  { name: "project_dir", description: "the project folder" },
  { name: "session_short", description: "the first 8 characters of session_id" },
  {
    name: "session_label",
    description: "the session's short label: the start of its first prompt, else session_short",
  },
  {
    name: "session_state",
    description: "working, waiting_permission, waiting_input or done (after this event)",
  },
  {
    name: "last_message",
    description: "Claude's last reply (Stop's last_assistant_message, else the session's last)",
  },
  {
    name: "pending_tool",
    description: "the tool call the session started last ($ command, or Tool: file)",
  },
  { name: "background_running", description: "for Stop: how many background tasks still run" },
  { name: "background_summary", description: "for Stop: what those background tasks are" },
  {
    name: "tool_summary",
    description: "one line about the tool call: command, file, pattern, URL...",
  },
  { name: "file_path", description: "tool_input.file_path (or notebook_path)" },
  { name: "file", description: "file_path relative to the project" },
  { name: "command", description: "tool_input.command" },
  { name: "description", description: "tool_input.description" },
  { name: "prompt_excerpt", description: "the first 200 characters of prompt, on one line" },
  {
    name: "success",
    description: "for PostToolUse/PostToolUseFailure: whether the tool succeeded",
  },
  { name: "details", description: "key: value lines of the payload's other fields" },
  { name: "truncated", description: "true when the payload was too large and was cut" },
  { name: "timestamp", description: "local time, YYYY-MM-DD HH:MM:SS" },
  { name: "time", description: "local time, HH:MM" },
];

/** Payload fields every event has, left out of `details`. */
const COMMON_FIELDS = [
  "session_id",
  "transcript_path",
  "cwd",
  "permission_mode",
  "hook_event_name",
  "agent_transcript_path",
];

function oneLine(text: string, max: number): string {
  return truncateChars(text.replace(/\s+/g, " ").trim(), max);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1) || trimmed;
}

function relative(path: string, projectDir: string | undefined): string {
  if (projectDir === undefined || projectDir === "") return path;
  const prefix = `${projectDir.replace(/\/+$/, "")}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

function toolSummary(tool: string | undefined, input: Record<string, unknown>, file?: string) {
  if (tool === undefined) return undefined;
  const pick = (...keys: string[]) => keys.map((key) => text(input[key])).find(Boolean);
  let summary: string | undefined;
  switch (tool) {
    case "Bash":
      summary = pick("command");
      break;
    case "Grep": {
      const pattern = pick("pattern");
      const where = pick("path", "glob");
      summary = pattern && where ? `${pattern} in ${where}` : pattern;
      break;
    }
    case "Glob":
      summary = pick("pattern");
      break;
    case "WebFetch":
      summary = pick("url");
      break;
    case "WebSearch":
      summary = pick("query");
      break;
    case "Task":
    case "Agent": {
      const description = pick("description", "prompt");
      const type = pick("subagent_type");
      summary = type && description ? `${type}: ${description}` : description ?? type;
      break;
    }
    default:
      summary = file ?? Object.values(input).map(text).find(Boolean);
  }
  summary ??= file;
  return summary === undefined ? undefined : oneLine(summary, 200);
}

function twoDigits(value: number): string {
  return String(value).padStart(2, "0");
}

function details(payload: Readonly<Record<string, unknown>>): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(payload)) {
    if (COMMON_FIELDS.includes(key) || lines.length >= 8) continue;
    let shown: string;
    if (typeof value === "string") shown = oneLine(value, 200);
    else if (typeof value === "number" || typeof value === "boolean") shown = String(value);
    else if (typeof value === "object" && value !== null) {
      shown = oneLine(JSON.stringify(value) ?? "", 120);
    } else continue;
    if (shown !== "") lines.push(`${key}: ${shown}`);
  }
  return lines.join("\n");
}

/** The running background tasks of a `Stop`, described. */
function backgroundSummary(payload: Readonly<Record<string, unknown>>): string | undefined {
  const tasks = payload.background_tasks;
  if (!Array.isArray(tasks)) return undefined;
  const running = tasks.map(record).filter((task) =>
    task.status === undefined || task.status === "running"
  ).map((task) => text(task.description) ?? text(task.command) ?? text(task.type) ?? "a task");
  return running.length === 0 ? undefined : oneLine(running.join("; "), 300);
}

/**
 * One line about a tool call, as the session's `pending_tool` shows it: `$ command` for
 * Bash, else `Tool: summary`.
 *
 * @example
 * ```ts
 * import { describeToolCall } from "./template_variables.ts";
 *
 * console.log(describeToolCall({ tool: "Bash", input: { command: "npm test" } })); // $ npm test
 * console.log(describeToolCall({ tool: "Edit", input: { file_path: "/src/app/a.ts" } }, "/src/app")); // Edit: a.ts
 * ```
 */
export function describeToolCall(
  call: { readonly tool: string; readonly input: unknown },
  projectDir?: string,
): string {
  const { tool } = call;
  const fields = record(call.input);
  const command = text(fields.command);
  if (tool === "Bash" && command !== undefined) return `$ ${oneLine(command, 500)}`;
  const filePath = text(fields.file_path) ?? text(fields.notebook_path);
  const file = filePath === undefined ? undefined : relative(filePath, projectDir);
  const summary = toolSummary(tool, fields, tool === "Grep" || tool === "Glob" ? undefined : file);
  return summary === undefined ? tool : `${tool}: ${summary}`;
}

function succeeded(event: HookEvent): boolean | undefined {
  if (event.name === "PostToolUseFailure") return false;
  if (event.name !== "PostToolUse") return undefined;
  const response = record(event.payload.tool_response);
  return !(response.success === false || response.is_error === true || text(response.error));
}

/**
 * Builds the variables for one event: every payload field, the computed variables in
 * {@linkcode COMPUTED_VARIABLES}, then `context.variables`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { templateVariables } from "./template_variables.ts";
 *
 * const variables = templateVariables({
 *   name: "PreToolUse",
 *   payload: { session_id: "2b6f0c1e-8a7d", tool_name: "Bash", tool_input: { command: "npm test" } },
 *   truncated: false,
 * }, { projectDir: "/home/user/webapp", now: 0 });
 * assert.deepEqual(variables.project_name, "webapp");
 * assert.deepEqual(variables.session_short, "2b6f0c1e");
 * assert.deepEqual(variables.tool_summary, "npm test");
 * ```
 */
export function templateVariables(
  event: HookEvent,
  context: VariableContext,
): Record<string, unknown> {
  const payload = event.payload;
  const input = record(payload.tool_input);
  const projectDir = context.projectDir || text(payload.cwd);
  const filePath = text(input.file_path) ?? text(input.notebook_path);
  const file = filePath === undefined ? undefined : relative(filePath, projectDir);
  const tool = text(payload.tool_name);
  const prompt = text(payload.prompt);
  const session = context.session ?? {};
  const signal = sessionSignal(event);
  const sessionShort = text(payload.session_id)?.slice(0, 8);
  const date = new Date(context.now);
  const time = `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`;
  const computed: Record<string, unknown> = {
    event: event.name,
    hook_name: event.name,
    project_name: projectDir === undefined ? "Claude Code" : basename(projectDir),
    project_dir: projectDir,
    session_short: sessionShort,
    session_label: session.label ?? sessionShort,
    session_state: session.state ?? sessionStateAfter(signal),
    last_message: text(payload.last_assistant_message) ?? session.lastMessage,
    pending_tool: session.pendingTool,
    background_running: signal.backgroundRunning,
    background_summary: backgroundSummary(payload),
    tool_summary: toolSummary(tool, input, tool === "Grep" || tool === "Glob" ? undefined : file),
    file_path: filePath,
    file,
    command: text(input.command),
    description: text(input.description),
    prompt_excerpt: prompt === undefined ? undefined : oneLine(prompt, 200),
    success: succeeded(event),
    details: details(payload),
    truncated: event.truncated,
    timestamp: `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${
      twoDigits(date.getDate())
    } ${time}:${twoDigits(date.getSeconds())}`,
    time,
  };
  return { ...payload, ...computed, ...context.variables };
}
