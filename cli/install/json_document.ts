/**
 * A JSON document that can be edited and written back without disturbing what was not
 * edited: member order (even of integer-like keys, which `JSON.parse` reorders), duplicate
 * keys, and the exact text of every string and number (escapes, `1.0`, integers beyond
 * 2^53) survive a parse and stringify round trip.
 *
 * @module
 */

/** A JSON object: its members in source order. */
export interface JsonObject {
  /** Discriminator. */
  readonly kind: "object";
  /** The members, in order; a key may repeat (the last one wins, as in `JSON.parse`). */
  members: JsonMember[];
}

/** One `"key": value` pair of a {@linkcode JsonObject}. */
export interface JsonMember {
  /** The decoded key. */
  readonly key: string;
  /** The key as written, quotes and escapes included. */
  readonly rawKey: string;
  /** The value. */
  value: JsonNode;
}

/** A JSON array. */
export interface JsonArray {
  /** Discriminator. */
  readonly kind: "array";
  /** The elements, in order. */
  items: JsonNode[];
}

/** A string, number, `true`, `false` or `null`, kept as its source text. */
export interface JsonScalar {
  /** Discriminator. */
  readonly kind: "scalar";
  /** The exact source text, e.g. `"a\u0041"` or `1.50`. */
  readonly raw: string;
}

/** Any JSON value. */
export type JsonNode = JsonObject | JsonArray | JsonScalar;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// JSON forbids raw control characters inside strings.
// deno-lint-ignore no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null/y;
const WHITESPACE = /[ \t\n\r]*/y;
const MAX_DEPTH = 512;

class Parser {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  parse(): JsonNode {
    this.#skip();
    const node = this.#value(0);
    this.#skip();
    if (this.#at < this.#text.length) this.#fail("unexpected text after the end of the value");
    return node;
  }

  #fail(what: string): never {
    const before = this.#text.slice(0, this.#at);
    const line = before.split("\n").length;
    const column = this.#at - before.lastIndexOf("\n");
    throw new SyntaxError(`Invalid JSON at line ${line}, column ${column}: ${what}`);
  }

  #skip(): void {
    WHITESPACE.lastIndex = this.#at;
    WHITESPACE.exec(this.#text);
    this.#at = WHITESPACE.lastIndex;
  }

  #match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.#at;
    const match = pattern.exec(this.#text);
    if (match === null) return undefined;
    this.#at = pattern.lastIndex;
    return match[0];
  }

