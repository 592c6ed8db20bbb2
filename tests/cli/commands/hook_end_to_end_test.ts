// Every hook payload fixture (tests/fixtures/hooks) goes through the real `claude-ntfy hook`
// command into a real daemon and arrives at the loopback ntfy server.
import { deepEqual, deepStrictEqual, equal, ok } from "node:assert/strict";
import { startNtfyServer } from "../../support/ntfy_server.ts";
import { createTestHome } from "../../support/cli_process.ts";
import {
  fixtureBytes,
  fixtureInSession,
  fixtureNames,
  SEND_AT_ONCE_TOML,
} from "../../support/hook_fixtures.ts";

const TOKEN = "tk_e2e_secret_token_0123456789";

interface Expected {
  topic: string;
  priority: number;
  text: string[];
}

const E2E = "claude-e2e";

const EXPECTED: Record<string, Expected> = {
  "message_display.json": { topic: E2E, priority: 3, text: ["I'll run a quick command."] },
  "notification_auth_success.json": { topic: E2E, priority: 3, text: ["login successful"] },
  "notification_elicitation_dialog.json": { topic: E2E, priority: 4, text: ["needs your input"] },
  "notification_idle.json": { topic: E2E, priority: 4, text: ["waiting for your input"] },
  "notification_permission.json": { topic: E2E, priority: 4, text: ["permission to use Write"] },
  "permission_request.json": { topic: E2E, priority: 4, text: ["rm -rf dist"] },
  "post_compact.json": { topic: E2E, priority: 3, text: ["PostCompact", "REST, not GraphQL"] },
  "post_tool_batch.json": { topic: E2E, priority: 2, text: ["PostToolBatch", "echo hi"] },
  "post_tool_batch_denied.json": { topic: E2E, priority: 2, text: ["rm -rf dist"] },
  "post_tool_use_bash.json": { topic: E2E, priority: 2, text: ["Bash done", "echo hi"] },
  "post_tool_use_failure.json": { topic: E2E, priority: 5, text: ["tsc found 3 errors"] },
  "post_tool_use_write.json": { topic: E2E, priority: 2, text: ["src/app.ts"] },
  "pre_compact.json": { topic: E2E, priority: 2, text: ["webapp", "Keep the API decisions"] },
  "pre_tool_use_bash.json": { topic: E2E, priority: 2, text: ["$ echo hi"] },
  "pre_tool_use_write.json": { topic: E2E, priority: 2, text: [": Write", "src/app.ts"] },
  "session_end.json": { topic: E2E, priority: 2, text: ["webapp", "Reason: other"] },
  "session_start.json": { topic: E2E, priority: 2, text: ["webapp", "Source: startup"] },
  "session_start_compact.json": { topic: E2E, priority: 2, text: ["Source: compact"] },
  "session_start_resume.json": { topic: E2E, priority: 2, text: ["session resumed"] },
  "stop.json": { topic: "claude-done", priority: 3, text: ["webapp"] },
  "stop_background_tasks.json": { topic: "claude-done", priority: 3, text: ["webapp"] },
  "subagent_start.json": { topic: E2E, priority: 2, text: ["Explore agent started"] },
  "subagent_stop.json": { topic: E2E, priority: 2, text: ["Explore"] },
  "subagent_stop_compaction.json": { topic: E2E, priority: 2, text: ["REST, not GraphQL"] },
  "unknown_future_event.json": {
    topic: E2E,
    priority: 3,
    text: ["ContextBudgetWarning", "90% full"],
  },
  "user_prompt_submit.json": { topic: E2E, priority: 2, text: ["Check that the shell works"] },
  "user_prompt_submit_task_notification.json": {
    topic: E2E,
    priority: 2,
    text: ["task-notification"],
  },
};

function config(serverUrl: string): string {
  return `[ntfy]
server_url = "${serverUrl}"
default_topic = "claude-e2e"
auth_token = "${TOKEN}"

[hooks]
delay_secs = 0

[hooks.events]
"*" = true
PreToolUse = true
PostToolUse = true
UserPromptSubmit = true
SubagentStart = true
SubagentStop = true
SessionStart = true
SessionEnd = true
PreCompact = true

[hooks.topics]
Stop = "claude-done"

[hooks.priorities]
PostToolUseFailure = 5

# Each fixture's own message is checked: no digests.
[daemon]
digest_after = 0
`;
}

