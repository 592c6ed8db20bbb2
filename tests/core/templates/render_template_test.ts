import assert from "node:assert/strict";
import { MAX_VALUE_CHARS, renderTemplate, TemplateError } from "../../../core/templates/mod.ts";

function syntaxError(source: string): TemplateError {
  try {
    renderTemplate(source, {});
  } catch (error) {
    assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${error}`);
    assert.equal(error.code, "TEMPLATE_SYNTAX");
    return error;
  }
  assert.fail(`expected ${JSON.stringify(source)} to be rejected`);
}

Deno.test("renderTemplate() fills in variables and nested paths, missing ones as nothing", () => {
  const variables = { tool_name: "Edit", tool_input: { file_path: "src/a.ts" }, count: 3 };
  assert.equal(
    renderTemplate(
      "{{tool_name}} {{ tool_input.file_path }} x{{count}} [{{missing.deep}}]",
      variables,
    ),
    "Edit src/a.ts x3 []",
  );
  assert.equal(renderTemplate("{{{tool_name}}} <b>", variables), "Edit <b>", "nothing is escaped");
});

Deno.test("renderTemplate() supports if / else if / else and unless", () => {
  const template =
    '{{#if error}}failed: {{error}}{{else if (eq status "ok")}}ok{{else}}unknown{{/if}}';
  assert.equal(renderTemplate(template, { error: "boom" }), "failed: boom");
  assert.equal(renderTemplate(template, { status: "ok" }), "ok");
  assert.equal(renderTemplate(template, {}), "unknown");
  assert.equal(renderTemplate("{{#unless quiet}}loud{{else}}quiet{{/unless}}", {}), "loud");
  assert.equal(renderTemplate("{{#if a}}{{#if b}}ab{{else}}a{{/if}}{{/if}}", { a: 1 }), "a");
});

Deno.test("renderTemplate() treats false, 0, empty strings and empty lists as false", () => {
  for (const value of [false, 0, "", null, undefined, []]) {
    assert.equal(
      renderTemplate("{{#if v}}yes{{else}}no{{/if}}", { v: value }),
      "no",
      String(value),
    );
  }
  for (const value of [true, 1, "x", [1], {}]) {
    assert.equal(renderTemplate("{{#if v}}yes{{else}}no{{/if}}", { v: value }), "yes");
  }
});

Deno.test("renderTemplate() runs the helpers used by claude-code-ntfy-service templates", () => {
  const variables = { tool_name: "Bash", content: "x".repeat(150), prompt: "abcdef" };
  assert.equal(
    renderTemplate(
      '{{#if (eq tool_name "Read")}}R{{else if (eq tool_name "Bash")}}B{{else}}?{{/if}}',
      variables,
    ),
    "B",
  );
  assert.equal(
    renderTemplate("{{#if (gt (len content) 100)}}{{len content}} chars{{/if}}", variables),
    "150 chars",
  );
  assert.equal(renderTemplate("{{substr prompt 0 3}}...", variables), "abc...");
  assert.equal(renderTemplate("{{truncate prompt 4}}", variables), "abc…");
  assert.equal(renderTemplate('{{default nickname "anon"}}', variables), "anon");
  assert.equal(renderTemplate("{{#if (and tool_name (not missing))}}y{{/if}}", variables), "y");
  assert.equal(renderTemplate("{{upper tool_name}}", variables), "BASH");
});

Deno.test("renderTemplate() supports comments and ~ whitespace control", () => {
  assert.equal(renderTemplate("a{{! note }}b{{!-- {{not a tag}} --}}c", {}), "abc");
  assert.equal(
    renderTemplate("line\n  {{~#if x~}}\n  X\n{{~/if}}\nend", { x: true }),
    "lineX\nend",
  );
});

Deno.test("renderTemplate() never writes a huge value whole", () => {
  const output = renderTemplate("{{big}}", { big: "y".repeat(100_000) });
  assert.equal(output.length, MAX_VALUE_CHARS);
  assert.ok(output.endsWith("…"));
  const object = renderTemplate("{{obj}}", { obj: { content: "z".repeat(10_000) } });
  assert.ok(object.length <= 200);
  assert.ok(object.startsWith('{"content":"zzz'));
});

Deno.test("renderTemplate() rejects syntax errors with a position", () => {
  assert.match(syntaxError("ok\n  {{#if ready}}go").message, /at 2:3: unclosed "\{\{#if\}\}"/);
  assert.match(syntaxError("{{/if}}").message, /closes no block/);
  assert.match(syntaxError("{{#if a}}x{{/unless}}").message, /closes "\{\{#if\}\}" opened at 1:1/);
  assert.match(syntaxError("{{#each items}}x{{/each}}").message, /unsupported block/);
  assert.match(syntaxError("{{shout name}}").message, /unknown helper "shout"/);
  assert.match(syntaxError("{{#if (eq a)}}x{{/if}}").message, /"eq" takes 2 argument/);
  assert.match(syntaxError("{{name").message, /unclosed "\{\{"/);
  assert.match(syntaxError("{{#if a}}1{{else}}2{{else}}3{{/if}}").message, /second "\{\{else\}\}"/);
  assert.match(syntaxError("{{> partial}}").message, /partials/);
});

Deno.test("renderTemplate() renders a template it has seen before with the new variables, and keeps rejecting a bad one", () => {
  const source = "{{#if urgent}}NOW: {{/if}}{{tool_name}}";
  assert.equal(renderTemplate(source, { urgent: true, tool_name: "Bash" }), "NOW: Bash");
  assert.equal(renderTemplate(source, { urgent: false, tool_name: "Edit" }), "Edit");
  // Many more templates than are kept parsed: each still renders as itself.
  for (let n = 0; n < 300; n++) {
    assert.equal(renderTemplate(`#${n}: {{name}}`, { name: `v${n}` }), `#${n}: v${n}`);
  }
  assert.equal(renderTemplate(source, { urgent: true, tool_name: "Read" }), "NOW: Read");
  for (let attempt = 0; attempt < 2; attempt++) {
    assert.match(syntaxError("{{#if a}}x").message, /unclosed/);
  }
});
