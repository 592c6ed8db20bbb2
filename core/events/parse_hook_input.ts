/**
 * Turning the hook's stdin into a {@linkcode HookEvent}.
 *
 * @module
 */

import type { HookEvent } from "./hook_event.ts";
import { HookInputError } from "./hook_input_error.ts";

/** Options for {@linkcode parseHookInput}. */
export interface ParseHookInputOptions {
  /** `--hook-name`: used when the payload has no `hook_event_name`. */
  hookName?: string;
  /** `CLAUDE_HOOK`: used when neither the payload nor `--hook-name` names the event. */
  envHookName?: string;
  /** The input was cut at the size limit (from `readHookStdin`). @default {false} */
  truncated?: boolean;
}

const EVENT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Top-level string fields worth recovering from input that was cut mid-way. */
const RECOVERABLE_FIELDS = [
  "hook_event_name",
  "session_id",
  "cwd",
  "transcript_path",
  "permission_mode",
  "tool_name",
  "notification_type",
  "message",
];

function checkName(name: string): string {
  if (!EVENT_NAME.test(name)) {
    const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}...` : name);
    throw new HookInputError(
      "INVALID_EVENT_NAME",
      `Invalid hook input: event name ${shown} is not a plain identifier`,
    );
  }
  return name;
}

function pickName(
  payloadName: unknown,
  options: ParseHookInputOptions,
): string | undefined {
  for (const candidate of [payloadName, options.hookName, options.envHookName]) {
    if (typeof candidate === "string" && candidate.trim() !== "") {
      return checkName(candidate.trim());
    }
  }
  return undefined;
}

/** Best effort for input cut at the limit: simple string fields found before the cut. */
function recoverFields(text: string): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of RECOVERABLE_FIELDS) {
    const match = new RegExp(`"${field}"\\s*:\\s*("(?:[^"\\\\]|\\\\.){0,2000}")`).exec(text);
    if (match === null) continue;
    try {
      payload[field] = JSON.parse(match[1]);
    } catch {
      // Not a complete string: leave it out.
    }
  }
  return payload;
}

/**
 * Parses hook input. The event name comes from the payload's `hook_event_name`, else
 * `--hook-name`, else `CLAUDE_HOOK`; unknown names are accepted. Input that was cut at
 * the size limit and no longer parses still gives an event (with the fields that could
 * be recovered and `truncated: true`) when the event name is known.
 *
 * @throws {HookInputError} `EMPTY_INPUT`, `INVALID_JSON`, `NOT_AN_OBJECT`,
 * `NO_EVENT_NAME` or `INVALID_EVENT_NAME`, with a one-line message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHookInput } from "./parse_hook_input.ts";
 *
 * const bytes = new TextEncoder().encode('{"message":"hi"}');
 * const event = parseHookInput(bytes, { envHookName: "Notification" });
 * assert.deepEqual(event.name, "Notification");
 * assert.deepEqual(event.payload.message, "hi");
 * ```
 */
export function parseHookInput(bytes: Uint8Array, options: ParseHookInputOptions = {}): HookEvent {
  const text = new TextDecoder("utf-8", { ignoreBOM: false }).decode(bytes);
  if (text.trim() === "") {
    throw new HookInputError(
      "EMPTY_INPUT",
      "No hook input: stdin was empty (expected a JSON object)",
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    if (options.truncated) {
      const recovered = recoverFields(text);
      const name = pickName(recovered.hook_event_name, options);
      if (name !== undefined) return { name, payload: recovered, truncated: true };
    }
    const size = options.truncated ? " (cut at the size limit)" : "";
    throw new HookInputError(
      "INVALID_JSON",
      `Invalid hook input: stdin is not valid JSON${size} (${bytes.byteLength} bytes)`,
      { cause: error },
    );
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    const kind = payload === null ? "null" : Array.isArray(payload) ? "an array" : typeof payload;
    throw new HookInputError(
      "NOT_AN_OBJECT",
      `Invalid hook input: expected a JSON object, got ${kind}`,
    );
  }
  const record = payload as Record<string, unknown>;
  const name = pickName(record.hook_event_name, options);
  if (name === undefined) {
    throw new HookInputError(
      "NO_EVENT_NAME",
      "Invalid hook input: no hook_event_name in the payload, --hook-name or CLAUDE_HOOK",
    );
  }
  return { name, payload: record, truncated: options.truncated ?? false };
}
