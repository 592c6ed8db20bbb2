/**
 * The template parser: Handlebars-style text into a small tree. Every error is found
 * here, so rendering a parsed template cannot fail.
 *
 * @module
 */

import { TemplateError } from "./template_error.ts";

/** A value inside a tag: a variable path, a literal, or a helper call. */
export type Expr =
  | { readonly type: "path"; readonly parts: readonly string[] }
  | { readonly type: "literal"; readonly value: string | number | boolean | null | undefined }
  | { readonly type: "call"; readonly helper: string; readonly args: readonly Expr[] };

/** A piece of a template. */
export type TemplateNode =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "output"; readonly expr: Expr }
  | {
    readonly type: "if";
    /** Each `{{#if}}`/`{{else if}}` condition with its body. */
    readonly branches: {
      readonly test: Expr;
      readonly negate: boolean;
      readonly body: TemplateNode[];
    }[];
    /** The `{{else}}` body. */
    readonly otherwise: TemplateNode[];
  };

/** Helpers and how many arguments each takes: [min, max]. */
export const HELPER_ARITY: Readonly<Record<string, readonly [number, number]>> = {
  eq: [2, 2],
  ne: [2, 2],
  gt: [2, 2],
  gte: [2, 2],
  lt: [2, 2],
  lte: [2, 2],
  not: [1, 1],
  and: [1, 8],
  or: [1, 8],
  len: [1, 1],
  truncate: [2, 2],
  substr: [2, 3],
  default: [2, 2],
  upper: [1, 1],
  lower: [1, 1],
};

interface Tag {
  readonly content: string;
  readonly line: number;
  readonly column: number;
}

type Token = { text: string } | { tag: Tag };

function position(source: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = source.indexOf("\n"); at !== -1 && at < index; at = source.indexOf("\n", at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: index - lineStart + 1 };
}

/** Splits the source into text and tags, applying `~` whitespace control. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  let trimNext = false;
  while (index < source.length) {
    const open = source.indexOf("{{", index);
    let text = source.slice(index, open === -1 ? source.length : open);
    if (trimNext) text = text.trimStart();
    trimNext = false;
    if (open === -1) {
      if (text) tokens.push({ text });
      break;
    }
    const at = position(source, open);
    let close: number;
    let inner: string;
    if (source.startsWith("{{!--", open) || source.startsWith("{{~!--", open)) {
      close = source.indexOf("--}}", open);
      if (close === -1) throw new TemplateError("unclosed comment", at.line, at.column);
      inner = source.slice(open + 2, close + 2);
      close += 2;
    } else if (source.startsWith("{{{", open)) {
      close = source.indexOf("}}}", open);
      if (close === -1) throw new TemplateError('unclosed "{{{"', at.line, at.column);
      inner = source.slice(open + 3, close);
      close += 1;
    } else {
      close = source.indexOf("}}", open);
      if (close === -1) throw new TemplateError('unclosed "{{"', at.line, at.column);
      inner = source.slice(open + 2, close);
    }
    if (inner.startsWith("~")) {
      text = text.trimEnd();
      inner = inner.slice(1);
    }
    if (inner.endsWith("~")) {
      trimNext = true;
      inner = inner.slice(0, -1);
    }
    if (text) tokens.push({ text });
    tokens.push({ tag: { content: inner.trim(), ...at } });
    index = close + 2;
  }
  return tokens;
}

const WORD = /^[A-Za-z0-9_@$.\-]+/;

/** Parses the words of a tag into expressions. */
function parseWords(tag: Tag, text: string): Expr[] {
  const fail = (detail: string) => new TemplateError(detail, tag.line, tag.column);
  let index = 0;
  const parseOne = (): Expr => {
    while (text[index] === " " || text[index] === "\t" || text[index] === "\n") index++;
    const char = text[index];
    if (char === '"' || char === "'") {
      const end = text.indexOf(char, index + 1);
      if (end === -1) throw fail("unclosed string");
      const value = text.slice(index + 1, end);
      index = end + 1;
      return { type: "literal", value };
    }
    if (char === "(") {
      index++;
      const items: Expr[] = [];
      for (;;) {
        while (/\s/.test(text[index] ?? "")) index++;
        if (index >= text.length) throw fail('unclosed "("');
        if (text[index] === ")") break;
        items.push(parseOne());
      }
      index++;
      const [head, ...args] = items;
      if (head === undefined || head.type !== "path" || head.parts.length !== 1) {
        throw fail("a sub-expression must start with a helper name");
      }
      return call(tag, head.parts[0], args);
    }
    const word = WORD.exec(text.slice(index))?.[0];
    if (word === undefined) throw fail(`unexpected "${text.slice(index, index + 10)}"`);
    index += word.length;
    if (/^-?\d+(\.\d+)?$/.test(word)) return { type: "literal", value: Number(word) };
    if (word === "true" || word === "false") return { type: "literal", value: word === "true" };
    if (word === "null" || word === "undefined") return { type: "literal", value: null };
    const parts = word === "this" ? [] : word.replace(/^this\./, "").split(".");
    if (parts.some((part) => part === "")) throw fail(`invalid path "${word}"`);
    return { type: "path", parts };
  };
  const exprs: Expr[] = [];
  for (;;) {
    while (/\s/.test(text[index] ?? "")) index++;
    if (index >= text.length) return exprs;
    exprs.push(parseOne());
  }
}

