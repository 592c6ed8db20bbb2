// `claude-ntfy test` as users run it: a real CLI process in a temporary HOME, publishing to
// the loopback ntfy server directly or through a real daemon.
import assert from "node:assert/strict";
import { buildTestTask } from "../../../cli/commands/test.ts";
import { defaultConfig } from "../../../core/config/config.ts";
import { createTestHome } from "../../support/cli_process.ts";
import { startNtfyServer } from "../../support/ntfy_server.ts";

const TOPIC = "claude-k3v9q2m7x4p8w6z5";

Deno.test("test publishes directly when no daemon runs and prints ntfy's message id", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome();
  await home.writeConfig(
    `[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "${TOPIC}"\ndefault_tags = ["robot"]\n`,
  );
  const result = await home.run([
    "test",
    "Build **finished**",
    "--title",
    "Hello from the test",
    "--priority",
    "high",
    "--tags",
    "tada,warning",
    "--click",
    "https://example.com/run/42",
    "--markdown",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const [message] = await server.waitForMessages(1);
  assert.equal(
    result.stdout,
    `Published to ${server.url}/${TOPIC}: ntfy message id ${message.id}\n`,
  );
  assert.equal(message.topic, TOPIC);
  assert.equal(message.message, "Build **finished**");
  assert.equal(message.title, "Hello from the test");
  assert.equal(message.priority, 4);
  assert.deepEqual(message.tags, ["tada", "warning", "robot"]);
  assert.equal(message.click, "https://example.com/run/42");
  assert.equal(message.markdown, true);
  assert.match(result.stderr, /sent directly: the daemon is not running/);
  // A test does not start the daemon or leave work in the spool.
  assert.throws(() => Deno.statSync(home.paths.pidPath), Deno.errors.NotFound);
  assert.deepEqual(
    [...(() => {
      try {
        return Deno.readDirSync(home.paths.spoolDir);
      } catch {
        return [];
      }
    })()],
    [],
  );
});

Deno.test("test goes through the daemon when it runs and prints the daemon's task id", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome();
  await home.writeConfig(`[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "${TOPIC}"\n`);
  await home.startDaemon();
  const result = await home.run(["test", "via the daemon", "--priority", "1"]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    new RegExp(`^Queued by the daemon as task \\S+ for ${server.url}/${TOPIC}\\n$`),
  );
  const [message] = await server.waitForMessages(1, 10_000);
  assert.equal(message.message, "via the daemon");
  assert.equal(message.priority, 1);
  assert.equal(message.title, "claude-ntfy test");

  const direct = await home.run(["test", "--no-daemon", "skip it"]);
  assert.equal(direct.code, 0, direct.stderr);
  const messages = await server.waitForMessages(2, 10_000);
  assert.equal(
    direct.stdout,
    `Published to ${server.url}/${TOPIC}: ntfy message id ${messages[1].id}\n`,
  );
  assert.equal(direct.stderr, "", "no fallback note: the daemon was skipped on purpose");
});

Deno.test("test --topic with a full URL picks the server too, and credentials come from the config", async () => {
  await using server = await startNtfyServer({
    tokens: ["tk_test_token_0123456789abcdefghij"],
    requireAuth: true,
  });
  await using home = await createTestHome();
  // The configured server refuses connections: only the topic URL can make this work.
  await home.writeConfig(
    `[ntfy]\nserver_url = "http://127.0.0.1:9"\ndefault_topic = "${TOPIC}"\n` +
      `auth_token = "tk_test_token_0123456789abcdefghij"\n`,
  );
  const result = await home.run([
    "test",
    "--no-daemon",
    "--topic",
    `${server.url}/other-topic-x9`,
  ]);
  assert.equal(result.code, 0, result.stderr);
  const [message] = await server.waitForMessages(1);
  assert.equal(message.topic, "other-topic-x9");
  assert.equal(message.user, "token");
  assert.equal(message.message, "Test notification from claude-ntfy");
});

Deno.test("test without a topic says to run init, and sends nothing", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome();
  await home.writeConfig(`[ntfy]\nserver_url = "${server.url}"\n`);
  const result = await home.run(["test", "hello"]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /not sent: No ntfy topic configured: run "claude-ntfy init"/);
  assert.equal(result.stdout, "");
  assert.equal(server.requests, 0);
});

Deno.test("test reports ntfy's refusal with exit code 1", async () => {
  await using server = await startNtfyServer({
    tokens: ["tk_right_token_0123456789abcdefgh"],
    requireAuth: true,
  });
  await using home = await createTestHome();
  await home.writeConfig(`[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "${TOPIC}"\n`);
  const result = await home.run(["test", "--no-daemon", "hello"]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^claude-ntfy test: not sent: .*403/);
  assert.equal(server.messages.length, 0);
});

Deno.test("test rejects a bad priority or click URL with the usage exit code", async () => {
  await using home = await createTestHome();
  const priority = await home.run(["test", "--priority", "6", "hi"]);
  assert.equal(priority.code, 64);
  assert.match(priority.stderr, /--priority must be 1-5 or min, low, default, high, max, urgent/);
  const click = await home.run(["test", "--click", "not a url", "hi"]);
  assert.equal(click.code, 64);
});

Deno.test("buildTestTask() takes target settings from the config and the rest from the message", () => {
  const config = defaultConfig();
  config.ntfy.server_url = "https://ntfy.example.com";
  config.ntfy.default_topic = TOPIC;
  config.ntfy.username = "ada";
  config.ntfy.password = "s3cret";
  config.ntfy.send_format = "text";
  config.ntfy.timeout_secs = 3;
  config.ntfy.default_priority = 2;
  const task = buildTestTask(config, { body: "hi" }, { project: "/src/app", now: 1234 });
  assert.deepEqual(task, {
    target: {
      serverUrl: "https://ntfy.example.com",
      topic: TOPIC,
      auth: { type: "basic", username: "ada", password: "s3cret" },
      sendFormat: "text",
      timeoutSecs: 3,
    },
    message: { title: "claude-ntfy test", body: "hi", priority: 2, tags: [] },
    origin: { event: "test", project: "/src/app", createdAt: 1234 },
  });
  assert.throws(() => buildTestTask(config, { body: "hi", topic: "has spaces" }, { now: 0 }), {
    code: "CONFIG_INVALID",
  });
  config.ntfy.default_topic = "";
  assert.throws(() => buildTestTask(config, { body: "hi" }, { now: 0 }), {
    code: "CONFIG_NO_TOPIC",
  });
});
