import assert from "node:assert/strict";
import {
  ConfigError,
  configKeys,
  defaultConfig,
  getConfigValue,
  parseConfigValue,
} from "../../../core/config/mod.ts";

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.code;
  }
  assert.fail("expected a ConfigError");
}

Deno.test("parseConfigValue() turns command-line text into typed values", () => {
  assert.equal(parseConfigValue("ntfy.timeout_secs", "2.5"), 2.5);
  assert.equal(parseConfigValue("hooks.enabled", "false"), false);
  assert.equal(parseConfigValue("daemon.autostart", "yes"), true);
  assert.equal(parseConfigValue("ntfy.default_priority", "max"), 5);
  assert.equal(parseConfigValue("hooks.priorities.Stop", "4"), 4);
  assert.deepEqual(parseConfigValue("ntfy.default_tags", "robot, bell"), ["robot", "bell"]);
  assert.deepEqual(parseConfigValue("hooks.filters.PreToolUse", '["!Read"]'), ["!Read"]);
  assert.equal(
    parseConfigValue("ntfy.server_url", "https://ntfy.example.com/"),
    "https://ntfy.example.com",
  );
  assert.equal(
    parseConfigValue("hooks.topics.Stop", "https://ntfy.example.com/done"),
    "https://ntfy.example.com/done",
  );
});

Deno.test("parseConfigValue() rejects bad values and unknown keys", () => {
  assert.equal(codeOf(() => parseConfigValue("ntfy.timeout_secs", "ten")), "CONFIG_INVALID");
  assert.equal(codeOf(() => parseConfigValue("ntfy.timeout_secs", "0")), "CONFIG_INVALID");
  assert.equal(codeOf(() => parseConfigValue("ntfy.send_format", "xml")), "CONFIG_INVALID");
  assert.equal(
    codeOf(() => parseConfigValue("hooks.topics.Stop", "not a topic!")),
    "CONFIG_INVALID",
  );
  assert.equal(codeOf(() => parseConfigValue("ntfy.colour", "blue")), "CONFIG_UNKNOWN_KEY");
  assert.equal(codeOf(() => parseConfigValue("hooks.topics", "x")), "CONFIG_UNKNOWN_KEY");
});

Deno.test("getConfigValue() reads sections, keys, tables and table entries", () => {
  const config = defaultConfig();
  assert.equal(getConfigValue(config, "ntfy.server_url"), "https://ntfy.sh");
  assert.equal(getConfigValue(config, "hooks.events.Notification"), true);
  assert.equal(getConfigValue(config, "hooks.topics.Stop"), undefined);
  assert.equal((getConfigValue(config, "daemon") as { autostart: boolean }).autostart, true);
  assert.equal(codeOf(() => getConfigValue(config, "nope.key")), "CONFIG_UNKNOWN_KEY");
});

Deno.test("configKeys() lists every key of the Rust tool", () => {
  const keys = configKeys();
  for (
    const key of [
      "ntfy.server_url",
      "ntfy.default_topic",
      "ntfy.default_priority",
      "ntfy.default_tags",
      "ntfy.auth_token",
      "ntfy.timeout_secs",
      "ntfy.send_format",
      "ntfy.sequence",
      "hooks.enabled",
      "hooks.never_filter_decision_hooks",
      "hooks.decision_hook_priority",
      "hooks.topics.<Name>",
      "hooks.priorities.<Name>",
      "hooks.filters.<Name>",
      "templates.use_custom",
      "templates.variables.<Name>",
      "templates.custom_templates.<Name>",
      "daemon.enabled",
      "daemon.socket_path",
      "daemon.log_level",
      "daemon.log_path",
      "daemon.max_queue_size",
      "daemon.retry_attempts",
      "daemon.retry_delay_secs",
      "daemon.digest_after",
      "daemon.digest_window_secs",
    ]
  ) assert.ok(keys.includes(key), key);
});
