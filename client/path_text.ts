/**
 * Path text handled with plain string operations rather than regular expressions: the hook
 * runs these on every event, and V8 compiles each regular expression the first time it is
 * used, about 0.1 ms apiece in a process that lives 20 ms.
 *
 * @module
 */

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * `path` without its trailing slashes (all of them: `/` gives the empty string).
 *
 * @param path A path.
 * @returns The path without trailing `/`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trimTrailingSlashes } from "./path_text.ts";
 *
 * assert.equal(trimTrailingSlashes("/src/app//"), "/src/app");
 * ```
 */
export function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === SLASH) end--;
  return end === path.length ? path : path.slice(0, end);
}

/**
 * `path` with every run of slashes made one.
 *
 * @param path A path.
 * @returns The path with no `//`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { collapseSlashes } from "./path_text.ts";
 *
 * assert.equal(collapseSlashes("/home//ada///.claude"), "/home/ada/.claude");
 * ```
 */
export function collapseSlashes(path: string): string {
  if (!path.includes("//")) return path;
  let collapsed = "";
  for (let index = 0; index < path.length; index++) {
    if (path.charCodeAt(index) === SLASH && path.charCodeAt(index - 1) === SLASH) continue;
    collapsed += path[index];
  }
  return collapsed;
}

/**
 * Whether `path` is absolute: it starts with `/` or `\`, after an optional drive letter and
 * colon (`C:\`, `c:/`).
 *
 * @param path A path.
 * @returns Whether it is absolute.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isAbsolutePath } from "./path_text.ts";
 *
 * assert.equal(isAbsolutePath("/src/app"), true);
 * assert.equal(isAbsolutePath("C:\\src"), true);
 * assert.equal(isAbsolutePath("src/app"), false);
 * ```
 */
export function isAbsolutePath(path: string): boolean {
  const letter = path.charCodeAt(0) | 0x20;
  const start = letter >= 0x61 && letter <= 0x7a && path.charCodeAt(1) === COLON ? 2 : 0;
  const first = path.charCodeAt(start);
  return first === SLASH || first === BACKSLASH;
}
