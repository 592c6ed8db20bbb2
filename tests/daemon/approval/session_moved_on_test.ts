// When the session shows a permission request was answered at the terminal, and when it
// does not (parallel tools, subagents, other sessions, the dialog's own notification).
import { equal } from "node:assert/strict";
import {
  type AwaitedToolCall,
  awaitedToolCall,
  canonicalJson,
  sessionMovedOn,
} from "../../../daemon/approval/mod.ts";
import type { HookEvent } from "../../../core/events/hook_event.ts";
import { fixtureEvent } from "../../support/hook_fixtures.ts";

const request = fixtureEvent("permission_request.json");
const awaited = awaitedToolCall(request)!;
const SESSION = request.payload.session_id as string;

function event(name: string, payload: Record<string, unknown>): HookEvent {
  return { name, payload: { session_id: SESSION, ...payload }, truncated: false };
}

Deno.test("awaitedToolCall() takes the session, the tool and its input from a PermissionRequest", () => {
  equal(awaited.sessionId, SESSION);
  equal(awaited.toolName, "Bash");
  equal(
    awaited.toolInput,
    canonicalJson({ description: "Clean build output", command: "rm -rf dist" }),
  );
  equal(awaited.agentId, undefined);
  equal(awaitedToolCall({ name: "PermissionRequest", payload: {}, truncated: false }), undefined);
});

Deno.test("the tool's PostToolBatch (captured from Claude Code) ends the wait", () => {
  equal(
    sessionMovedOn(fixtureEvent("post_tool_batch_denied.json"), awaited),
    "the tool's batch ended",
  );
});

Deno.test("PostToolUse, PostToolUseFailure and PermissionDenied of the same call end the wait", () => {
  const call = {
    tool_name: "Bash",
    tool_input: { command: "rm -rf dist", description: "Clean build output" },
  };
  for (const name of ["PostToolUse", "PostToolUseFailure", "PermissionDenied"]) {
    equal(sessionMovedOn(event(name, call), awaited), `${name} of the tool`);
  }
});

Deno.test("a new prompt, the session's end and Claude finishing end the wait", () => {
  equal(sessionMovedOn(event("UserPromptSubmit", { prompt: "go on" }), awaited), "a new prompt");
  equal(sessionMovedOn(event("SessionEnd", { reason: "other" }), awaited), "the session ended");
  equal(sessionMovedOn(event("Stop", {}), awaited), "Claude finished");
});

Deno.test("other calls, other sessions, other agents and the dialog's notification do not", () => {
  const other = { tool_name: "Read", tool_input: { file_path: "/a" } };
  const cases: HookEvent[] = [
    event("PostToolUse", other),
    event("PostToolBatch", { tool_calls: [other] }),
    event("PostToolUse", { tool_name: "Bash", tool_input: { command: "rm -rf dist" } }),
    event("PreToolUse", {
      tool_name: "Bash",
      tool_input: { command: "rm -rf dist", description: "Clean build output" },
    }),
    fixtureEvent("notification_permission.json"),
    { ...event("UserPromptSubmit", {}), payload: { session_id: "another" } },
    event("Stop", { agent_id: "a1" }),
    event("SubagentStop", { agent_id: "a1" }),
    event("PostToolBatch", {
      agent_id: "a1",
      tool_calls: [{
        tool_name: "Bash",
        tool_input: { command: "rm -rf dist", description: "Clean build output" },
      }],
    }),
  ];
  for (const candidate of cases) {
    equal(sessionMovedOn(candidate, awaited), undefined, JSON.stringify(candidate).slice(0, 120));
  }
});

Deno.test("a subagent's request ends with its own calls and its SubagentStop, not the main agent's Stop", () => {
  const inAgent: AwaitedToolCall = { ...awaited, agentId: "a1" };
  equal(sessionMovedOn(event("Stop", {}), inAgent), undefined);
  equal(
    sessionMovedOn(event("SubagentStop", { agent_id: "a1" }), inAgent),
    "the subagent finished",
  );
  equal(sessionMovedOn(event("SubagentStop", { agent_id: "a2" }), inAgent), undefined);
  equal(sessionMovedOn(event("UserPromptSubmit", {}), inAgent), "a new prompt");
});

Deno.test("canonicalJson() ignores key order", () => {
  equal(
    canonicalJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: null } }),
    canonicalJson({ a: { c: null, d: [1, { e: 2, f: 1 }] }, b: 1 }),
  );
});
