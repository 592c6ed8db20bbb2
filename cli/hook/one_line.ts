/**
 * Error text for the hook's one-line messages on stderr.
 *
 * @module
 */

import { errorMessage } from "../../protocol/error_message.ts";

/**
 * An error's message (or any thrown value) on one line, at most 500 characters, so that
 * Claude Code shows it whole and nothing long or multi-line is echoed.
 *
 * @param error What was thrown, or a message.
 * @returns One line of text.
 *
 * @example
 * ```ts
 * import { oneLine } from "./one_line.ts";
 *
 * console.log(oneLine(new Error("first\n  second"))); // "first second"
 * ```
 */
export function oneLine(error: unknown): string {
  const text = errorMessage(error);
  return text.replace(/\s*\n\s*/g, " ").slice(0, 500);
}
