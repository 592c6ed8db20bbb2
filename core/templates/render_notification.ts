/**
 * Turning a hook event into notification text: custom or built-in templates, then
 * ntfy's size limits.
 *
 * @module
 */

import type { TemplatesConfig } from "../config/config.ts";
import type { HookEvent } from "../events/hook_event.ts";
import { BUILTIN_TEMPLATES, builtinTags, builtinTemplate } from "./builtin_templates.ts";
import { renderTemplate, type TemplateVariables } from "./render_template.ts";
import { TemplateError } from "./template_error.ts";
import { type SessionVariables, templateVariables } from "./template_variables.ts";
import { truncateChars, truncateMarkdown, truncateUtf8 } from "./truncate_utf8.ts";

/** ntfy's default message limit, in bytes of UTF-8. */
export const MAX_BODY_BYTES = 4096;
/** The title limit this tool keeps to, in bytes of UTF-8 (a phone shows far less). */
export const MAX_TITLE_BYTES = 250;

/** Options for {@linkcode renderNotification}. */
export interface RenderNotificationOptions {
  /** The `[templates]` configuration. */
  templates: TemplatesConfig;
  /** The project directory. */
  projectDir?: string;
  /** The current time in milliseconds since the epoch. */
  now: number;
  /** The session as the daemon tracks it (label, state, last reply). */
  session?: SessionVariables;
  /** Applied to the title and body before they are cut to size (the secret redactor). */
  redact?: (text: string) => string;
}

/** The text of a notification. */
export interface RenderedNotification {
  /** The title, at most {@linkcode MAX_TITLE_BYTES}. */
  title: string;
  /** The body, at most {@linkcode MAX_BODY_BYTES}, never empty. */
  body: string;
  /** The event's built-in tags. */
  tags: string[];
  /** Whether the body is Markdown (the event's built-in template says so). */
  markdown: boolean;
  /** Custom templates that failed and were replaced by the built-in ones. */
  warnings: string[];
}

/** The note added when the input was cut at the size limit. */
export const TRUNCATED_NOTE =
  "(The event data was too large and was cut: some details are missing.)";

function tryCustom(
  source: string | undefined,
  key: string,
  variables: TemplateVariables,
  warnings: string[],
): string | undefined {
  if (source === undefined) return undefined;
  try {
    return renderTemplate(source, variables);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    warnings.push(`Custom template ${key} is invalid (${error.message}): using the built-in one`);
    return undefined;
  }
}

function customFor(
  map: Readonly<Record<string, string>>,
  event: string,
): [string, string] | undefined {
  if (Object.hasOwn(map, event)) return [event, map[event]];
  if (!Object.hasOwn(BUILTIN_TEMPLATES, event) && Object.hasOwn(map, "generic")) {
    return ["generic", map.generic];
  }
  return undefined;
}

/**
 * Renders an event's title, body and tags. With `templates.use_custom`, the event's
 * `custom_templates` / `custom_titles` entry is used (`generic` for events without a
 * built-in template); one that fails to render is replaced by the built-in template and
 * reported in `warnings`. Titles are one line; built-in bodies drop empty lines (Markdown
 * ones keep paragraphs); `redact` runs on both; then both are cut to ntfy's limits on a
 * character boundary with "…" (a Markdown body's open code block is closed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultConfig } from "../config/config.ts";
 * import { renderNotification } from "./render_notification.ts";
 *
 * const rendered = renderNotification(
 *   {
 *     name: "Stop",
 *     payload: { session_id: "2b6f0c1e-8a7d", cwd: "/home/user/webapp", last_assistant_message: "**Done.**" },
 *     truncated: false,
 *   },
 *   { templates: defaultConfig().templates, now: 0, session: { label: "fix the login" } },
 * );
 * assert.deepEqual(rendered.title, "webapp · fix the login: Claude finished");
 * assert.deepEqual(rendered.body, "**Done.**");
 * assert.deepEqual(rendered.markdown, true);
 * assert.deepEqual(rendered.tags, ["white_check_mark"]);
 * ```
 */
export function renderNotification(
  event: HookEvent,
  options: RenderNotificationOptions,
): RenderedNotification {
  const templates = options.templates;
  const variables = templateVariables(event, {
    projectDir: options.projectDir,
    now: options.now,
    variables: templates.variables,
    session: options.session,
  });
  const builtin = builtinTemplate(event.name);
  const warnings: string[] = [];
  let title: string | undefined;
  let body: string | undefined;
  if (templates.use_custom) {
    const customTitle = customFor(templates.custom_titles, event.name);
    if (customTitle) {
      const key = `templates.custom_titles.${customTitle[0]}`;
      title = tryCustom(customTitle[1], key, variables, warnings);
    }
    const customBody = customFor(templates.custom_templates, event.name);
    if (customBody) {
      const key = `templates.custom_templates.${customBody[0]}`;
      body = tryCustom(customBody[1], key, variables, warnings);
      if (body !== undefined) body = tidyCustomBody(body);
    }
  }
  const markdown = builtin.markdown === true;
  title ??= renderTemplate(builtin.title, variables);
  body ??= (markdown ? tidyMarkdownBody : tidyBuiltinBody)(renderTemplate(builtin.body, variables));
  title = title.replace(/\s+/g, " ").trim() || `${variables.project_name}: ${event.name}`;
  if (event.truncated) body = body === "" ? TRUNCATED_NOTE : `${body}\n${TRUNCATED_NOTE}`;
  if (body === "") body = title;
  if (options.redact !== undefined) {
    // Only what can be sent is scanned: twice the limits leaves room for masks to shorten it.
    title = options.redact(truncateChars(title, MAX_TITLE_BYTES * 2));
    body = options.redact(truncateChars(body, MAX_BODY_BYTES * 2));
  }
  const notificationType = typeof event.payload.notification_type === "string"
    ? event.payload.notification_type
    : undefined;
  const paused = typeof variables.background_running === "number" &&
    variables.background_running > 0;
  return {
    title: truncateUtf8(title, MAX_TITLE_BYTES),
    body: markdown ? truncateMarkdown(body, MAX_BODY_BYTES) : truncateUtf8(body, MAX_BODY_BYTES),
    tags: paused ? ["hourglass_flowing_sand"] : [...builtinTags(event.name, notificationType)],
    markdown,
    warnings,
  };
}

function tidyBuiltinBody(text: string): string {
  return text.split("\n").map((line) => line.trimEnd()).filter((line) => line.trim() !== "")
    .join("\n");
}

function tidyMarkdownBody(text: string): string {
  return text.replace(/\n{3,}/g, "\n\n").trim();
}

function tidyCustomBody(text: string): string {
  return text.split("\n").map((line) => line.trimEnd()).join("\n").replace(/\n{3,}/g, "\n\n")
    .trim();
}