Deno.test("every fixture goes through hook and the daemon to ntfy with the right topic, priority and text", async () => {
  const server = await startNtfyServer({ tokens: [TOKEN], requireAuth: true });
  const home = await createTestHome();
  try {
    await home.writeConfig(config(server.url));
    await home.startDaemon();
    const names = fixtureNames();
    deepEqual(names, Object.keys(EXPECTED).sort(), "one expectation per fixture");
    for (const name of names) {
      // One session per fixture: as events of one session, later ones would end or merge
      // with earlier ones, and this test is about each event's own notification.
      const result = await home.run(["hook"], { stdin: fixtureInSession(name, `s-${name}`) });
      equal(result.code, 0, `${name}: ${result.stderr}`);
      equal(result.stdout, "", `${name}: a hook prints nothing on stdout`);
    }
    const messages = await server.waitForMessages(names.length, 10_000);
    equal(messages.length, names.length);
    for (const name of names) {
      const expected = EXPECTED[name]!;
      const event = JSON.parse(new TextDecoder().decode(fixtureBytes(name))).hook_event_name;
      const matching = messages.filter((m) =>
        m.topic === expected.topic && m.priority === expected.priority &&
        expected.text.every((text) => `${m.title}\n${m.message}`.includes(text))
      );
      ok(
        matching.length >= 1,
        `${name} (${event}): no message matched ${JSON.stringify(expected)}`,
      );
    }
    for (const message of messages) {
      equal(message.authorization, `Bearer ${TOKEN}`);
      ok(new TextEncoder().encode(message.message).byteLength <= 4096);
    }
    const status = await home.run(["daemon", "status", "--json"]);
    const parsed = JSON.parse(status.stdout);
    equal(parsed.delivered, names.length);
    equal(parsed.requests.event, names.length, "each hook forwarded its raw event");
    ok(!status.stdout.includes(TOKEN), "status never shows the token");
    await home.run(["daemon", "stop"]);
    const log = await Deno.readTextFile(home.paths.logPath);
    ok(!log.includes(TOKEN), "the daemon log never shows the token");
  } finally {
    await home.cleanup();
    await server.close();
  }
});

Deno.test("events that are off by default send nothing and exit 0", async () => {
  const server = await startNtfyServer();
  const home = await createTestHome();
  try {
    await home.writeConfig(
      `[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "claude-e2e"\n${SEND_AT_ONCE_TOML}`,
    );
    await home.startDaemon();
    for (
      const name of [
        "pre_tool_use_bash.json",
        "post_tool_use_write.json",
        "user_prompt_submit.json",
      ]
    ) {
      const result = await home.run(["hook"], { stdin: fixtureBytes(name) });
      equal(result.code, 0, result.stderr);
      equal(result.stdout, "");
    }
    const result = await home.run(["hook"], { stdin: fixtureBytes("stop.json") });
    equal(result.code, 0, result.stderr);
    const [message] = await server.waitForMessages(1, 5_000);
    equal(message!.topic, "claude-e2e");
    await new Promise((resolve) => setTimeout(resolve, 200));
    equal(server.messages.length, 1, "only Stop was sent");
  } finally {
    await home.cleanup();
    await server.close();
  }
});

Deno.test("with no daemon running, hook spools the task, starts the daemon, and it arrives", async () => {
  const server = await startNtfyServer();
  const home = await createTestHome();
  try {
    await home.writeConfig(
      `[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "claude-e2e"\n${SEND_AT_ONCE_TOML}`,
    );
    const result = await home.run(["hook", "-v"], {
      stdin: fixtureBytes("notification_permission.json"),
    });
    equal(result.code, 0, result.stderr);
    ok(/spooled to .*starting the daemon/.test(result.stderr), result.stderr);
    const [message] = await server.waitForMessages(1, 10_000);
    ok(message!.message.includes("permission to use Write"));
    const status = await home.run(["daemon", "status", "--json"]);
    equal(status.code, 0, "the hook left a daemon running");
    equal(JSON.parse(status.stdout).delivered, 1);
  } finally {
    await home.run(["daemon", "stop"]);
    await home.cleanup();
    await server.close();
  }
});

