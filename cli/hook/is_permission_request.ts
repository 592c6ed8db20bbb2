/**
 * Telling a `PermissionRequest` from every other event cheaply: the hook runs on every
 * event and only this one waits for an answer.
 *
 * @module
 */

const decoder = new TextDecoder();

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
  const text = decoder.decode(payload);
  if (!text.includes("PermissionRequest") && hookName !== "PermissionRequest") return false;
  let name: unknown;
  try {
    name = (JSON.parse(text) as { hook_event_name?: unknown })?.hook_event_name;
  } catch {
    // Not JSON: the daemon reports it; this is no request to wait on.
    return false;
  }
  return typeof name === "string" && name.trim() !== ""
    ? name.trim() === "PermissionRequest"
    : hookName === "PermissionRequest";
}
