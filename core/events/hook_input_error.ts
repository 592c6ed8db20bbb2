/**
 * The error raised for hook input that cannot be turned into an event.
 *
 * @module
 */

/** Stable codes carried by {@linkcode HookInputError}. */
export const HookInputErrorCode = {
  /** Nothing (or only whitespace) arrived on stdin. */
  EmptyInput: "EMPTY_INPUT",
  /** The input is not JSON. */
  InvalidJson: "INVALID_JSON",
  /** The input is JSON but not an object. */
  NotAnObject: "NOT_AN_OBJECT",
  /** No event name in the payload, `--hook-name` or `CLAUDE_HOOK`. */
  NoEventName: "NO_EVENT_NAME",
  /** The event name is not a plain identifier. */
  InvalidEventName: "INVALID_EVENT_NAME",
} as const;

/** One of the codes in {@linkcode HookInputErrorCode}. */
export type HookInputErrorCode = typeof HookInputErrorCode[keyof typeof HookInputErrorCode];

/**
 * Hook input that cannot be used. The message is one line.
 *
 * @example
 * ```ts
 * import { HookInputError, parseHookInput } from "./mod.ts";
 *
 * try {
 *   parseHookInput(new TextEncoder().encode("not json"));
 * } catch (error) {
 *   if (error instanceof HookInputError) console.log(error.code); // INVALID_JSON
 * }
 * ```
 */
export class HookInputError extends Error {
  /** A stable code from {@linkcode HookInputErrorCode}. */
  readonly code: HookInputErrorCode;

  /** Creates a hook input error. */
  constructor(code: HookInputErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HookInputError";
    this.code = code;
  }
}