Deno.test("with autostart off, hook spools, says so, and a later daemon delivers it", async () => {
  const server = await startNtfyServer();
  const home = await createTestHome();
  try {
    await home.writeConfig(
      `[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "claude-e2e"\n${SEND_AT_ONCE_TOML}`,
    );
    const result = await home.run(["hook"], {
      stdin: fixtureBytes("stop.json"),
      env: { CLAUDE_NTFY_AUTOSTART: "0" },
    });
    equal(result.code, 0, result.stderr);
    ok(
      /spooled; the daemon is not running and autostart is off/.test(result.stderr),
      result.stderr,
    );
    equal(server.messages.length, 0);
    await home.startDaemon();
    const [message] = await server.waitForMessages(1, 10_000);
    equal(message!.topic, "claude-e2e");
  } finally {
    await home.cleanup();
    await server.close();
  }
});

Deno.test("--no-daemon publishes directly and never touches the socket", async () => {
  const server = await startNtfyServer();
  const home = await createTestHome();
  try {
    await home.writeConfig(
      `[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "claude-e2e"\n${SEND_AT_ONCE_TOML}`,
    );
    const result = await home.run(["hook", "--no-daemon", "-v"], {
      stdin: fixtureBytes("stop.json"),
    });
    equal(result.code, 0, result.stderr);
    ok(/published as /.test(result.stderr), result.stderr);
    await server.waitForMessages(1, 5_000);
    const status = await home.run(["daemon", "status"]);
    equal(status.code, 3, "no daemon was started");
  } finally {
    await home.cleanup();
    await server.close();
  }
});

Deno.test("a task for a host outside the daemon's permissions gets HOST_NOT_PERMITTED, not a crash", async () => {
  const server = await startNtfyServer();
  const other = await startNtfyServer();
  const home = await createTestHome();
  try {
    await home.writeConfig(
      `[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "claude-e2e"\n${SEND_AT_ONCE_TOML}`,
    );
    await home.startDaemon();
    const result = await home.run(["hook", "-v"], {
      stdin: fixtureBytes("stop.json"),
      env: { CLAUDE_NTFY_SERVER: other.url },
    });
    ok(result.code !== 2);
    equal(result.code, 1, result.stderr);
    ok(/HOST_NOT_PERMITTED/.test(result.stderr), result.stderr);
    ok(/restart the daemon/.test(result.stderr), result.stderr);
    const ping = await home.run(["daemon", "ping"]);
    equal(ping.code, 0, "the daemon is still up");
  } finally {
    await home.cleanup();
    await server.close();
    await other.close();
  }
});

Deno.test("events too big for one frame (a huge tool output) are cut to fit and still delivered through the daemon", async () => {
  const server = await startNtfyServer();
  const home = await createTestHome();
  try {
    await home.writeConfig(
      `[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "claude-e2e"\n${SEND_AT_ONCE_TOML}\n[daemon]\nautostart = false\n`,
    );
    await home.startDaemon();
    const event = (size: number) =>
      JSON.stringify({
        hook_event_name: "PostToolUseFailure",
        session_id: "s-big",
        cwd: home.home,
        tool_name: "Bash",
        error: "x".repeat(size),
      });
    // Just under the 1 MiB stdin limit, and far over it (cut while read).
    for (const stdin of [event(1024 * 1024 - 300), event(3 * 1024 * 1024)]) {
      const result = await home.run(["hook"], { stdin });
      equal(result.code, 0, result.stderr);
      equal(result.stderr, "", "no error, nothing spooled");
    }
    const messages = await server.waitForMessages(2, 10_000);
    deepStrictEqual(messages.map((m) => m.topic), ["claude-e2e", "claude-e2e"]);
    equal((await home.status())?.requests.event, 2, "both went to the daemon as events");
  } finally {
    await home.cleanup();
    await server.close();
  }
});
