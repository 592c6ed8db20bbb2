/**
 * The text of anything thrown. `catch` binds `unknown`: a library may throw a string, a
 * plain object or `undefined`, and `(error as Error).message` then reads `undefined`.
 *
 * @module
 */

/**
 * The message of an `Error`, or the text of any other thrown value.
 *
 * @param error What was thrown.
 * @returns The error's message; a string as it is; a `message` string property of an
 * object; else the value converted to text (never throws).
 *
 * @example Errors and other thrown values
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorMessage } from "./error_message.ts";
 *
 * assert.equal(errorMessage(new TypeError("bad input")), "bad input");
 * assert.equal(errorMessage("plain text"), "plain text");
 * assert.equal(errorMessage({ message: "from an object" }), "from an object");
 * assert.equal(errorMessage(undefined), "undefined");
 * assert.equal(errorMessage(Object.create(null)), "[object Object]");
 * ```
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  if (typeof error === "object" && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === "string") return message;
  }
  try {
    return String(error);
  } catch {
    // An object without toString (Object.create(null)) or with one that throws.
    return Object.prototype.toString.call(error);
  }
}