  #describeNext(): string {
    const next = this.#text[this.#at];
    return next === undefined ? "the end of the text" : JSON.stringify(next);
  }

  #value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.#fail(`nested deeper than ${MAX_DEPTH} levels`);
    const next = this.#text[this.#at];
    if (next === "{") return this.#object(depth);
    if (next === "[") return this.#array(depth);
    const raw = next === '"'
      ? this.#match(STRING)
      : this.#match(next === "-" || (next >= "0" && next <= "9") ? NUMBER : LITERAL);
    if (raw === undefined) {
      this.#fail(
        next === '"'
          ? "unterminated or invalid string"
          : `expected a value, found ${this.#describeNext()}`,
      );
    }
    return { kind: "scalar", raw };
  }

  #object(depth: number): JsonObject {
    this.#at++;
    const members: JsonMember[] = [];
    this.#skip();
    if (this.#text[this.#at] === "}") {
      this.#at++;
      return { kind: "object", members };
    }
    while (true) {
      this.#skip();
      if (this.#text[this.#at] !== '"') {
        this.#fail(`expected a key in double quotes, found ${this.#describeNext()}`);
      }
      const rawKey = this.#match(STRING);
      if (rawKey === undefined) this.#fail("unterminated or invalid string");
      this.#skip();
      if (this.#text[this.#at] !== ":") this.#fail(`expected ":", found ${this.#describeNext()}`);
      this.#at++;
      this.#skip();
      members.push({ key: JSON.parse(rawKey), rawKey, value: this.#value(depth + 1) });
      this.#skip();
      const next = this.#text[this.#at++];
      if (next === "}") return { kind: "object", members };
      if (next !== ",") {
        this.#at--;
        this.#fail(`expected "," or "}", found ${this.#describeNext()}`);
      }
    }
  }

  #array(depth: number): JsonArray {
    this.#at++;
    const items: JsonNode[] = [];
    this.#skip();
    if (this.#text[this.#at] === "]") {
      this.#at++;
      return { kind: "array", items };
    }
    while (true) {
      this.#skip();
      items.push(this.#value(depth + 1));
      this.#skip();
      const next = this.#text[this.#at++];
      if (next === "]") return { kind: "array", items };
      if (next !== ",") {
        this.#at--;
        this.#fail(`expected "," or "]", found ${this.#describeNext()}`);
      }
    }
  }
}

/**
 * Parses strict JSON (RFC 8259) into an editable document.
 *
 * @throws {SyntaxError} naming the line and column of the first error.
 *
 * @example Integer-like keys keep their order
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseJsonDocument, stringifyJsonDocument } from "./json_document.ts";
 *
 * const text = '{"b": 1.50, "2": "\\u0041"}';
 * assert.deepEqual(stringifyJsonDocument(parseJsonDocument(text)), '{\n  "b": 1.50,\n  "2": "\\u0041"\n}');
 * assert.deepEqual(JSON.stringify(JSON.parse(text)), '{"2":"A","b":1.5}');
 * ```
 */
export function parseJsonDocument(text: string): JsonNode {
  return new Parser(text).parse();
}

/**
 * Writes a document as `JSON.stringify(value, null, 2)` would lay it out, with every
 * scalar and key in its original spelling. No trailing newline.
 */
export function stringifyJsonDocument(node: JsonNode, indent = "  "): string {
  const write = (value: JsonNode, prefix: string): string => {
    if (value.kind === "scalar") return value.raw;
    const inner = prefix + indent;
    if (value.kind === "array") {
      if (value.items.length === 0) return "[]";
      return `[\n${value.items.map((item) => inner + write(item, inner)).join(",\n")}\n${prefix}]`;
    }
    if (value.members.length === 0) return "{}";
    const lines = value.members.map((member) =>
      `${inner}${member.rawKey}: ${write(member.value, inner)}`
    );
    return `{\n${lines.join(",\n")}\n${prefix}}`;
  };
  return write(node, "");
}

/**
 * Turns a plain JSON-compatible value into a document node.
 *
 * @throws {TypeError} for values JSON cannot hold (functions, `undefined`, `NaN`).
 */
export function toJsonNode(value: unknown): JsonNode {
  if (Array.isArray(value)) return { kind: "array", items: value.map(toJsonNode) };
  if (value !== null && typeof value === "object") {
    return {
      kind: "object",
      members: Object.entries(value).map(([key, member]) => ({
        key,
        rawKey: JSON.stringify(key),
        value: toJsonNode(member),
      })),
    };
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new TypeError(`Cannot write ${value} as JSON`);
  }
  const raw = JSON.stringify(value);
  if (raw === undefined) throw new TypeError(`Cannot write a ${typeof value} as JSON`);
  return { kind: "scalar", raw };
}

/** Turns a node back into a plain value, as `JSON.parse` would read its text. */
export function fromJsonNode(node: JsonNode): unknown {
  if (node.kind === "scalar") return JSON.parse(node.raw);
  if (node.kind === "array") return node.items.map(fromJsonNode);
  const result: Record<string, unknown> = {};
  for (const member of node.members) result[member.key] = fromJsonNode(member.value);
  return result;
}

/** The value of `key` (its last occurrence, as `JSON.parse` reads it), or `undefined`. */
export function getMember(object: JsonObject, key: string): JsonNode | undefined {
  return object.members.findLast((member) => member.key === key)?.value;
}

/** Sets `key` in place (its last occurrence), or appends it as the last member. */
export function setMember(object: JsonObject, key: string, value: JsonNode): void {
  const member = object.members.findLast((candidate) => candidate.key === key);
  if (member !== undefined) member.value = value;
  else object.members.push({ key, rawKey: JSON.stringify(key), value });
}

/** Removes every occurrence of `key`. */
export function removeMember(object: JsonObject, key: string): void {
  object.members = object.members.filter((member) => member.key !== key);
}

/** The decoded string if `node` is a JSON string, else `undefined`. */
export function stringValue(node: JsonNode | undefined): string | undefined {
  return node?.kind === "scalar" && node.raw.startsWith('"') ? JSON.parse(node.raw) : undefined;
}
