import assert from "node:assert/strict";
import { HookInputError, parseHookInput } from "../../../core/events/mod.ts";
import { readHookStdin } from "../../../cli/hook/read_hook_stdin.ts";
import { fixtureBytes } from "../../support/hook_fixtures.ts";

const encoder = new TextEncoder();

function codeOf(bytes: Uint8Array, options = {}): string {
  try {
    parseHookInput(bytes, options);
  } catch (error) {
    assert.ok(error instanceof HookInputError, `expected a HookInputError, got ${error}`);
    assert.equal(error.message.includes("\n"), false, "one-line message");
    return error.code;
  }
  assert.fail("expected a HookInputError");
}

Deno.test("parseHookInput() reads a Claude Code payload", () => {
  const event = parseHookInput(fixtureBytes("permission_request.json"));
  assert.equal(event.name, "PermissionRequest");
  assert.equal(event.truncated, false);
  assert.deepEqual(event.payload.tool_input, {
    command: "rm -rf dist",
    description: "Clean build output",
  });
});

Deno.test("parseHookInput() rejects empty input", () => {
  assert.equal(codeOf(new Uint8Array()), "EMPTY_INPUT");
  assert.equal(codeOf(encoder.encode(" \n\t ")), "EMPTY_INPUT");
  assert.equal(codeOf(new Uint8Array(), { hookName: "Stop" }), "EMPTY_INPUT");
});

Deno.test("parseHookInput() rejects invalid JSON and binary garbage", () => {
  assert.equal(codeOf(encoder.encode("{not json")), "INVALID_JSON");
  assert.equal(codeOf(encoder.encode('{"hook_event_name": "Stop",}')), "INVALID_JSON");
  const garbage = new Uint8Array(256).map((_, index) => (index * 7919) & 0xff);
  assert.equal(codeOf(garbage), "INVALID_JSON");
  assert.equal(codeOf(new Uint8Array([0xff, 0xfe, 0x00, 0x7b])), "INVALID_JSON");
});

Deno.test("parseHookInput() rejects JSON that is not an object", () => {
  for (const text of ["[1,2]", "42", '"Stop"', "null", "true"]) {
    assert.equal(codeOf(encoder.encode(text)), "NOT_AN_OBJECT", text);
  }
});

Deno.test("parseHookInput() needs an event name from somewhere", () => {
  assert.equal(codeOf(encoder.encode('{"message":"hi"}')), "NO_EVENT_NAME");
  assert.equal(codeOf(encoder.encode('{"hook_event_name":""}')), "NO_EVENT_NAME");
  assert.equal(
    codeOf(encoder.encode('{"hook_event_name":"Stop; rm -rf /"}')),
    "INVALID_EVENT_NAME",
  );
});

Deno.test("parseHookInput() takes the name from the payload, then --hook-name, then CLAUDE_HOOK", () => {
  const named = encoder.encode('{"hook_event_name":"Stop"}');
  const unnamed = encoder.encode('{"message":"hi"}');
  const options = { hookName: "Notification", envHookName: "SessionEnd" };
  assert.equal(parseHookInput(named, options).name, "Stop");
  assert.equal(parseHookInput(unnamed, options).name, "Notification");
  assert.equal(parseHookInput(unnamed, { envHookName: "SessionEnd" }).name, "SessionEnd");
  assert.equal(
    parseHookInput(unnamed, { hookName: "", envHookName: "SessionEnd" }).name,
    "SessionEnd",
  );
});

Deno.test("parseHookInput() accepts unknown future event names", () => {
  const event = parseHookInput(encoder.encode('{"hook_event_name":"PermissionDenied","x":1}'));
  assert.equal(event.name, "PermissionDenied");
});

Deno.test("parseHookInput() strips a byte order mark", () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('{"hook_event_name":"Stop"}')]);
  assert.equal(parseHookInput(bytes).name, "Stop");
});

Deno.test("parseHookInput() still makes an event of input cut at 1 MiB", async () => {
  const payload = JSON.stringify({
    session_id: "2b6f0c1e-8a7d-4c3e-9f10-aa55bb66cc77",
    cwd: "/home/user/webapp",
    hook_event_name: "PostToolUse",
    tool_name: "Read",
    tool_response: { content: "x".repeat(2 * 1024 * 1024) },
  });
  const input = await readHookStdin(ReadableStream.from([encoder.encode(payload)]));
  assert.equal(input.truncated, true);
  const event = parseHookInput(input.bytes, { truncated: input.truncated });
  assert.equal(event.name, "PostToolUse");
  assert.equal(event.truncated, true);
  assert.equal(event.payload.tool_name, "Read");
  assert.equal(event.payload.cwd, "/home/user/webapp");
  assert.equal(event.payload.tool_response, undefined);
});

Deno.test("parseHookInput() uses the flag name for cut input without a readable name", () => {
  const cut = encoder.encode('{"tool_response": {"content": "xxxxxxxx');
  assert.equal(
    parseHookInput(cut, { truncated: true, envHookName: "PostToolUse" }).name,
    "PostToolUse",
  );
  assert.equal(codeOf(cut, { truncated: true }), "INVALID_JSON");
});
