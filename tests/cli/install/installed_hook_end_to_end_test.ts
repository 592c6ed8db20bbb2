// The whole install path as a user meets it: a bundle in a folder with spaces and quotes
// registers itself in a project (also with spaces) and Claude Code's way of running the
// registered command (through sh, with the event on stdin) delivers to ntfy.
import assert from "node:assert/strict";
import { launcherPaths } from "../../../cli/install/deno_launcher.ts";
import { isClaudeNtfyHookCommand } from "../../../cli/install/hook_command_line.ts";
import { createTestHome, REPO_ROOT } from "../../support/cli_process.ts";
import { startNtfyServer } from "../../support/ntfy_server.ts";

const TOPIC = "claude-k3v9q2m7x4p8w6z5";

async function run(
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd: string; stdin?: string },
) {
  const child = new Deno.Command(command, {
    args,
    env: options.env,
    clearEnv: true,
    cwd: options.cwd,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const output = await child.output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

Deno.test("a bundle in a path with spaces installs a hook command that sh runs and that reaches ntfy", async () => {
  const server = await startNtfyServer();
  const home = await createTestHome();
  try {
    const tools = `${home.home}/My Tools/it's "claude-ntfy"`;
    const bundle = `${tools}/dist/claude-ntfy.js`;
    const hookBundle = `${tools}/dist/hook/claude-ntfy-hook.js`;
    // The hook's fast path, and beside it the full hook command it loads for the rest.
    const hookFull = `${tools}/dist/hook/claude-ntfy-hook-full.js`;
    for (
      const [out, entry] of [
        [bundle, "cli/main.ts"],
        [hookBundle, "cli/hook_main.ts"],
        [hookFull, "cli/commands/hook.ts"],
      ]
    ) {
      const built = await run(
        Deno.execPath(),
        ["bundle", "--quiet", "--platform", "deno", "-o", out!, entry!],
        { env: home.env, cwd: REPO_ROOT },
      );
      assert.equal(built.code, 0, built.stderr);
    }

    const project = `${home.home}/Client Work/web app`;
    await Deno.mkdir(`${project}/.claude/ntfy-service`, { recursive: true });
    await Deno.writeTextFile(
      `${project}/.claude/ntfy-service/config.toml`,
      `[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "${TOPIC}"\n\n[daemon]\nenabled = false\n`,
    );
    const cli = ["run", "-A", "--quiet", bundle];
    const env = { ...home.env, CLAUDE_PROJECT_DIR: project };
    const installed = await run(Deno.execPath(), [...cli, "init", "--install-hooks"], {
      env,
      cwd: project,
    });
    assert.equal(installed.code, 0, installed.stderr);
    assert.equal(installed.stderr, "", "the bundle is found: no slow-path warning");

    const settings = JSON.parse(await Deno.readTextFile(`${project}/.claude/settings.json`));
    const command: string = settings.hooks.Stop[0].hooks[0].command;
    assert.ok(
      command.includes(`'${tools.replaceAll("'", `'\\''`)}/dist/hook/claude-ntfy-hook.js' hook`),
      command,
    );
    assert.match(command, / run -A --quiet --no-prompt --no-config --v8-flags=--no-lazy /);
    assert.ok(
      command.startsWith(`${launcherPaths(home.home).script} run `),
      "Deno is started through the launcher, not named by a path that may go",
    );
    assert.ok(isClaudeNtfyHookCommand(command));

    const payload = JSON.stringify({
      hook_event_name: "Stop",
      session_id: "e2e-session",
      cwd: project,
      stop_hook_active: false,
    });
    const hook = await run("sh", ["-c", command], { env, cwd: project, stdin: payload });
    assert.equal(hook.code, 0, hook.stderr);
    assert.equal(hook.stdout, "", "a hook prints nothing on stdout");
    const [message] = await server.waitForMessages(1);
    assert.equal(message.topic, TOPIC);
    assert.match(`${message.title} ${message.message}`, /web app/);

    const removed = await run(Deno.execPath(), [...cli, "uninstall-hooks"], { env, cwd: project });
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${project}/.claude/settings.json`)), {});
  } finally {
    await home.cleanup();
    await server.close();
  }
});
