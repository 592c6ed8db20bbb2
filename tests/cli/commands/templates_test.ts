import assert from "node:assert/strict";
import { templatesCommand } from "../../../cli/commands/templates.ts";
import { configCommand } from "../../../cli/commands/config.ts";
import { memoryIo, withDirs } from "./_io.ts";

Deno.test("templates lists every event with on/off, built-in or custom, and tags", async () => {
  await withDirs(async ({ home, project }) => {
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await templatesCommand.run([], io), 0);
    assert.match(io.out(), /^ {2}Notification +on +built-in +bell$/m);
    assert.match(io.out(), /^ {2}PreToolUse +off +built-in +arrow_forward$/m);
    assert.match(io.out(), /^ {2}generic +built-in +bell$/m);
  });
});

Deno.test("templates --show prints the built-in or custom template and the variables", async () => {
  await withDirs(async ({ home, project }) => {
    const env = { HOME: home };
    const builtin = memoryIo(env, project);
    assert.equal(await templatesCommand.run(["--show", "PermissionRequest"], builtin), 0);
    assert.match(
      builtin.out(),
      /Title \(built-in\):\n {4}\{\{project_name\}\}\{\{#if session_label\}\} · \{\{session_label\}\}\{\{\/if\}\}: allow/,
    );
    assert.match(builtin.out(), /tool_summary/);
    for (const name of ["session_label", "session_state", "last_message", "pending_tool"]) {
      assert.match(builtin.out(), new RegExp(`^ {2}${name} `, "m"), name);
    }

    await configCommand.run(["set", "templates.use_custom", "true"], memoryIo(env, project));
    await configCommand.run(
      ["set", "templates.custom_templates.Stop", "done: {{project_name}}"],
      memoryIo(env, project),
    );
    const custom = memoryIo(env, project);
    await templatesCommand.run(["--show", "Stop"], custom);
    assert.match(custom.out(), /Body \(custom\):\n {4}done: \{\{project_name\}\}/);
    assert.match(custom.out(), /Built-in body:/);

    const list = memoryIo(env, project);
    await templatesCommand.run([], list);
    assert.match(list.out(), /^ {2}Stop +on +custom +white_check_mark$/m);

    const unknown = memoryIo(env, project);
    await templatesCommand.run(["--show", "FutureEvent"], unknown);
    assert.match(unknown.out(), /generic one applies/);
  });
});
