import assert from "node:assert/strict";
import {
  fromJsonNode,
  getMember,
  type JsonObject,
  parseJsonDocument,
  setMember,
  stringifyJsonDocument,
  toJsonNode,
} from "../../../cli/install/json_document.ts";

Deno.test("stringifyJsonDocument() lays out like JSON.stringify(value, null, 2)", () => {
  const value = {
    model: "opus",
    permissions: { allow: ["Bash(npm test)", "Read"], deny: [] },
    env: {},
    nested: [[1, 2], { a: null, b: true, c: false }, [], -0.5e-3],
    text: 'tab\there "quoted" ünï 🚀 \u0001',
  };
  const text = JSON.stringify(value, null, 2);
  assert.equal(stringifyJsonDocument(parseJsonDocument(text)), text);
  assert.equal(stringifyJsonDocument(toJsonNode(value)), text);
  assert.deepEqual(fromJsonNode(parseJsonDocument(text)), value);
});

Deno.test("parseJsonDocument() keeps what JSON.parse would change: key order, numbers, escapes, duplicates", () => {
  const text = `{"z": 1, "10": "ten", "2": "two", "big": 12345678901234567890, "f": 1.50,
    "e": 1E+2, "esc": "\\u00e9\\/", "dup": 1, "dup": 2}`;
  const written = stringifyJsonDocument(parseJsonDocument(text));
  assert.equal(
    written,
    `{
  "z": 1,
  "10": "ten",
  "2": "two",
  "big": 12345678901234567890,
  "f": 1.50,
  "e": 1E+2,
  "esc": "\\u00e9\\/",
  "dup": 1,
  "dup": 2
}`,
  );
  // The same values as JSON.parse reads them (the last duplicate wins).
  assert.deepEqual(fromJsonNode(parseJsonDocument(text)), JSON.parse(text));
});

Deno.test("getMember() and setMember() act on the last duplicate, as JSON.parse reads it", () => {
  const document = parseJsonDocument('{"a": 1, "a": 2}') as JsonObject;
  assert.deepEqual(fromJsonNode(getMember(document, "a")!), 2);
  setMember(document, "a", toJsonNode(3));
  setMember(document, "b", toJsonNode([true]));
  assert.equal(
    stringifyJsonDocument(document),
    '{\n  "a": 1,\n  "a": 3,\n  "b": [\n    true\n  ]\n}',
  );
});

Deno.test("parseJsonDocument() names the line and column of malformed JSON", () => {
  const cases: Array<[string, RegExp]> = [
    ['{\n  "a": 1,\n}', /line 3, column 1: expected a key in double quotes, found "}"/],
    ['{\n  // comment\n  "a": 1\n}', /line 2, column 3: expected a key/],
    ['{"a": "unterminated}', /line 1, column 7: unterminated or invalid string/],
    ['{"a": 1} trailing', /line 1, column 10: unexpected text after the end/],
    ['{"a" 1}', /line 1, column 6: expected ":", found "1"/],
    ["[1, 2", /line 1, column 6: expected "," or "\]", found the end of the text/],
    ['{"a": tru}', /line 1, column 7: expected a value, found "t"/],
    ['{"a": 01}', /line 1, column 8: expected "," or "}", found "1"/],
    ["", /line 1, column 1: expected a value, found the end of the text/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseJsonDocument(text), (error: unknown) => {
      assert.ok(error instanceof SyntaxError, text);
      assert.match(error.message, message, text);
      return true;
    });
  }
});

Deno.test("parseJsonDocument() refuses absurd nesting instead of overflowing the stack", () => {
  assert.throws(() => parseJsonDocument("[".repeat(100_000)), /nested deeper than 512/);
});

Deno.test("toJsonNode() refuses values JSON cannot hold", () => {
  assert.throws(() => toJsonNode(Number.NaN), TypeError);
  assert.throws(() => toJsonNode(undefined), TypeError);
});
