// The real Claude Code CLI, headless (`claude -p`, which waits for a PermissionRequest
// hook), against the loopback API stand-in: the model asks to run a Bash command that needs
// permission, the test plays the phone and taps a button on the notification, and the
// hook's decision is what Claude Code does: Allow runs the tool, Deny does not.
// Needs npm and the npm registry on the first run (see claude_code_test.ts).
import assert from "node:assert/strict";
import { scriptedConversation, startAnthropicApiServer } from "../support/anthropic_api_server.ts";
import {
  CLAUDE_CODE_VERSION,
  claudeEnv,
  installClaudeCode,
  runClaude,
} from "../support/claude_code.ts";
import { createTestHome, stopDaemonOf } from "../support/cli_process.ts";
import {
  type NtfyTestServer,
  type ReceivedMessage,
  startNtfyServer,
} from "../support/ntfy_server.ts";
import { tapButton } from "../support/phone.ts";
import { waitFor } from "../support/wait_for.ts";

const COMMAND = "rm -rf dist";

async function approvalMessage(ntfy: NtfyTestServer): Promise<ReceivedMessage> {
  const withButtons = () => ntfy.messages.find((message) => (message.actions?.length ?? 0) > 0);
  await waitFor(() => withButtons() !== undefined, {
    what: "the approval notification",
    timeoutMs: 30_000,
  });
  return withButtons()!;
}

/** The tool_result Claude Code sent back to the model, as JSON text. */
function toolResult(body: { messages?: readonly { role: string; content: unknown }[] }): string {
  const last = body.messages?.at(-1);
  const results = Array.isArray(last?.content)
    ? last.content.filter((block: { type?: string }) => block.type === "tool_result")
    : [];
  return JSON.stringify(results);
}

async function runWithPhone(tap: "Allow" | "Deny") {
  const claude = await installClaudeCode();
  const ntfy = await startNtfyServer();
  const api = startAnthropicApiServer({
    reply: scriptedConversation([
      [{ type: "text", text: "I'll clean it." }, {
        type: "tool_use",
        name: "Bash",
        input: { command: COMMAND, description: "Clean build output" },
      }],
      [{ type: "text", text: "Done." }],
    ]),
  });
  const home = await createTestHome("claude-ntfy-e2e-");
  const project = `${home.home}/shop-frontend`;
  const stateDir = `${project}/.claude/ntfy-service`;
  const inProject = { env: { CLAUDE_PROJECT_DIR: project } };
  try {
    await Deno.mkdir(`${project}/dist`, { recursive: true });
    await Deno.writeTextFile(`${project}/dist/app.js`, "built\n");
    const init = await home.run(
      ["init", "--approval", "--install-hooks", "--project", project, "--server", ntfy.url],
      inProject,
    );
    assert.equal(init.code, 0, init.stderr);
    const settings = JSON.parse(await Deno.readTextFile(`${project}/.claude/settings.json`));
    assert.equal(settings.hooks.PermissionRequest[0].hooks[0].timeout, 120);
    // Started now rather than by the first hook, so the permission request finds it up.
    const started = await home.run(["daemon", "start", "--detach"], inProject);
    assert.equal(started.code, 0, started.stderr);

    const running = runClaude(claude.path, ["-p", "Clean the build output"], {
      cwd: project,
      env: claudeEnv({
        home: home.home,
        apiUrl: api.url,
        tmpDir: home.home,
        extra: { DENO_DIR: home.env.DENO_DIR },
      }),
      timeoutMs: 90_000,
    });
    const message = await approvalMessage(ntfy);
    // Titles name the project and the session, labelled by its first prompt.
    assert.equal(message.title, "shop-frontend · Clean the build output: allow Bash?");
    assert.match(message.message, /^\$ rm -rf dist$/m);
    // Claude Code waits for the hook: the tool has not run while the phone is asked.
    assert.ok(await exists(`${project}/dist/app.js`), "nothing ran before the answer");
    await tapButton(message, tap);
    const run = await running;
    assert.equal(run.code, 0, `claude failed:\n${run.stderr}\n${run.stdout}`);
    assert.equal(run.stdout.trim(), "Done.");
    const second = api.log.messages[1];
    assert.ok(second, "Claude Code went back to the model with the tool's result");
    return {
      distRemoved: !(await exists(`${project}/dist`)),
      result: toolResult(second.body),
      ms: run.ms,
    };
  } finally {
    await stopDaemonOf(home, `${stateDir}/daemon.pid`, inProject);
    await home.cleanup();
    await api.close();
    await ntfy.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test(`Claude Code ${CLAUDE_CODE_VERSION}: Allow tapped on the phone runs the tool`, async () => {
  const { distRemoved, result } = await runWithPhone("Allow");
  assert.equal(distRemoved, true, "rm -rf dist ran");
  assert.match(result, /"is_error":false/, result);
  assert.match(result, /Bash completed with no output/, result);
});

Deno.test(`Claude Code ${CLAUDE_CODE_VERSION}: Deny tapped on the phone keeps the tool from running`, async () => {
  const { distRemoved, result } = await runWithPhone("Deny");
  assert.equal(distRemoved, false, "rm -rf dist did not run");
  assert.match(result, /"is_error":true/, result);
  assert.match(result, /Denied from the phone \(claude-ntfy\)\./, result);
});
