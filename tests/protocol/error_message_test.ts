import { equal } from "node:assert/strict";
import { errorMessage } from "../../protocol/error_message.ts";

Deno.test("errorMessage() reads an Error's message, including subclasses and DOMException", () => {
  equal(errorMessage(new Error("plain")), "plain");
  equal(errorMessage(new Deno.errors.NotFound("no such file")), "no such file");
  equal(errorMessage(new DOMException("aborted", "AbortError")), "aborted");
});

Deno.test("errorMessage() reads values that are not errors without throwing", () => {
  equal(errorMessage("text"), "text");
  equal(errorMessage({ message: "shaped like an error" }), "shaped like an error");
  equal(errorMessage({ message: 42 }), "[object Object]");
  equal(errorMessage(42), "42");
  equal(errorMessage(null), "null");
  equal(errorMessage(undefined), "undefined");
  equal(errorMessage(Object.create(null)), "[object Object]");
  equal(
    errorMessage({
      toString: () => {
        throw new Error("no");
      },
    }),
    "[object Object]",
  );
});
