/**
 * Editing a JSON (or JSONC: comments, trailing commas) text in place, so that everything
 * the edit does not touch stays byte for byte as the user wrote it: comments, indentation,
 * key order, trailing commas, number spellings. Built on `jsonc-parser` (`modify`,
 * `applyEdits`, `parseTree`); a value it inserts is laid out like its new neighbours.
 *
 * Imported only by the commands that edit or read settings.json (`init`,
 * `uninstall-hooks`, `doctor`), which the command table loads on demand.
 *
 * @module
 */

import {
  applyEdits,
  findNodeAtLocation,
  type JSONPath,
  modify,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser";

/** Comments and trailing commas, as editors write JSONC; a blank text is no value. */
const PARSE_OPTIONS = {
  allowTrailingComma: true,
  disallowComments: false,
  allowEmptyContent: true,
} as const;

/** The path to a value: object keys and array indexes, from the root. */
export type JsoncPath = readonly (string | number)[];

function tree(text: string): Node | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, PARSE_OPTIONS);
  const first = errors[0];
  if (first !== undefined) {
    const before = text.slice(0, first.offset);
    const line = before.split("\n").length;
    const column = first.offset - before.lastIndexOf("\n");
    // "CommaExpected" reads "comma expected".
    const problem = printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, "$1 $2");
    throw new SyntaxError(
      `Invalid JSON at line ${line}, column ${column}: ${problem.toLowerCase()}`,
    );
  }
  return root;
}

function valueOf(node: Node): unknown {
  switch (node.type) {
    case "object": {
      const object: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key !== undefined && value !== undefined) object[key.value as string] = valueOf(value);
      }
      return object;
    }
    case "array":
      return (node.children ?? []).map(valueOf);
    default:
      return node.value;
  }
}

/**
 * Parses JSON with comments and trailing commas.
 *
 * @param text The document.
 * @returns Its value, as `JSON.parse` would give it; `undefined` for a blank text.
 * @throws {SyntaxError} naming the line and column of the first error.
 *
 * @example Comments and trailing commas
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseJsonc } from "./jsonc_edit.ts";
 *
 * assert.deepEqual(parseJsonc('{\n  // the model\n  "model": "opus",\n}'), { model: "opus" });
 * ```
 */