function call(tag: Tag, helper: string, args: Expr[]): Expr {
  const arity = HELPER_ARITY[helper];
  if (arity === undefined) {
    throw new TemplateError(`unknown helper "${helper}"`, tag.line, tag.column);
  }
  if (args.length < arity[0] || args.length > arity[1]) {
    const wanted = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]} to ${arity[1]}`;
    throw new TemplateError(
      `helper "${helper}" takes ${wanted} argument(s), got ${args.length}`,
      tag.line,
      tag.column,
    );
  }
  return { type: "call", helper, args };
}

/** Parses an output tag (`{{path}}` or `{{helper args}}`) or a block condition. */
function parseExpr(tag: Tag, text: string, allowCall: boolean): Expr {
  const words = parseWords(tag, text);
  if (words.length === 0) throw new TemplateError("empty tag", tag.line, tag.column);
  if (words.length === 1) return words[0];
  const head = words[0];
  if (allowCall && head.type === "path" && head.parts.length === 1) {
    return call(tag, head.parts[0], words.slice(1));
  }
  throw new TemplateError(
    `expected one value, got ${words.length}: use a sub-expression like (eq a "b")`,
    tag.line,
    tag.column,
  );
}

interface Frame {
  readonly kind: "if" | "unless";
  readonly tag: Tag;
  readonly node: Extract<TemplateNode, { type: "if" }>;
  body: TemplateNode[];
  inElse: boolean;
}

/**
 * Parses a template.
 *
 * @throws {TemplateError} for any syntax error.
 */
export function parseTemplate(source: string): TemplateNode[] {
  const root: TemplateNode[] = [];
  const stack: Frame[] = [];
  let body = root;
  for (const token of tokenize(source)) {
    if ("text" in token) {
      body.push({ type: "text", text: token.text });
      continue;
    }
    const tag = token.tag;
    const content = tag.content;
    const fail = (detail: string) => new TemplateError(detail, tag.line, tag.column);
    if (content.startsWith("!")) continue;
    if (content.startsWith("#")) {
      const [, name, rest] = /^#\s*(\S*)\s*([\s\S]*)$/.exec(content) ?? [];
      if (name !== "if" && name !== "unless") throw fail(`unsupported block "{{#${name}}}"`);
      const node: Extract<TemplateNode, { type: "if" }> = {
        type: "if",
        branches: [{ test: parseExpr(tag, rest, false), negate: name === "unless", body: [] }],
        otherwise: [],
      };
      body.push(node);
      const frame: Frame = { kind: name, tag, node, body: node.branches[0].body, inElse: false };
      stack.push(frame);
      body = frame.body;
      continue;
    }
    if (content.startsWith("/")) {
      const name = content.slice(1).trim();
      const frame = stack.pop();
      if (frame === undefined) throw fail(`"{{/${name}}}" closes no block`);
      if (frame.kind !== name) {
        throw fail(
          `"{{/${name}}}" closes "{{#${frame.kind}}}" opened at ${frame.tag.line}:${frame.tag.column}`,
        );
      }
      body = stack.length === 0 ? root : stack[stack.length - 1].body;
      continue;
    }
    if (content === "else" || content === "^" || /^else\s/.test(content)) {
      const frame = stack[stack.length - 1];
      if (frame === undefined) throw fail('"{{else}}" outside a block');
      if (frame.inElse) throw fail('a second "{{else}}" in one block');
      const rest = content.startsWith("else") ? content.slice(4).trim() : "";
      if (rest === "") {
        frame.inElse = true;
        frame.body = frame.node.otherwise;
      } else {
        const [, name, condition] = /^(\S+)\s*([\s\S]*)$/.exec(rest) ?? [];
        if (name !== "if" && name !== "unless") throw fail(`unsupported "{{else ${name}}}"`);
        const branch = {
          test: parseExpr(tag, condition, false),
          negate: name === "unless",
          body: [],
        };
        frame.node.branches.push(branch);
        frame.body = branch.body;
      }
      body = frame.body;
      continue;
    }
    if (content.startsWith(">")) throw fail("partials are not supported");
    body.push({ type: "output", expr: parseExpr(tag, content.replace(/^&\s*/, ""), true) });
  }
  const open = stack.pop();
  if (open !== undefined) {
    throw new TemplateError(`unclosed "{{#${open.kind}}}"`, open.tag.line, open.tag.column);
  }
  return root;
}
