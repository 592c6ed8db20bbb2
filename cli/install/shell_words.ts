/**
 * Quoting words for a POSIX shell, and splitting a simple command line back into words.
 * Claude Code runs a hook's `command` through the shell, so paths with spaces or quotes
 * must be quoted.
 *
 * @module
 */

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes `word` for a POSIX shell: unchanged when it holds only safe characters, else in
 * single quotes, with each `'` written as `'\''`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellQuote } from "./shell_words.ts";
 *
 * assert.deepEqual(shellQuote("/usr/bin/deno"), "/usr/bin/deno");
 * assert.deepEqual(shellQuote("/home/me/My Tools/x.js"), "'/home/me/My Tools/x.js'");
 * assert.deepEqual(shellQuote("it's"), "'it'\\''s'");
 * ```
 */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A command line split into words, and the text of a trailing `#` comment. */
export interface ShellWords {
  /** The words, quotes removed. */
  readonly words: string[];
  /** The comment after an unquoted `#` at the start of a word, trimmed; `""` if none. */
  readonly comment: string;
}

/**
 * Splits a command line into words as a POSIX shell would for a simple command: single
 * quotes, double quotes (with `\"`, `\\`, `\$` and `` \` `` escapes), backslash escapes and a
 * trailing comment. Expansions, operators and redirections are not interpreted; an
 * unterminated quote ends at the end of the text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitShellWords } from "./shell_words.ts";
 *
 * assert.deepEqual(splitShellWords(`'/opt/my app/deno' run "x y.js" hook # note`), {
 *   words: ["/opt/my app/deno", "run", "x y.js", "hook"],
 *   comment: "note",
 * });
 * ```
 */
export function splitShellWords(line: string): ShellWords {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === " " || char === "\t" || char === "\n") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (char === "#" && !inWord) {
      return { words, comment: line.slice(i + 1).trim() };
    } else if (char === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end === -1 ? line.length : end);
      i = end === -1 ? line.length : end;
      inWord = true;
    } else if (char === '"') {
      inWord = true;
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === "\\" && '"\\$`'.includes(line[i + 1] ?? "")) i++;
        word += line[i];
      }
    } else if (char === "\\") {
      if (line[i + 1] !== "\n") word += line[i + 1] ?? "";
      i++;
      inWord = true;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return { words, comment: "" };
}
