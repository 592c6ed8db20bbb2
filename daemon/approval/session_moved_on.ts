/**
 * Telling from the events of a session that a permission request was answered elsewhere
 * (at the terminal): the tool ran or was refused, a new prompt came, Claude finished, the
 * session ended. Claude Code does not end a waiting `PermissionRequest` hook itself when
 * the user answers in the dialog, so the daemon watches for these.
 *
 * @module
 */

import type { HookEvent } from "../../core/events/hook_event.ts";

/** What identifies the tool call a request waits on. */
export interface AwaitedToolCall {
  /** The session. */
  readonly sessionId: string;
  /** The subagent, when the request came from one. */
  readonly agentId?: string;
  /** The tool. */
  readonly toolName?: string;
  /** Its input, as {@linkcode canonicalJson} gives it. */
  readonly toolInput: string;
}

/**
 * JSON with object keys sorted, so that equal inputs give equal text.
 *
 * @example
 * ```ts
 * import { canonicalJson } from "./session_moved_on.ts";
 *
 * console.log(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })); // {"a":[{"c":3,"d":2}],"b":1}
 * ```
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, item) =>
      item !== null && typeof item === "object" && !Array.isArray(item)
        ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : item,
  ) ?? "null";
}

/** The awaited call a `PermissionRequest` describes, or `undefined` without a session id. */
export function awaitedToolCall(event: HookEvent): AwaitedToolCall | undefined {
  const { session_id: sessionId, agent_id: agentId, tool_name: toolName } = event.payload;
  if (typeof sessionId !== "string" || sessionId === "") return undefined;
  return {
    sessionId,
    ...(typeof agentId === "string" ? { agentId } : {}),
    ...(typeof toolName === "string" ? { toolName } : {}),
    toolInput: canonicalJson(event.payload.tool_input ?? null),
  };
}

function sameCall(call: unknown, awaited: AwaitedToolCall): boolean {
  if (typeof call !== "object" || call === null) return false;
  const { tool_name: name, tool_input: input } = call as Record<string, unknown>;
  return name === awaited.toolName && canonicalJson(input ?? null) === awaited.toolInput;
}

/**
 * Whether `event` shows that the session went on past the awaited call, and how.
 *
 * - `PostToolUse`, `PostToolUseFailure`, `PermissionDenied` for the same tool and input,
 *   or a `PostToolBatch` holding it: the call was decided.
 * - `UserPromptSubmit`, `SessionEnd`: the session moved on (any agent).
 * - `Stop` of the same agent (none for the main one), `SubagentStop` of the request's
 *   subagent: that agent finished.
 *
 * A `Notification` (the dialog's own), `PreToolUse` and events of other sessions or other
 * agents' tool calls never count: parallel tool calls and subagents go on while a
 * request waits.
 *
 * @param event Any event the daemon took in.
 * @param awaited The call a request waits on.
 * @returns Why the wait is over, or `undefined` when it is not.
 *
 * @example
 * ```ts
 * import { sessionMovedOn } from "./session_moved_on.ts";
 *
 * const awaited = { sessionId: "s1", toolName: "Bash", toolInput: '{"command":"ls"}' };
 * const prompt = { name: "UserPromptSubmit", payload: { session_id: "s1" }, truncated: false };
 * console.log(sessionMovedOn(prompt, awaited)); // "a new prompt"
 * ```
 */
export function sessionMovedOn(event: HookEvent, awaited: AwaitedToolCall): string | undefined {
  const payload = event.payload;
  if (payload.session_id !== awaited.sessionId) return undefined;
  const agentId = typeof payload.agent_id === "string" ? payload.agent_id : undefined;
  const sameAgent = agentId === awaited.agentId;
  switch (event.name) {
    case "UserPromptSubmit":
      return "a new prompt";
    case "SessionEnd":
      return "the session ended";
    case "Stop":
      return sameAgent ? "Claude finished" : undefined;
    case "SubagentStop":
      return awaited.agentId !== undefined && sameAgent ? "the subagent finished" : undefined;
    case "PostToolUse":
    case "PostToolUseFailure":
    case "PermissionDenied":
      return sameAgent && sameCall(payload, awaited) ? `${event.name} of the tool` : undefined;
    case "PostToolBatch": {
      const calls = Array.isArray(payload.tool_calls) ? payload.tool_calls : [];
      return sameAgent && calls.some((call) => sameCall(call, awaited))
        ? "the tool's batch ended"
        : undefined;
    }
    default:
      return undefined;
  }
}
