/**
 * The built-in notification text for each Claude Code event, written for a phone's
 * lock screen: a short title naming the project, then the facts that matter.
 *
 * @module
 */

/** A title template, a body template and the tags for one event. */
export interface BuiltinTemplate {
  /** Title template (one line). */
  readonly title: string;
  /** Body template; empty lines are dropped after rendering. */
  readonly body: string;
  /** ntfy tags (emoji short codes). */
  readonly tags: readonly string[];
  /**
   * The body is Markdown (sent with ntfy's markdown flag); its blank lines are kept.
   * @default {false}
   */
  readonly markdown?: boolean;
}

/** Every title starts with the project and the session's short label. */
const PREFIX = "{{project_name}}{{#if session_label}} · {{session_label}}{{/if}}";
const TOOL_LINE =
  "{{#if command}}$ {{truncate command 1000}}{{else if tool_summary}}{{tool_summary}}{{/if}}";

/** Tags for `Notification` by `notification_type`. */
const NOTIFICATION_TAGS: Readonly<Record<string, readonly string[]>> = {
  permission_prompt: ["warning"],
  idle_prompt: ["hourglass_flowing_sand"],
  elicitation_dialog: ["question"],
  auth_success: ["key"],
};

/** The template for events without one of their own. */
export const GENERIC_TEMPLATE: BuiltinTemplate = {
  title: `${PREFIX}: {{event}}`,
  body: `{{#if tool_summary}}{{tool_name}}: {{tool_summary}}{{/if}}
{{details}}`,
  tags: ["bell"],
};

/** The built-in template of every known event. */
export const BUILTIN_TEMPLATES: Readonly<Record<string, BuiltinTemplate>> = {
  Notification: {
    title: `${PREFIX}: ` +
      '{{#if (eq notification_type "permission_prompt")}}needs permission' +
      '{{else if (eq notification_type "idle_prompt")}}waiting for you' +
      '{{else if (eq notification_type "elicitation_dialog")}}question for you' +
      '{{else if (eq notification_type "auth_success")}}signed in' +
      "{{else}}needs you{{/if}}",
    body: `{{#if message}}{{truncate message 1500}}{{else}}Claude Code needs your attention.{{/if}}
{{#if (and pending_tool (eq notification_type "permission_prompt"))}}{{pending_tool}}{{/if}}`,
    tags: ["bell"],
  },
  PermissionRequest: {
    title: `${PREFIX}: allow {{#if tool_name}}{{tool_name}}{{else}}a tool{{/if}}?`,
    body:
      `{{#if command}}$ {{truncate command 1500}}{{else if tool_summary}}{{tool_name}}: {{tool_summary}}{{/if}}
{{#if description}}{{description}}{{/if}}
Claude is waiting for your answer.`,
    tags: ["warning"],
  },
  Stop: {
    title: `${PREFIX}: ` +
      "{{#if background_running}}paused, {{background_running}} background task" +
      "{{#if (gt background_running 1)}}s{{/if}} running{{else}}Claude finished{{/if}}",
    body:
      `{{#if last_message}}{{last_message}}{{else}}Claude finished and is waiting for your next message.{{/if}}
{{#if background_running}}

Still running: {{background_summary}}{{/if}}`,
    tags: ["white_check_mark"],
    markdown: true,
  },
  PostToolUseFailure: {
    title: `${PREFIX}: {{#if tool_name}}{{tool_name}}{{else}}tool{{/if}} failed`,
    body: `${TOOL_LINE}
{{#if error}}{{truncate error 1500}}{{/if}}`,
    tags: ["x"],
  },
  PreToolUse: {
    title: `${PREFIX}: {{#if tool_name}}{{tool_name}}{{else}}tool{{/if}}`,
    body: `${TOOL_LINE}
{{#if description}}{{description}}{{/if}}`,
    tags: ["arrow_forward"],
  },
  PostToolUse: {
    title:
      `${PREFIX}: {{#if tool_name}}{{tool_name}}{{else}}tool{{/if}} {{#if success}}done{{else}}failed{{/if}}`,
    body: `${TOOL_LINE}
{{#if tool_response.error}}{{truncate tool_response.error 500}}{{/if}}`,
    tags: ["heavy_check_mark"],
  },
  UserPromptSubmit: {
    title: `${PREFIX}: prompt sent`,
    body: `{{#if prompt}}“{{truncate prompt 500}}”{{/if}}`,
    tags: ["speech_balloon"],
  },
  SubagentStart: {
    title: `${PREFIX}: {{#if agent_type}}{{agent_type}} {{/if}}agent started`,
    body: `{{#if agent_id}}Agent {{agent_id}}{{/if}}`,
    tags: ["robot"],
  },
  SubagentStop: {
    title: `${PREFIX}: {{#if agent_type}}{{agent_type}} {{/if}}agent finished`,
    body:
      `{{#if last_assistant_message}}{{truncate last_assistant_message 1500}}{{else if agent_id}}Agent {{agent_id}} finished.{{else}}A subagent finished.{{/if}}`,
    tags: ["robot"],
  },
  PreCompact: {
    title: `${PREFIX}: compacting context`,
    body:
      `{{#if (eq trigger "auto")}}Automatic compaction: the context is full.{{else if trigger}}Compaction requested ({{trigger}}).{{/if}}
{{#if custom_instructions}}Instructions: {{truncate custom_instructions 300}}{{/if}}`,
    tags: ["broom"],
  },
  SessionStart: {
    title: `${PREFIX}: ` +
      'session {{#if (eq source "resume")}}resumed{{else if (eq source "clear")}}cleared{{else}}started{{/if}}',
    body: `{{#if source}}Source: {{source}}{{/if}}
{{#if permission_mode}}Permission mode: {{permission_mode}}{{/if}}`,
    tags: ["rocket"],
  },
  SessionEnd: {
    title: `${PREFIX}: session ended`,
    body: `{{#if reason}}Reason: {{reason}}{{/if}}`,
    tags: ["checkered_flag"],
  },
};

/**
 * The built-in template for an event: its own, or {@linkcode GENERIC_TEMPLATE}.
 *
 * @example
 * ```ts
 * import { builtinTemplate } from "./builtin_templates.ts";
 *
 * console.log(builtinTemplate("Stop").tags); // [ "white_check_mark" ]
 * console.log(builtinTemplate("SomeFutureEvent").tags); // [ "bell" ]
 * ```
 */
export function builtinTemplate(event: string): BuiltinTemplate {
  return Object.hasOwn(BUILTIN_TEMPLATES, event) ? BUILTIN_TEMPLATES[event] : GENERIC_TEMPLATE;
}

/**
 * The built-in tags for an event; a `Notification`'s depend on its `notification_type`.
 *
 * @example
 * ```ts
 * import { builtinTags } from "./builtin_templates.ts";
 *
 * console.log(builtinTags("Notification", "permission_prompt")); // [ "warning" ]
 * ```
 */
export function builtinTags(event: string, notificationType?: string): readonly string[] {
  if (event === "Notification" && notificationType !== undefined) {
    return NOTIFICATION_TAGS[notificationType] ?? builtinTemplate(event).tags;
  }
  return builtinTemplate(event).tags;
}
