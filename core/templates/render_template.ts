/**
 * A small Handlebars-style renderer for notification text: no HTML escaping, no code
 * generation, and no way for a template to read anything but the variables it is given.
 *
 * @module
 */

import { type Expr, parseTemplate, type TemplateNode } from "./_parse.ts";
import { truncateChars } from "./truncate_utf8.ts";

/** Variables a template can read; nested objects are reached with dotted paths. */
export type TemplateVariables = Readonly<Record<string, unknown>>;

/**
 * The most characters one `{{value}}` writes, so a huge payload field is never dumped
 * whole: ntfy's message limit (4,096 bytes), which no more characters can fit in, so that
 * a long reply (`last_message`) still fills a body.
 */
export const MAX_VALUE_CHARS = 4096;
/** The most characters an object or array writes (as compact JSON). */
const MAX_OBJECT_CHARS = 200;

function lookup(variables: TemplateVariables, parts: readonly string[]): unknown {
  let node: unknown = variables;
  for (const part of parts) {
    if (typeof node !== "object" || node === null) return undefined;
    if (!Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Handlebars truthiness: `false`, `0`, `""`, `null`, `undefined`, `NaN` and `[]` are false. */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

const clip = truncateChars;

function length(value: unknown): number {
  if (typeof value === "string" || Array.isArray(value)) return value.length;
  if (typeof value === "object" && value !== null) return Object.keys(value).length;
  return 0;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const scalar = (value: unknown) => typeof value === "string" || typeof value === "number";
  return scalar(a) && scalar(b) && String(a) === String(b);
}

function evaluate(expr: Expr, variables: TemplateVariables): unknown {
  if (expr.type === "literal") return expr.value;
  if (expr.type === "path") {
    return expr.parts.length === 0 ? variables : lookup(variables, expr.parts);
  }
  const args = expr.args.map((arg) => evaluate(arg, variables));
  const [a, b, c] = args;
  switch (expr.helper) {
    case "eq":
      return same(a, b);
    case "ne":
      return !same(a, b);
    case "gt":
      return Number(a) > Number(b);
    case "gte":
      return Number(a) >= Number(b);
    case "lt":
      return Number(a) < Number(b);
    case "lte":
      return Number(a) <= Number(b);
    case "not":
      return !isTruthy(a);
    case "and":
      return args.every(isTruthy);
    case "or":
      return args.some(isTruthy);
    case "len":
      return length(a);
    case "truncate":
      return clip(stringify(a), Math.max(1, Math.trunc(Number(b)) || 1));
    case "substr": {
      const text = stringify(a);
      const start = Math.trunc(Number(b)) || 0;
      return c === undefined ? text.slice(start) : text.substr(start, Math.trunc(Number(c)) || 0);
    }
    case "default":
      return isTruthy(a) ? a : b;
    case "upper":
      return stringify(a).toUpperCase();
    case "lower":
      return stringify(a).toLowerCase();
    default:
      return undefined;
  }
}

/** How a value is written into the text. */
function stringify(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return clip(value, MAX_VALUE_CHARS);
  if (typeof value !== "object") return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item !== "object" || item === null)) {
    return clip(value.map((item) => String(item ?? "")).join(", "), MAX_OBJECT_CHARS);
  }
  let json: string;
  try {
    json = JSON.stringify(value) ?? "";
  } catch {
    json = "[object]";
  }
  return clip(json, MAX_OBJECT_CHARS);
}

function renderNodes(nodes: readonly TemplateNode[], variables: TemplateVariables, out: string[]) {
  for (const node of nodes) {
    if (node.type === "text") out.push(node.text);
    else if (node.type === "output") out.push(stringify(evaluate(node.expr, variables)));
    else {
      const branch = node.branches.find((candidate) =>
        isTruthy(evaluate(candidate.test, variables)) !== candidate.negate
      );
      renderNodes(branch === undefined ? node.otherwise : branch.body, variables, out);
    }
  }
}

/** Templates parsed lately, by source: a configuration has a handful, rendered on every event. */
const PARSED = new Map<string, TemplateNode[]>();
/** How many parsed templates are kept: the oldest goes first. */
const MAX_PARSED = 128;

/** `source` parsed, from {@linkcode PARSED} when it was parsed lately. */
function parsedTemplate(source: string): TemplateNode[] {
  let nodes = PARSED.get(source);
  if (nodes === undefined) {
    nodes = parseTemplate(source);
    if (PARSED.size >= MAX_PARSED) PARSED.delete(PARSED.keys().next().value!);
    PARSED.set(source, nodes);
  }
  return nodes;
}

/**
 * Renders a Handlebars-style template: `{{var}}`, `{{nested.path}}`, `{{{var}}}` (the
 * same: nothing is escaped), `{{#if x}}...{{else if y}}...{{else}}...{{/if}}`,
 * `{{#unless x}}...{{/unless}}`, comments `{{! ...}}`, `~` whitespace control, and
 * helpers in tags or sub-expressions: `eq ne gt gte lt lte not and or len truncate substr
 * default upper lower`. A missing variable renders as nothing; one value writes at most
 * {@linkcode MAX_VALUE_CHARS} characters, objects as short JSON.
 *
 * @throws {TemplateError} for a syntax error (rendering itself cannot fail).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderTemplate } from "./render_template.ts";
 *
 * const text = renderTemplate(
 *   '{{tool_name}}{{#if (eq tool_name "Bash")}}: {{tool_input.command}}{{else}} done{{/if}}',
 *   { tool_name: "Bash", tool_input: { command: "npm test" } },
 * );
 * assert.deepEqual(text, "Bash: npm test");
 * ```
 */
export function renderTemplate(source: string, variables: TemplateVariables): string {
  const out: string[] = [];
  renderNodes(parsedTemplate(source), variables, out);
  return out.join("");
}

/**
 * Checks a template's syntax without rendering it.
 *
 * @throws {TemplateError} for a syntax error.
 *
 * @example
 * ```ts
 * import { checkTemplate } from "./render_template.ts";
 *
 * checkTemplate("{{#if ok}}yes{{/if}}");
 * ```
 */
export function checkTemplate(source: string): void {
  parseTemplate(source);
}
