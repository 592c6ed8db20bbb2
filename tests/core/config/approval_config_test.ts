// The [approval] section: off by default, checked like every other key, its token a secret,
// and init's template turns it on with a fresh reply topic when asked.
import assert from "node:assert/strict";
import {
  configTemplate,
  defaultConfig,
  generateReplyTopic,
  loadConfig,
  maskSecrets,
  parseConfigText,
} from "../../../core/config/mod.ts";

function load(text: string) {
  return loadConfig({
    homeDir: "/h",
    env: () => undefined,
    readTextFile: (path) => path.startsWith("/h/") ? text : null,
  });
}

Deno.test("approvals are off by default, with a 90 s timeout and no reply topic", () => {
  assert.deepEqual(defaultConfig().approval, { enabled: false, timeout_secs: 90 });
});

Deno.test("[approval] keys load and are checked", () => {
  const { config, warnings } = load(
    '[approval]\nenabled = true\ntimeout_secs = 90\nreply_topic = "claude-reply-x"\nreply_token = "tk_w"\n',
  );
  assert.deepEqual(warnings, []);
  assert.deepEqual(config.approval, {
    enabled: true,
    timeout_secs: 90,
    reply_topic: "claude-reply-x",
    reply_token: "tk_w",
  });
  assert.throws(() => parseConfigText("[approval]\ntimeout_secs = 0\n", "/c.toml"), /positive/);
  assert.throws(
    () => parseConfigText("[approval]\ntimeout_secs = 3601\n", "/c.toml"),
    /at most 3600/,
  );
  assert.throws(
    () => parseConfigText('[approval]\nreply_topic = "https://ntfy.sh/x"\n', "/c.toml"),
    /approval\.reply_topic must be a topic name/,
  );
  assert.throws(() => parseConfigText('[approval]\nenabled = "yes"\n', "/c.toml"), /true or false/);
});

Deno.test("maskSecrets() hides approval.reply_token", () => {
  const config = defaultConfig();
  config.approval.reply_token = "tk_write_only";
  assert.equal(maskSecrets(config).approval.reply_token, "********");
  assert.equal(config.approval.reply_token, "tk_write_only");
});

Deno.test("configTemplate() leaves approvals off, commented, unless given a reply topic", () => {
  const off = configTemplate({ topic: "claude-abc" });
  assert.match(off, /\n\[approval\]\n# enabled = false\n/);
  assert.deepEqual(load(off).config.approval, defaultConfig().approval);
  const on = configTemplate({ topic: "claude-abc", replyTopic: "claude-reply-xyz" });
  const { config, warnings } = load(on);
  assert.deepEqual(warnings, []);
  assert.deepEqual(config.approval, {
    enabled: true,
    timeout_secs: 90,
    reply_topic: "claude-reply-xyz",
  });
});

Deno.test("generateReplyTopic() makes valid, distinct topics from 130 random bits", () => {
  const a = generateReplyTopic();
  assert.match(a, /^claude-reply-[a-z2-7]{26}$/);
  assert.ok(a.length <= 64);
  assert.notEqual(a, generateReplyTopic());
  assert.equal(generateReplyTopic((bytes) => bytes.fill(31)), `claude-reply-${"7".repeat(26)}`);
});
