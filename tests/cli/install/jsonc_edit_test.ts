import { deepStrictEqual, equal, throws } from "node:assert/strict";
import {
  insertJsonc,
  parseJsonc,
  removeJsonc,
  replaceJsonc,
} from "../../../cli/install/jsonc_edit.ts";

Deno.test("parseJsonc() reads comments and trailing commas, and keeps the last of duplicate keys", () => {
  deepStrictEqual(parseJsonc('/* a */ {"a": [1, 2,], // b\n "a": 3,}'), { a: 3 });
  equal(parseJsonc(""), undefined);
});

Deno.test("parseJsonc() names the line and column of the first error", () => {
  throws(() => parseJsonc('{\n  "a": 1\n  "b": 2\n}'), {
    name: "SyntaxError",
    message: "Invalid JSON at line 3, column 3: comma expected",
  });
  throws(() => parseJsonc("[1, 2"), /line 1, column 6: close bracket expected/);
});

Deno.test("insertJsonc() lays out a new member like its neighbours: indentation, tabs, CRLF", () => {
  equal(
    insertJsonc('{\n    "a": 1\n}\n', ["b"], { c: [1] }),
    '{\n    "a": 1,\n    "b": {\n        "c": [\n            1\n        ]\n    }\n}\n',
  );
  equal(insertJsonc("[\r\n\t1\r\n]", [-1], 2), "[\r\n\t1,\r\n\t2\r\n]");
});

Deno.test("insertJsonc() fills an empty container, keeping a comment inside it", () => {
  equal(insertJsonc('{ "a": {} }', ["a", "b"], 1), '{ "a": {\n  "b": 1\n} }');
  equal(insertJsonc("{\n  // none yet\n}", ["b"], 1), '{\n  "b": 1\n  // none yet\n}');
});

Deno.test("insertJsonc() refuses a container that is missing or is not one", () => {
  throws(() => insertJsonc('{"a": 1}', ["a", "b"], 1), TypeError);
  throws(() => insertJsonc('{"a": 1}', ["x", -1], 1), TypeError);
});

Deno.test("replaceJsonc() replaces one value and nothing around it", () => {
  equal(replaceJsonc('{ "c": "old" /* why */ }', ["c"], "new"), '{ "c": "new" /* why */ }');
  throws(() => replaceJsonc("{}", ["c"], 1), TypeError);
});

Deno.test("removeJsonc() undoes insertJsonc() byte for byte, wherever the value sits", () => {
  const texts = [
    '{\n  "a": [1, 2], // two\n  "z": true,\n}\n',
    '{"a":[1,2],"z":true}',
    '{\r\n\t"a": [\r\n\t\t1,\r\n\t\t2,\r\n\t],\r\n\t"z": true\r\n}',
  ];
  for (const text of texts) {
    equal(removeJsonc(insertJsonc(text, ["a", -1], { x: 1 }), ["a", 2]), text);
    equal(removeJsonc(insertJsonc(text, ["new"], [1]), ["new"]), text);
  }
});

Deno.test("removeJsonc() removes the first of several, the only one, and nothing when absent", () => {
  equal(removeJsonc('{\n  "a": 1,\n  "b": 2\n}', ["a"]), '{\n  "b": 2\n}');
  equal(removeJsonc('{\n  "a": [ 1, ],\n}', ["a", 0]), '{\n  "a": [],\n}');
  equal(removeJsonc('{ "a": 1 /* keep */ }', ["a"]), "{  /* keep */ }");
  equal(removeJsonc('{"a": 1}', ["b"]), '{"a": 1}');
});
