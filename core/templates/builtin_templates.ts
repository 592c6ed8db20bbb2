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
}

const FOOTER = "{{project_name}}{{#if session_short}} · session {{session_short}}{{/if}}";
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
  title: "{{project_name}}: {{event}}",
  body: `{{#if tool_summary}}{{tool_name}}: {{tool_summary}}{{/if}}
{{details}}
${FOOTER}`,
  tags: ["bell"],
};

/** The built-in template of every known event. */
export const BUILTIN_TEMPLATES: Readonly<Record<string, BuiltinTemplate>> = {
  Notification: {
    title: "{{project_name}}: " +
      '{{#if (eq notification_type "permission_prompt")}}needs permission' +
      '{{else if (eq notification_type "idle_prompt")}}waiting for you' +
      '{{else if (eq notification_type "elicitation_dialog")}}question for you' +
      '{{else if (eq notification_type "auth_success")}}signed in' +
      "{{else}}needs you{{/if}}",
    body: `{{#if message}}{{truncate message 1500}}{{else}}Claude Code needs your attention.{{/if}}
${FOOTER}`,
    tags: ["bell"],
  },
  PermissionRequest: {
    title: "{{project_name}}: allow {{#if tool_name}}{{tool_name}}{{else}}a tool{{/if}}?",
    body:
      `{{#if command}}$ {{truncate command 1500}}{{else if tool_summary}}{{tool_name}}: {{tool_summary}}{{/if}}
{{#if description}}{{description}}{{/if}}
Claude is waiting for your answer.
${FOOTER}`,
    tags: ["warning"],
  },
  Stop: {
    title: "{{project_name}}: Claude finished",
    body: `Claude finished and is waiting for your next message.
${FOOTER}`,
    tags: ["white_check_mark"],
  },
  PostToolUseFailure: {
    title: "{{project_name}}: {{#if tool_name}}{{tool_name}}{{else}}tool{{/if}} failed",
    body: `${TOOL_LINE}
{{#if error}}{{truncate error 1500}}{{/if}}
${FOOTER}`,
    tags: ["x"],
  },
  PreToolUse: {
    title: "{{project_name}}: {{#if tool_name}}{{tool_name}}{{else}}tool{{/if}}",
    body: `${TOOL_LINE}
{{#if description}}{{description}}{{/if}}
${FOOTER}`,
    tags: ["arrow_forward"],
  },
  PostToolUse: {
    title:
      "{{project_name}}: {{#if tool_name}}{{tool_name}}{{else}}tool{{/if}} {{#if success}}done{{else}}failed{{/if}}",
    body: `${TOOL_LINE}
{{#if tool_response.error}}{{truncate tool_response.error 500}}{{/if}}
${FOOTER}`,
    tags: ["heavy_check_mark"],
  },
  UserPromptSubmit: {
    title: "{{project_name}}: prompt sent",
    body: `{{#if prompt}}“{{truncate prompt 500}}”{{/if}}
${FOOTER}`,
    tags: ["speech_balloon"],
  },
  SubagentStart: {
    title: "{{project_name}}: {{#if agent_type}}{{agent_type}} {{/if}}agent started",
    body: `{{#if agent_id}}Agent {{agent_id}}{{/if}}
${FOOTER}`,
    tags: ["robot"],
  },
  SubagentStop: {
    title: "{{project_name}}: {{#if agent_type}}{{agent_type}} {{/if}}agent finished",
    body: `{{#if agent_id}}Agent {{agent_id}} finished.{{else}}A subagent finished.{{/if}}
${FOOTER}`,
    tags: ["robot"],
  },
  PreCompact: {
    title: "{{project_name}}: compacting context",
    body:
      `{{#if (eq trigger "auto")}}Automatic compaction: the context is full.{{else if trigger}}Compaction requested ({{trigger}}).{{/if}}
{{#if custom_instructions}}Instructions: {{truncate custom_instructions 300}}{{/if}}
${FOOTER}`,
    tags: ["broom"],
  },
  SessionStart: {
    title:
      '{{project_name}}: session {{#if (eq source "resume")}}resumed{{else if (eq source "clear")}}cleared{{else}}started{{/if}}',
    body: `{{#if source}}Source: {{source}}{{/if}}
{{#if permission_mode}}Permission mode: {{permission_mode}}{{/if}}
${FOOTER}`,
    tags: ["rocket"],
  },
  SessionEnd: {
    title: "{{project_name}}: session ended",
    body: `{{#if reason}}Reason: {{reason}}{{/if}}
${FOOTER}`,
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
