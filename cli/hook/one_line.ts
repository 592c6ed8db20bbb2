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

/**
 * An error on one line (see {@linkcode oneLine}), followed by its stable code in brackets
 * when it has one, as every command reports a failure.
 *
 * @param error What was thrown.
 * @returns e.g. `nothing listens on /run/d.sock [DAEMON_NOT_RUNNING]`.
 *
 * @example
 * ```ts
 * import { errorLine } from "./one_line.ts";
 * import { DaemonNotRunningError } from "../../client/errors.ts";
 *
 * console.log(errorLine(new DaemonNotRunningError("nothing listens"))); // "nothing listens [DAEMON_NOT_RUNNING]"
 * console.log(errorLine(new Error("plain"))); // "plain"
 * ```
 */
export function errorLine(error: unknown): string {
  const code = typeof error === "object" && error !== null
    ? (error as { code?: unknown }).code
    : undefined;
  return typeof code === "string" ? `${oneLine(error)} [${code}]` : oneLine(error);
}
