import assert from "node:assert/strict";
import {
  ConfigError,
  configTemplate,
  loadConfig,
  parseConfigText,
  writeConfigValue,
} from "../../../core/config/mod.ts";

async function withTempDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "claude-ntfy-write-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function mode(path: string): number {
  return (Deno.statSync(path).mode ?? 0) & 0o777;
}

Deno.test("writeConfigValue() replaces a key's line and keeps comments and its trailing comment", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/config.toml`;
    Deno.writeTextFileSync(
      path,
      `# top comment\n[ntfy]\n# which server\nserver_url = "https://ntfy.sh"  # public\ndefault_topic = "a"\n`,
    );
    const result = writeConfigValue(path, "ntfy.server_url", "https://ntfy.example.com");
    assert.deepEqual(result, { created: false, rewritten: false });
    assert.equal(
      Deno.readTextFileSync(path),
      `# top comment\n[ntfy]\n# which server\nserver_url = "https://ntfy.example.com"  # public\ndefault_topic = "a"\n`,
    );
    assert.equal(mode(path), 0o600);
  });
});

Deno.test("writeConfigValue() uncomments a commented-out key in the right table", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/config.toml`;
    Deno.writeTextFileSync(path, configTemplate({ topic: "claude-abc" }));
    writeConfigValue(path, "ntfy.timeout_secs", 20);
    writeConfigValue(path, "hooks.events.PreToolUse", true);
    const text = Deno.readTextFileSync(path);
    assert.match(text, /\ntimeout_secs = 20\n/);
    assert.doesNotMatch(text, /# timeout_secs = 10/);
    assert.match(text, /\[hooks\.events\]\n(# .*\n)*PreToolUse = true\n/m);
    assert.match(text, /# Seconds to wait for the server/, "comments survive");
    const { layer, warnings } = parseConfigText(text, path);
    assert.deepEqual(warnings, []);
    assert.equal(layer.ntfy?.timeout_secs, 20);
    assert.deepEqual(layer.hooks?.events, { PreToolUse: true });
  });
});

Deno.test("writeConfigValue() adds a key to an existing table and appends a missing table", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/config.toml`;
    Deno.writeTextFileSync(path, `[ntfy]\ndefault_topic = "a"\n\n[daemon]\nlog_level = "info"\n`);
    writeConfigValue(path, "ntfy.default_priority", 4);
    writeConfigValue(path, "hooks.filters.PreToolUse", ["!Read", "!Grep"]);
    assert.equal(
      Deno.readTextFileSync(path),
      `[ntfy]\ndefault_topic = "a"\ndefault_priority = 4\n\n[daemon]\nlog_level = "info"\n\n` +
        `[hooks.filters]\nPreToolUse = ["!Read", "!Grep"]\n`,
    );
  });
});

Deno.test("writeConfigValue() creates the file with mode 0600 in a 0700 folder", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/project/.claude/ntfy-service/config.toml`;
    const result = writeConfigValue(path, "ntfy.default_topic", "claude-xyz");
    assert.equal(result.created, true);
    assert.equal(Deno.readTextFileSync(path), `[ntfy]\ndefault_topic = "claude-xyz"\n`);
    assert.equal(mode(path), 0o600);
    assert.equal(mode(`${dir}/project/.claude/ntfy-service`), 0o700);
  });
});

Deno.test("writeConfigValue() falls back to re-serialising when the key lives in an inline table", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/config.toml`;
    Deno.writeTextFileSync(path, `# gone after rewrite\n[hooks]\ntopics = { Stop = "a" }\n`);
    const result = writeConfigValue(path, "hooks.topics.Notification", "b");
    assert.equal(result.rewritten, true);
    const { config } = loadConfig({
      homeDir: "/nowhere",
      projectDir: "/nowhere",
      env: () => undefined,
      readTextFile: (file) => file.startsWith("/nowhere/") ? Deno.readTextFileSync(path) : null,
    });
    assert.deepEqual(config.hooks.topics, { Stop: "a", Notification: "b" });
  });
});

Deno.test("writeConfigValue() escapes strings so any text round-trips", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/config.toml`;
    const template = 'Line "one"\n\tC:\\path \u0007 done';
    writeConfigValue(path, "templates.custom_templates.Stop", template);
    const { layer } = parseConfigText(Deno.readTextFileSync(path), path);
    assert.equal(layer.templates?.custom_templates?.Stop, template);
  });
});

Deno.test("writeConfigValue() refuses to edit a file that is not valid TOML", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/config.toml`;
    Deno.writeTextFileSync(path, `[ntfy\n`);
    assert.throws(
      () => writeConfigValue(path, "ntfy.default_topic", "x"),
      (error) => error instanceof ConfigError && error.code === "CONFIG_SYNTAX",
    );
    assert.equal(Deno.readTextFileSync(path), `[ntfy\n`);
  });
});
