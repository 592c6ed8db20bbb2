import assert from "node:assert/strict";
import { defaultConfig, type TemplatesConfig } from "../../../core/config/mod.ts";
import type { HookEvent } from "../../../core/events/hook_event.ts";
import {
  MAX_BODY_BYTES,
  renderNotification,
  TRUNCATED_NOTE,
  utf8ByteLength,
} from "../../../core/templates/mod.ts";
import { fixtureEvent, fixtureNames } from "../../support/hook_fixtures.ts";

const NOW = new Date(2025, 6, 1, 14, 5, 9).getTime();
const PROJECT = "/home/user/webapp";

function render(event: HookEvent, templates: TemplatesConfig = defaultConfig().templates) {
  return renderNotification(event, { templates, projectDir: PROJECT, now: NOW });
}

/** What each fixture's notification must say. */
const EXPECTED: Record<string, { title: string; body: RegExp[]; tags: string[] }> = {
  "message_display.json": {
    title: "webapp: MessageDisplay",
    body: [/^delta: I'll run a quick command\.$/m],
    tags: ["bell"],
  },
  "notification_auth_success.json": {
    title: "webapp: signed in",
    body: [/^Claude Code login successful$/m],
    tags: ["key"],
  },
  "notification_elicitation_dialog.json": {
    title: "webapp: question for you",
    body: [/^Claude Code needs your input$/m],
    tags: ["question"],
  },
  "notification_idle.json": {
    title: "webapp: waiting for you",
    body: [/^Claude is waiting for your input$/m],
    tags: ["hourglass_flowing_sand"],
  },
  "notification_permission.json": {
    title: "webapp: needs permission",
    body: [/^Claude needs your permission to use Write$/m],
    tags: ["warning"],
  },
  "permission_request.json": {
    title: "webapp: allow Bash?",
    body: [/^\$ rm -rf dist$/m, /^Clean build output$/m, /waiting for your answer/],
    tags: ["warning"],
  },
  "post_compact.json": {
    title: "webapp: PostCompact",
    body: [/^trigger: manual$/m, /^compact_summary: Summary: the user decided/m],
    tags: ["bell"],
  },
  "post_tool_batch.json": {
    title: "webapp: PostToolBatch",
    body: [/^tool_calls: .*"command":"echo hi"/m],
    tags: ["bell"],
  },
  "post_tool_batch_denied.json": {
    title: "webapp: PostToolBatch",
    body: [/^tool_calls: .*"command":"rm -rf dist"/m],
    tags: ["bell"],
  },
  "post_tool_use_bash.json": {
    title: "webapp: Bash done",
    body: [/^\$ echo hi$/m],
    tags: ["heavy_check_mark"],
  },
  "post_tool_use_failure.json": {
    title: "webapp: Bash failed",
    body: [/^\$ npm run build$/m, /^Exit code 2$/m, /^tsc found 3 errors$/m],
    tags: ["x"],
  },
  "post_tool_use_write.json": {
    title: "webapp: Write done",
    body: [/^src\/app\.ts$/m],
    tags: ["heavy_check_mark"],
  },
  "pre_compact.json": {
    title: "webapp: compacting context",
    body: [/manual/, /^Instructions: Keep the API decisions$/m],
    tags: ["broom"],
  },
  "pre_tool_use_bash.json": {
    title: "webapp: Bash",
    body: [/^\$ echo hi$/m, /^Print hi$/m],
    tags: ["arrow_forward"],
  },
  "pre_tool_use_write.json": {
    title: "webapp: Write",
    body: [/^src\/app\.ts$/m],
    tags: ["arrow_forward"],
  },
  "session_end.json": {
    title: "webapp: session ended",
    body: [/^Reason: other$/m],
    tags: ["checkered_flag"],
  },
  "session_start.json": {
    title: "webapp: session started",
    body: [/^Source: startup$/m],
    tags: ["rocket"],
  },
  "session_start_compact.json": {
    title: "webapp: session started",
    body: [/^Source: compact$/m],
    tags: ["rocket"],
  },
  "session_start_resume.json": {
    title: "webapp: session resumed",
    body: [/^Source: resume$/m],
    tags: ["rocket"],
  },
  "stop.json": {
    title: "webapp: Claude finished",
    body: [/waiting for your next message/],
    tags: ["white_check_mark"],
  },
  // The built-in Stop text does not look at background_tasks yet: this pins today's text.
  "stop_background_tasks.json": {
    title: "webapp: Claude finished",
    body: [/waiting for your next message/],
    tags: ["white_check_mark"],
  },
  "subagent_start.json": {
    title: "webapp: Explore agent started",
    body: [/^Agent a9e5b0a12e7e83431$/m],
    tags: ["robot"],
  },
  "subagent_stop.json": {
    title: "webapp: Explore agent finished",
    body: [/^Agent a9e5b0a12e7e83431 finished\.$/m],
    tags: ["robot"],
  },
  "subagent_stop_compaction.json": {
    title: "webapp: agent finished",
    body: [/^Agent ab388f8e15ed93ce2 finished\.$/m],
    tags: ["robot"],
  },
  "unknown_future_event.json": {
    title: "webapp: ContextBudgetWarning",
    body: [/^context_tokens: 180000$/m, /^message: The context window is 90% full$/m],
    tags: ["bell"],
  },
  "user_prompt_submit.json": {
    title: "webapp: prompt sent",
    body: [/Check that the shell works/],
    tags: ["speech_balloon"],
  },
  // Claude Code submits a finished background task's notice as a prompt of its own.
  "user_prompt_submit_task_notification.json": {
    title: "webapp: prompt sent",
    body: [/<task-notification>/, /completed \(exit code 0\)/],
    tags: ["speech_balloon"],
  },
};

Deno.test("renderNotification() gives every fixture a short title and a body with its facts", () => {
  const names = fixtureNames();
  assert.deepEqual(names, Object.keys(EXPECTED).sort(), "one expectation per fixture");
  for (const name of names) {
    const expected = EXPECTED[name];
    assert.ok(expected !== undefined, `no expectation for fixture ${name}`);
    const rendered = render(fixtureEvent(name));
    assert.equal(rendered.title, expected.title, name);
    for (const pattern of expected.body) assert.match(rendered.body, pattern, name);
    assert.match(rendered.body, /^webapp · session 2b6f0c1e$/m, `${name}: project and session`);
    assert.doesNotMatch(rendered.body, /\n\n|\{\{|undefined|null|\[object/, name);
    assert.deepEqual(rendered.tags, expected.tags, name);
    assert.deepEqual(rendered.warnings, [], name);
  }
});

Deno.test("renderNotification() gives an unknown event a generic notification", () => {
  const rendered = render({
    name: "PermissionDenied",
    payload: {
      session_id: "2b6f0c1e-8a7d",
      cwd: PROJECT,
      hook_event_name: "PermissionDenied",
      tool_name: "Bash",
      tool_input: { command: "curl evil.example" },
      reason: "blocked by policy",
    },
    truncated: false,
  });
  assert.equal(rendered.title, "webapp: PermissionDenied");
  assert.match(rendered.body, /^Bash: curl evil\.example$/m);
  assert.match(rendered.body, /^reason: blocked by policy$/m);
  assert.doesNotMatch(rendered.body, /transcript_path|session_id:/);
  assert.deepEqual(rendered.tags, ["bell"]);
});

Deno.test("renderNotification() uses custom templates with if/else and custom variables", () => {
  const templates: TemplatesConfig = {
    use_custom: true,
    variables: { host: "laptop" },
    custom_templates: {
      PostToolUseFailure:
        '{{#if (eq tool_name "Bash")}}Command `{{command}}` failed{{else}}{{tool_name}} failed{{/if}} on {{host}}\n\n\n\nerror: {{error}}',
    },
    custom_titles: { PostToolUseFailure: "{{upper project_name}} broke at {{time}}" },
  };
  const event = fixtureEvent("post_tool_use_failure.json");
  const rendered = render(event, templates);
  assert.equal(rendered.title, "WEBAPP broke at 14:05");
  assert.match(String(event.payload.error), /^Exit code 2\n\n> webapp@1\.0\.0 build\n/);
  assert.equal(
    rendered.body,
    `Command \`npm run build\` failed on laptop\n\nerror: ${event.payload.error}`,
  );
  assert.deepEqual(rendered.warnings, []);
});

Deno.test("renderNotification() ignores custom templates unless use_custom is on", () => {
  const templates: TemplatesConfig = {
    ...defaultConfig().templates,
    custom_templates: { Stop: "custom" },
  };
  assert.notEqual(render(fixtureEvent("stop.json"), templates).body, "custom");
});

Deno.test("renderNotification() falls back to the built-in template with a warning on a syntax error", () => {
  const templates: TemplatesConfig = {
    use_custom: true,
    variables: {},
    custom_templates: { Stop: "{{#if ready}}unclosed" },
    custom_titles: { Stop: "{{nope a b}}" },
  };
  const rendered = render(fixtureEvent("stop.json"), templates);
  assert.equal(rendered.title, "webapp: Claude finished");
  assert.match(rendered.body, /waiting for your next message/);
  assert.equal(rendered.warnings.length, 2);
  assert.match(
    rendered.warnings[0],
    /templates\.custom_titles\.Stop is invalid.*unknown helper "nope"/,
  );
  assert.match(rendered.warnings[1], /templates\.custom_templates\.Stop is invalid.*1:1: unclosed/);
  assert.match(rendered.warnings[1], /using the built-in one$/);
});

Deno.test("renderNotification() uses a custom 'generic' template for unknown events only", () => {
  const templates: TemplatesConfig = {
    use_custom: true,
    variables: {},
    custom_templates: { generic: "generic: {{event}}" },
    custom_titles: {},
  };
  const unknown = render({ name: "Setup", payload: {}, truncated: false }, templates);
  assert.equal(unknown.body, "generic: Setup");
  assert.notEqual(render(fixtureEvent("stop.json"), templates).body, "generic: Stop");
});

Deno.test("renderNotification() keeps the body within 4096 bytes and never dumps a huge field", () => {
  const huge = "😀".repeat(300_000);
  const rendered = render({
    name: "PostToolUseFailure",
    payload: {
      cwd: PROJECT,
      tool_name: "Bash",
      tool_input: { command: "make", content: huge },
      tool_response: { stdout: huge },
      error: huge,
    },
    truncated: false,
  });
  assert.ok(utf8ByteLength(rendered.body) <= MAX_BODY_BYTES);
  assert.ok(utf8ByteLength(rendered.body) < 8000);
  assert.equal(
    new TextDecoder("utf-8", { fatal: true }).decode(new TextEncoder().encode(rendered.body)),
    rendered.body,
  );

  const custom = render({
    name: "PostToolUse",
    payload: { tool_response: { content: "é".repeat(100_000) } },
    truncated: false,
  }, {
    use_custom: true,
    variables: {},
    custom_templates: {
      PostToolUse:
        "{{tool_response.content}}{{tool_response.content}}{{tool_response.content}}{{tool_response.content}}{{tool_response.content}}",
    },
    custom_titles: {},
  });
  assert.ok(utf8ByteLength(custom.body) <= MAX_BODY_BYTES);
  assert.ok(custom.body.endsWith("…"));
});

Deno.test("renderNotification() caps a long title at 250 bytes on one line", () => {
  const rendered = render({
    name: "Notification",
    payload: { notification_type: "idle_prompt" },
    truncated: false,
  }, {
    use_custom: true,
    variables: {},
    custom_templates: {},
    custom_titles: { Notification: "line one\nline two {{pad}}" },
  });
  assert.equal(rendered.title.startsWith("line one line two"), true);
  const long = renderNotification(
    { name: "Stop", payload: { cwd: `/x/${"ü".repeat(300)}` }, truncated: false },
    { templates: defaultConfig().templates, now: NOW },
  );
  assert.ok(utf8ByteLength(long.title) <= 250);
  assert.ok(long.title.endsWith("…"));
});

Deno.test("renderNotification() says when the event data was cut", () => {
  const rendered = render({ name: "Stop", payload: { cwd: PROJECT }, truncated: true });
  assert.ok(rendered.body.endsWith(TRUNCATED_NOTE));
});
