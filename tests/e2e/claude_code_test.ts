// The real Claude Code CLI (npm, pinned, cached outside the repo) runs headless against a
// loopback stand-in for the Anthropic API, in a project where `claude-ntfy init
// --install-hooks` registered the hook: what Claude Code sends on the hooks' stdin goes
// through the installed command, the daemon it starts, and arrives at a loopback ntfy.
// Headless, a PermissionRequest is followed within milliseconds by PostToolBatch (the tool
// denied): with a hold, that notification is dropped, and only Stop reaches the phone.
// Needs npm and the npm registry on the first run; fails (never skips) without them.
import assert from "node:assert/strict";
import { scriptedConversation, startAnthropicApiServer } from "../support/anthropic_api_server.ts";
import {
  CLAUDE_CODE_VERSION,
  claudeEnv,
  installClaudeCode,
  runClaude,
} from "../support/claude_code.ts";
import { createTestHome, stopDaemonOf } from "../support/cli_process.ts";
import { startNtfyServer } from "../support/ntfy_server.ts";
import { HOOKED_EVENTS } from "../../cli/install/hooked_events.ts";

const FINAL_TEXT = "I could not clean dist: the permission was not granted.";

Deno.test(`Claude Code ${CLAUDE_CODE_VERSION} runs the installed hook: the denied permission is dropped, Stop reaches ntfy with the reply`, async () => {
  const claude = await installClaudeCode();
  const ntfy = await startNtfyServer();
  const api = startAnthropicApiServer({
    reply: scriptedConversation([
      [{ type: "text", text: "I'll clean it." }, {
        type: "tool_use",
        name: "Bash",
        input: { command: "rm -rf dist", description: "Clean build output" },
      }],
      [{ type: "text", text: FINAL_TEXT }],
    ]),
  });
  const home = await createTestHome("claude-ntfy-e2e-");
  const project = `${home.home}/shop-frontend`;
  const stateDir = `${project}/.claude/ntfy-service`;
  const inProject = { env: { CLAUDE_PROJECT_DIR: project } };
  try {
    await Deno.mkdir(project);
    const init = await home.run(
      ["init", "--install-hooks", "--project", project, "--server", ntfy.url],
      inProject,
    );
    assert.equal(init.code, 0, init.stderr);
    const settings = JSON.parse(await Deno.readTextFile(`${project}/.claude/settings.json`));
    assert.deepEqual(
      Object.keys(settings.hooks),
      HOOKED_EVENTS.map((entry) => entry.event),
    );
    const delay = await home.run(["config", "set", "hooks.delay_secs", "0.3"], inProject);
    assert.equal(delay.code, 0, delay.stderr);
    const config = await Deno.readTextFile(`${stateDir}/config.toml`);
    const topic = /^default_topic = "([^"]+)"$/m.exec(config)?.[1];
    assert.ok(topic !== undefined, `no default_topic in:\n${config}`);

    const run = await runClaude(claude.path, ["-p", "Clean the build output"], {
      cwd: project,
      env: claudeEnv({
        home: home.home,
        apiUrl: api.url,
        tmpDir: home.home,
        extra: { DENO_DIR: home.env.DENO_DIR },
      }),
    });
    assert.equal(run.code, 0, `claude failed:\n${run.stderr}\n${run.stdout}`);
    assert.equal(run.stdout.trim(), FINAL_TEXT);

    const [stopped] = await ntfy.waitForMessages(1, 15_000);
    assert.equal(stopped.topic, topic);
    assert.equal(stopped.title, "shop-frontend · Clean the build output: Claude finished");
    assert.equal(stopped.message, FINAL_TEXT);
    assert.equal(stopped.markdown, true);
    assert.equal(stopped.priority, 3);

    // The hook printed no decision, so Claude Code's own rule denied the tool.
    const second = JSON.stringify(api.log.messages[1]?.body.messages?.at(-1));
    assert.match(second, /"is_error":true/);
    assert.match(second, /needs approval/);

    const status = await home.run(["daemon", "status", "--json"], inProject);
    assert.equal(status.code, 0, `the first hook started a daemon: ${status.stderr}`);
    const facts = JSON.parse(status.stdout);
    assert.equal(facts.cancelled, 1, "the permission request, held, then dropped");
    assert.equal(facts.delivered, 1);
    assert.equal(facts.queueSize, 0, "nothing else is held");
    assert.equal(ntfy.messages.length, 1, "nothing else was sent");
  } finally {
    await stopDaemonOf(home, `${stateDir}/daemon.pid`, inProject);
    await home.cleanup();
    await api.close();
    await ntfy.close();
  }
});
