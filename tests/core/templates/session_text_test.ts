// What a notification says about its session: the project and a short label in every
// title, Claude's reply as the Markdown body of Stop (cut to ntfy's limit on a character
// boundary), what a permission dialog wants, and secrets masked before the cut.
import assert from "node:assert/strict";
import { defaultConfig } from "../../../core/config/mod.ts";
import {
  MAX_BODY_BYTES,
  renderNotification,
  type RenderNotificationOptions,
  utf8ByteLength,
} from "../../../core/templates/mod.ts";
import { SecretRedactor } from "../../../core/redact/mod.ts";
import { fixtureEvent } from "../../support/hook_fixtures.ts";

const PROJECT = "/home/user/webapp";

function render(
  name: string,
  change: Record<string, unknown> = {},
  options: Partial<RenderNotificationOptions> = {},
) {
  const event = fixtureEvent(name);
  return renderNotification(
    { ...event, payload: { ...event.payload, ...change } },
    { templates: defaultConfig().templates, projectDir: PROJECT, now: 0, ...options },
  );
}

Deno.test("renderNotification() names the session by its label when the daemon knows one", () => {
  const rendered = render("permission_request.json", {}, {
    session: { label: "Clean the build…", state: "waiting_permission" },
  });
  assert.equal(rendered.title, "webapp · Clean the build…: allow Bash?");
  assert.equal(
    rendered.body,
    "$ rm -rf dist\nClean build output\nClaude is waiting for your answer.",
  );
});

Deno.test("renderNotification() shows a permission Notification the tool call it is about", () => {
  const rendered = render("notification_permission.json", {}, {
    session: { label: "deploy", pendingTool: "$ ./deploy.sh --prod" },
  });
  assert.equal(rendered.title, "webapp · deploy: needs permission");
  assert.equal(rendered.body, "Claude needs your permission to use Write\n$ ./deploy.sh --prod");
});

Deno.test("renderNotification() sends Stop's reply as Markdown, paragraphs and code kept", () => {
  const reply = "## Done\n\nThe tests pass:\n\n```\nok 12 tests\n```\n\n- fixed `login()`";
  const rendered = render("stop.json", { last_assistant_message: reply });
  assert.equal(rendered.markdown, true);
  assert.equal(rendered.body, reply);
});

Deno.test("renderNotification() cuts a long reply to 4096 bytes on a character boundary", () => {
  // 3-byte characters do not divide 4096: a byte cut would split one.
  const reply = `Summary\n\n${"€".repeat(3000)}`;
  const rendered = render("stop.json", { last_assistant_message: reply });
  const bytes = utf8ByteLength(rendered.body);
  assert.ok(bytes <= MAX_BODY_BYTES && bytes > MAX_BODY_BYTES - 8, `${bytes} bytes`);
  assert.ok(rendered.body.startsWith("Summary\n\n€€€"));
  assert.ok(rendered.body.endsWith("€…"));
  const roundTrip = new TextDecoder("utf-8", { fatal: true })
    .decode(new TextEncoder().encode(rendered.body));
  assert.equal(roundTrip, rendered.body);
});

Deno.test("renderNotification() closes a code block the cut left open", () => {
  const reply = `Output:\n\n\`\`\`\n${"line of log output\n".repeat(400)}\`\`\`\nAll good.`;
  const rendered = render("stop.json", { last_assistant_message: reply });
  assert.ok(utf8ByteLength(rendered.body) <= MAX_BODY_BYTES);
  assert.ok(rendered.body.endsWith("…\n```"), rendered.body.slice(-40));
});

Deno.test("renderNotification() masks secrets before cutting, in the title too", () => {
  const redactor = new SecretRedactor();
  const rendered = render("permission_request.json", {
    tool_input: { command: "STRIPE_SECRET_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc ./charge.sh" },
  }, {
    session: { label: "PASSWORD=hunter22" },
    redact: (text) => redactor.redact(text),
  });
  assert.equal(rendered.title, "webapp · PASSWORD=***: allow Bash?");
  assert.match(rendered.body, /^\$ STRIPE_SECRET_KEY=\*\*\* \.\/charge\.sh$/m);
  assert.doesNotMatch(`${rendered.title}${rendered.body}`, /hunter22|sk_live/);
});

Deno.test("renderNotification() says a Stop with background work is paused, not finished", () => {
  const rendered = render("stop_background_tasks.json");
  assert.equal(rendered.title, "webapp · 2b6f0c1e: paused, 1 background task running");
  assert.doesNotMatch(`${rendered.title}\n${rendered.body}`, /finished/i);
  assert.match(rendered.body, /Still running: Build in the background$/);
});