export function parseJsonc(text: string): unknown {
  const root = tree(text);
  return root === undefined ? undefined : valueOf(root);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** The whitespace a line starts with. */
function lineIndent(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

/** One level of indentation as the document has it: the first indented line's. */
function indentUnit(text: string): string {
  const match = /\n([ \t]+)\S/.exec(text);
  return match === null ? "  " : match[1]!.startsWith("\t") ? "\t" : match[1]!;
}

/** `\r\n` when the document uses it, else `\n`. */
function eolOf(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

/** Where a node starts a line, its indentation; else its line's indentation and one level. */
function indentOfNode(text: string, node: Node, unit: string): string {
  const before = text.slice(lineStart(text, node.offset), node.offset);
  return /^[ \t]*$/.test(before) ? before : lineIndent(text, node.offset) + unit;
}

function layout(value: unknown, indent: string, unit: string, eol: string): string {
  return JSON.stringify(value, null, unit).replaceAll("\n", eol + indent);
}

function containerAt(root: Node | undefined, path: JsoncPath): Node {
  const node = root === undefined ? undefined : findNodeAtLocation(root, [...path]);
  if (node === undefined || (node.type !== "object" && node.type !== "array")) {
    throw new TypeError(`Cannot insert into ${JSON.stringify(path)}: not an object or array`);
  }
  return node;
}

/**
 * Adds `value` as the last member of the object at the rest of `path` (the last segment
 * is the new key), or the last element of the array there (the last segment is `-1`).
 * The new value is laid out on lines of its own, indented like its neighbours.
 *
 * @param text The document.
 * @param path Where the new value goes; its container must exist.
 * @param value Any JSON value.
 * @returns The edited document.
 * @throws {SyntaxError} when `text` is not valid JSONC.
 * @throws {TypeError} when the container is missing or of the wrong kind.
 *
 * @example A new key in a hand-formatted object
 * ```ts
 * import assert from "node:assert/strict";
 * import { insertJsonc } from "./jsonc_edit.ts";
 *
 * const text = '{\n    "model": "opus", // keep this\n}\n';
 * assert.equal(
 *   insertJsonc(text, ["env"], { FOO: "1" }),
 *   '{\n    "model": "opus",\n    "env": {\n        "FOO": "1"\n    }, // keep this\n}\n',
 * );
 * ```
 */
export function insertJsonc(text: string, path: JsoncPath, value: unknown): string {
  const last = path.at(-1);
  const parent = containerAt(tree(text), path.slice(0, -1));
  const [edit] = modify(text, [...path] as JSONPath, value, { isArrayInsertion: last === -1 });
  if (edit === undefined) return text;
  const unit = indentUnit(text);
  const eol = eolOf(text);
  const key = typeof last === "string" ? `${JSON.stringify(last)}: ` : "";
  const previous = parent.children?.at(-1);
  if (previous !== undefined) {
    // `modify` inserts right after the last member, comma first: only the layout is ours.
    const indent = indentOfNode(text, previous, unit);
    return applyEdits(text, [{
      offset: edit.offset,
      length: edit.length,
      content: `,${eol}${indent}${key}${layout(value, indent, unit, eol)}`,
    }]);
  }
  const outer = lineIndent(text, parent.offset);
  const inner = outer + unit;
  const inside = text.slice(parent.offset + 1, parent.offset + parent.length - 1);
  // An empty container holding only whitespace is laid out anew; comments in it stay.
  const blank = inside.trim() === "";
  return applyEdits(text, [{
    offset: parent.offset + 1,
    length: blank ? inside.length : 0,
    content: `${eol}${inner}${key}${layout(value, inner, unit, eol)}${blank ? eol + outer : ""}`,
  }]);
}

/**
 * Replaces the value at `path`, which must exist, with `value` written on one line.
 * Meant for scalars (a command, a number).
 *
 * @param text The document.
 * @param path The value to replace.
 * @param value The new value.
 * @returns The edited document.
 * @throws {SyntaxError} when `text` is not valid JSONC.
 * @throws {TypeError} when nothing is at `path`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { replaceJsonc } from "./jsonc_edit.ts";
 *
 * assert.equal(replaceJsonc('{ "timeout": 5 } // s', ["timeout"], 10), '{ "timeout": 10 } // s');
 * ```
 */
export function replaceJsonc(text: string, path: JsoncPath, value: unknown): string {
  const root = tree(text);
  if (root === undefined || findNodeAtLocation(root, [...path]) === undefined) {
    throw new TypeError(`Cannot replace ${JSON.stringify(path)}: there is no value`);
  }
  return applyEdits(text, modify(text, [...path] as JSONPath, value, {}));
}

/** The end of a comma after `offset`, past whitespace and comments, if one follows. */
function commaAfter(text: string, offset: number): number | undefined {
  const rest = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*,/.exec(text.slice(offset));
  return rest === null ? undefined : offset + rest[0].length;
}

/**
 * Removes the value at `path` (an object member with its key, or an array element) and
 * the comma that separated it, leaving every other byte as it was: the inverse of
 * {@linkcode insertJsonc}.
 *
 * @param text The document.
 * @param path The value to remove.
 * @returns The edited document; `text` itself when nothing is at `path`.
 * @throws {SyntaxError} when `text` is not valid JSONC.
 *
 * @example Insert, then remove: the same bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { insertJsonc, removeJsonc } from "./jsonc_edit.ts";
 *
 * const text = '{\n  "a": [1, 2,], // two\n}\n';
 * assert.equal(removeJsonc(insertJsonc(text, ["a", -1], 3), ["a", 2]), text);
 * ```
 */
export function removeJsonc(text: string, path: JsoncPath): string {
  const root = tree(text);
  const found = root === undefined ? undefined : findNodeAtLocation(root, [...path]);
  if (found === undefined) return text;
  // An object member is removed with its key: the property node.
  const node = found.parent?.type === "property" ? found.parent : found;
  const siblings = node.parent?.children ?? [];
  const index = siblings.indexOf(node);
  const end = (n: Node) => n.offset + n.length;
  let start: number;
  let stop: number;
  if (index > 0) {
    // From the end of the previous sibling: its comma and the space before this one.
    start = end(siblings[index - 1]!);
    stop = end(node);
  } else if (siblings.length > 1) {
    // The first of several: up to the next sibling, taking the comma between.
    start = node.offset;
    stop = siblings[1]!.offset;
  } else {
    const parent = node.parent!;
    const inner = [parent.offset + 1, end(parent) - 1] as const;
    const trailing = commaAfter(text, end(node)) ?? end(node);
    const around = text.slice(inner[0], node.offset) + text.slice(trailing, inner[1]);
    // The only member: an empty container, unless comments around it are worth keeping.
    [start, stop] = around.trim() === "" ? inner : [node.offset, trailing];
  }
  return applyEdits(text, [{ offset: start, length: stop - start, content: "" }]);
}
