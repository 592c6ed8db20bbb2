import assert from "node:assert/strict";
import {
  configTemplate,
  defaultConfig,
  generateTopic,
  loadConfig,
} from "../../../core/config/mod.ts";

Deno.test("configTemplate() is valid config whose only change from the defaults is the topic", () => {
  const text = configTemplate({ topic: "claude-abcdefghijklmnopqrstuvwx" });
  const { config, warnings } = loadConfig({
    homeDir: "/h",
    env: () => undefined,
    readTextFile: (path) => path.startsWith("/h/") ? text : null,
  });
  assert.deepEqual(warnings, []);
  const expected = defaultConfig();
  expected.ntfy.default_topic = "claude-abcdefghijklmnopqrstuvwx";
  assert.deepEqual(config, expected);
});

Deno.test("configTemplate() mentions every key, commented out at its default", () => {
  const text = configTemplate({ topic: "t" });
  for (
    const line of [
      '# server_url = "https://ntfy.sh"',
      "# default_priority = 3",
      "# timeout_secs = 10",
      '# send_format = "json"',
      "# Stop = true",
      "# decision_hook_priority = 4",
      "# autostart = true",
      "# retry_delay_secs = 5",
      "# delay_secs = 30",
      '# quiet_hours = ""',
      "# notify_subagents = false",
      "# enabled = true",
      "# patterns = []",
      '# sequence = "auto"',
      "# digest_after = 3",
      "# digest_window_secs = 10",
    ]
  ) assert.ok(text.includes(`\n${line}\n`), line);
});

Deno.test("configTemplate() writes a non-default server uncommented", () => {
  const text = configTemplate({ topic: "t", serverUrl: "https://ntfy.example.com" });
  assert.match(text, /\nserver_url = "https:\/\/ntfy\.example\.com"\n/);
});

Deno.test("generateTopic() makes valid, distinct topics from 120 random bits", () => {
  const a = generateTopic();
  const b = generateTopic();
  assert.match(a, /^claude-[a-z2-7]{24}$/);
  assert.notEqual(a, b);
  assert.equal(generateTopic((bytes) => bytes.fill(0)), `claude-${"a".repeat(24)}`);
});
