/**
 * Notification text: a small Handlebars-style renderer, the built-in template of each
 * Claude Code event, the variables templates can use, and ntfy's size limits.
 *
 * @example
 * ```ts
 * import { renderTemplate } from "./mod.ts";
 *
 * console.log(renderTemplate("{{#if ok}}yes{{else}}no{{/if}}", { ok: true })); // yes
 * ```
 *
 * @module
 */

export * from "./builtin_templates.ts";
export * from "./render_notification.ts";
export * from "./render_template.ts";
export * from "./template_error.ts";
export * from "./template_variables.ts";
export * from "./truncate_utf8.ts";
