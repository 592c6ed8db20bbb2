// The hook's side of an approval: which events wait for a decision, and the exact JSON a
// decision becomes on stdout.
import { equal } from "node:assert/strict";
import { isPermissionRequest } from "../../../cli/hook/is_permission_request.ts";
import { permissionDecisionOutput } from "../../../cli/hook/permission_decision.ts";
import { fixtureBytes, fixtureNames } from "../../support/hook_fixtures.ts";

const text = new TextEncoder();

Deno.test("isPermissionRequest() is true for the PermissionRequest fixture only", () => {
  for (const name of fixtureNames()) {
    equal(isPermissionRequest(fixtureBytes(name)), name === "permission_request.json", name);
  }
});

Deno.test("isPermissionRequest() goes by hook_event_name, else the hook's name", () => {
  const mentions = text.encode(
    '{"hook_event_name":"PostToolUse","tool_response":"PermissionRequest"}',
  );
  equal(isPermissionRequest(mentions), false);
  equal(isPermissionRequest(mentions, "PermissionRequest"), false, "the payload's name wins");
  equal(isPermissionRequest(text.encode('{"tool_name":"Bash"}'), "PermissionRequest"), true);
  equal(isPermissionRequest(text.encode('{"tool_name":"Bash"}')), false);
  equal(
    isPermissionRequest(text.encode('{"hook_event_name":"PermissionRequest"')),
    false,
    "cut JSON",
  );
});

Deno.test("permissionDecisionOutput() prints what Claude Code reads, one line", () => {
  equal(
    permissionDecisionOutput({ behavior: "allow" }),
    '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow"}}}\n',
  );
  equal(
    permissionDecisionOutput({ behavior: "deny", message: "Denied from the phone (claude-ntfy)." }),
    '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":' +
      '{"behavior":"deny","message":"Denied from the phone (claude-ntfy)."}}}\n',
  );
  equal(
    permissionDecisionOutput({
      behavior: "allow",
      updatedPermissions: [{ type: "setMode", mode: "acceptEdits", destination: "session" }],
    }),
    '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow",' +
      '"updatedPermissions":[{"type":"setMode","mode":"acceptEdits","destination":"session"}]}}}\n',
  );
});
