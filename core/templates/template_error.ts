/**
 * The error raised for a template that cannot be rendered.
 *
 * @module
 */

/**
 * A template with a syntax error (an unclosed `{{#if}}`, an unknown helper...). The
 * message has the 1-based line and column of the offending tag.
 *
 * @example
 * ```ts
 * import { renderTemplate, TemplateError } from "./mod.ts";
 *
 * try {
 *   renderTemplate("{{#if ready}}go", {});
 * } catch (error) {
 *   if (error instanceof TemplateError) console.log(error.code, error.line); // TEMPLATE_SYNTAX 1
 * }
 * ```
 */
export class TemplateError extends Error {
  /** Always `TEMPLATE_SYNTAX`: rendering itself cannot fail. */
  readonly code = "TEMPLATE_SYNTAX";
  /** 1-based line of the tag at fault. */
  readonly line: number;
  /** 1-based column of the tag at fault. */
  readonly column: number;

  /** Creates a template error; `detail` is the reason without the position. */
  constructor(detail: string, line: number, column: number) {
    super(`Template syntax error at ${line}:${column}: ${detail}`);
    this.name = "TemplateError";
    this.line = line;
    this.column = column;
  }
}
