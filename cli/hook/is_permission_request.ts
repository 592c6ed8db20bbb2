/**
 * Telling a `PermissionRequest` from every other event cheaply: the hook runs on every
 * event and only this one waits for an answer.
 *
 * @module
 */

/** The name's bytes: searched for in the payload's bytes, with no text decoding. */
const NAME = [..."PermissionRequest"].map((char) => char.charCodeAt(0));

/** Whether `bytes` hold the event's name anywhere (escaped forms aside). */
function mentionsName(bytes: Uint8Array): boolean {
  const first = NAME[0]!;
  for (let at = bytes.indexOf(first); at !== -1; at = bytes.indexOf(first, at + 1)) {
    let index = 1;
    while (index < NAME.length && bytes[at + index] === NAME[index]) index++;
    if (index === NAME.length) return true;
  }
  return false;
}

/**
 * Whether the payload is a `PermissionRequest` (by its `hook_event_name`, else by the
 * hook's `--hook-name` or `$CLAUDE_HOOK`). Other events cost one scan of the text for the
 * name; only a payload that holds it is parsed.
 *
 * @param payload The hook's stdin.
 * @param hookName The hook's `--hook-name` or `$CLAUDE_HOOK`, if any.
 *
 * @example
 * ```ts
 * import { isPermissionRequest } from "./is_permission_request.ts";
 *
 * const payload = new TextEncoder().encode('{"hook_event_name":"PermissionRequest","tool_name":"Bash"}');
 * console.log(isPermissionRequest(payload)); // true
 * ```
 */
export function isPermissionRequest(payload: Uint8Array, hookName?: string): boolean {
  if (hookName !== "PermissionRequest" && !mentionsName(payload)) return false;
  let name: unknown;
  try {
    name = (JSON.parse(new TextDecoder().decode(payload)) as { hook_event_name?: unknown })
      ?.hook_event_name;
  } catch {
    // Not JSON: the daemon reports it; this is no request to wait on.
    return false;
  }
  return typeof name === "string" && name.trim() !== ""
    ? name.trim() === "PermissionRequest"
    : hookName === "PermissionRequest";
}
