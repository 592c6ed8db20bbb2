import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../../core/config/mod.ts";

/** A temp home and project with the given config files; removed when disposed. */
async function setup(files: { global?: string; project?: string }) {
  const root = await Deno.makeTempDir({ prefix: "claude-ntfy-config-" });
  const homeDir = `${root}/home`;
  const projectDir = `${root}/webapp`;
  const globalPath = `${homeDir}/.claude/ntfy-service/config.toml`;
  const projectPath = `${projectDir}/.claude/ntfy-service/config.toml`;
  if (files.global !== undefined) {
    await Deno.mkdir(`${homeDir}/.claude/ntfy-service`, { recursive: true });
    await Deno.writeTextFile(globalPath, files.global);
  }
  if (files.project !== undefined) {
    await Deno.mkdir(`${projectDir}/.claude/ntfy-service`, { recursive: true });
    await Deno.writeTextFile(projectPath, files.project);
  }
  return {
    homeDir,
    projectDir,
    globalPath,
    projectPath,
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

function envOf(values: Record<string, string>): (name: string) => string | undefined {
  return (name) => values[name];
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    return error;
  }
  assert.fail("expected a ConfigError");
}

Deno.test("loadConfig() without files or environment gives the defaults and reads nothing", () => {
  const read: string[] = [];
  const { config, warnings, files } = loadConfig({
    homeDir: "/home/me",
    projectDir: "/src/webapp",
    env: () => undefined,
    readTextFile: (path) => {
      read.push(path);
      return null;
    },
  });
  assert.deepEqual(read, [
    "/home/me/.claude/ntfy-service/config.toml",
    "/src/webapp/.claude/ntfy-service/config.toml",
  ]);
  assert.deepEqual(files, []);
  assert.deepEqual(warnings, []);
  assert.equal(config.ntfy.server_url, "https://ntfy.sh");
  assert.equal(config.ntfy.default_topic, "");
  assert.equal(config.ntfy.send_format, "json");
  assert.equal(config.daemon.autostart, true);
  assert.equal(config.hooks.enabled, true);
});

Deno.test("loadConfig() layers project over global over defaults, merging per-event tables", async () => {
  await using env = await setup({
    global: `[ntfy]
server_url = "https://ntfy.example.com"
default_topic = "global-topic"
default_priority = 2
[hooks.topics]
Stop = "global-stop"
Notification = "global-notify"
`,
    project: `[ntfy]
default_topic = "project-topic"
[hooks.topics]
Stop = "project-stop"
[hooks.events]
PreToolUse = true
`,
  });
  const { config, files } = loadConfig({
    homeDir: env.homeDir,
    projectDir: env.projectDir,
    env: () => undefined,
  });
  assert.deepEqual(files, [env.globalPath, env.projectPath]);
  assert.equal(config.ntfy.server_url, "https://ntfy.example.com");
  assert.equal(config.ntfy.default_topic, "project-topic");
  assert.equal(config.ntfy.default_priority, 2);
  assert.deepEqual(config.hooks.topics, { Stop: "project-stop", Notification: "global-notify" });
  assert.equal(config.hooks.events.PreToolUse, true);
  assert.equal(config.hooks.events.Stop, true, "defaults for other events stay");
});

Deno.test("loadConfig() lets the environment beat the files and flags beat the environment", async () => {
  await using env = await setup({
    project: `[ntfy]\ndefault_topic = "file-topic"\ndefault_priority = 2\n`,
  });
  const variables = envOf({
    CLAUDE_NTFY_TOPIC: "env-topic",
    CLAUDE_NTFY_PRIORITY: "high",
    CLAUDE_NTFY_SOCKET: "/run/ntfy.sock",
    CLAUDE_NTFY_LOG_LEVEL: "debug",
    CLAUDE_NTFY_AUTOSTART: "0",
  });
  const { config } = loadConfig({
    homeDir: env.homeDir,
    projectDir: env.projectDir,
    env: variables,
    overrides: { ntfy: { default_topic: "flag-topic" } },
  });
  assert.equal(config.ntfy.default_topic, "flag-topic");
  assert.equal(config.ntfy.default_priority, 4);
  assert.equal(config.daemon.socket_path, "/run/ntfy.sock");
  assert.equal(config.daemon.log_level, "debug");
  assert.equal(config.daemon.autostart, false);
});

Deno.test("loadConfig() takes NTFY_TOKEN, and CLAUDE_NTFY_TOKEN over it", () => {
  const base = { homeDir: "/h", readTextFile: () => null };
  const one = loadConfig({ ...base, env: envOf({ NTFY_TOKEN: "tk_ntfy" }) });
  assert.equal(one.config.ntfy.auth_token, "tk_ntfy");
  const both = loadConfig({
    ...base,
    env: envOf({ NTFY_TOKEN: "tk_ntfy", CLAUDE_NTFY_TOKEN: "tk_claude" }),
  });
  assert.equal(both.config.ntfy.auth_token, "tk_claude");
});

Deno.test("loadConfig() reads NTFY_USER as user:pass and it replaces a file's token", () => {
  const { config } = loadConfig({
    homeDir: "/h",
    env: envOf({ NTFY_USER: "alice:pa:ss" }),
    readTextFile: (path) => path.startsWith("/h/") ? `[ntfy]\nauth_token = "tk_file"\n` : null,
  });
  assert.equal(config.ntfy.username, "alice");
  assert.equal(config.ntfy.password, "pa:ss");
  assert.equal(config.ntfy.auth_token, undefined, "credentials are replaced as a unit");
});

Deno.test("loadConfig() rejects NTFY_USER without a password, naming the variable", () => {
  const error = errorOf(() =>
    loadConfig({ homeDir: "/h", env: envOf({ NTFY_USER: "alice" }), readTextFile: () => null })
  );
  assert.equal(error.code, "CONFIG_INVALID");
  assert.match(error.message, /NTFY_USER: must be user:pass/);
});

Deno.test("loadConfig() names the variable when an environment value is unusable", () => {
  const error = errorOf(() =>
    loadConfig({
      homeDir: "/h",
      env: envOf({ CLAUDE_NTFY_PRIORITY: "loud" }),
      readTextFile: () => null,
    })
  );
  assert.equal(error.code, "CONFIG_INVALID");
  assert.match(error.message, /^Invalid environment variable CLAUDE_NTFY_PRIORITY: /);
  assert.match(error.message, /"loud"/);
});

Deno.test("loadConfig() accepts a topic given as a full URL and takes the server from it", () => {
  const fromEnv = loadConfig({
    homeDir: "/h",
    env: envOf({ CLAUDE_NTFY_TOPIC: "https://ntfy.example.com/mytopic" }),
    readTextFile: () => null,
  });
  assert.equal(fromEnv.config.ntfy.server_url, "https://ntfy.example.com");
  assert.equal(fromEnv.config.ntfy.default_topic, "mytopic");

  const fromFile = loadConfig({
    homeDir: "/h",
    env: () => undefined,
    readTextFile: (path) =>
      path.startsWith("/h/")
        ? `[ntfy]\ndefault_topic = "https://push.example.org/sub/alerts"\n`
        : null,
  });
  assert.equal(fromFile.config.ntfy.server_url, "https://push.example.org/sub");
  assert.equal(fromFile.config.ntfy.default_topic, "alerts");
});

Deno.test("loadConfig() warns about unknown keys and sections with file and line, and goes on", () => {
  const text = `[ntfy]
default_topic = "t"
colour = "blue"

[extras]
x = 1
`;
  const { config, warnings } = loadConfig({
    homeDir: "/h",
    env: () => undefined,
    readTextFile: (path) => path.startsWith("/h/") ? text : null,
  });
  assert.equal(config.ntfy.default_topic, "t");
  assert.deepEqual(warnings, [
    'Unknown config key "ntfy.colour" in /h/.claude/ntfy-service/config.toml:3 (ignored)',
    'Unknown config key "extras" in /h/.claude/ntfy-service/config.toml:5 (ignored)',
  ]);
});

Deno.test("loadConfig() warns about an event name in the wrong case", () => {
  const { warnings } = loadConfig({
    homeDir: "/h",
    env: () => undefined,
    readTextFile: (path) => path.startsWith("/h/") ? `[hooks.events]\nnotification = true\n` : null,
  });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /hooks\.events\.notification.*:2.*did you mean "Notification"/);
});

Deno.test("loadConfig() rejects a wrong type naming the file, the line and the key", async () => {
  await using env = await setup({
    global: `# my settings
[ntfy]
server_url = "https://ntfy.sh"
default_topic = "t"

# slow network
timeout_secs = "ten"
`,
  });
  const error = errorOf(() => loadConfig({ homeDir: env.homeDir, env: () => undefined }));
  assert.equal(error.code, "CONFIG_INVALID");
  assert.equal(
    error.message,
    `Invalid config ${env.globalPath}:7: ntfy.timeout_secs must be a positive number, got "ten"`,
  );
  assert.equal(error.file, env.globalPath);
  assert.equal(error.line, 7);
  assert.equal(error.key, "ntfy.timeout_secs");
});

Deno.test("loadConfig() finds the line of a bad per-event value", () => {
  const error = errorOf(() =>
    loadConfig({
      homeDir: "/h",
      env: () => undefined,
      readTextFile: (path) =>
        path.startsWith("/h/") ? `[hooks]\nenabled = true\n\n[hooks.priorities]\nStop = 9\n` : null,
    })
  );
  assert.match(
    error.message,
    /config\.toml:5: hooks\.priorities\.Stop must be a priority from 1 to 5/,
  );
  assert.match(error.message, /got 9$/);
});

Deno.test("loadConfig() never shows a secret in a type error", () => {
  const error = errorOf(() =>
    loadConfig({
      homeDir: "/h",
      env: () => undefined,
      readTextFile: (path) => path.startsWith("/h/") ? `[ntfy]\npassword = 12345678\n` : null,
    })
  );
  assert.match(error.message, /:2: ntfy\.password must be a string$/);
  assert.doesNotMatch(error.message, /12345678/);
});

Deno.test("loadConfig() reports a TOML syntax error with file, line and column but no source text", () => {
  const error = errorOf(() =>
    loadConfig({
      homeDir: "/h",
      env: () => undefined,
      readTextFile: (path) =>
        path.startsWith("/h/") ? `[ntfy]\ndefault_topic = "t"\nauth_token = "tk_secret\n` : null,
    })
  );
  assert.equal(error.code, "CONFIG_SYNTAX");
  assert.match(error.message, /^Invalid TOML in \/h\/\.claude\/ntfy-service\/config\.toml:3:\d+: /);
  assert.doesNotMatch(error.message, /tk_secret/);
  assert.equal(error.message.includes("\n"), false);
});

Deno.test("loadConfig() treats an empty optional string as unset, as the Rust tool does", () => {
  const { config } = loadConfig({
    homeDir: "/h",
    env: () => undefined,
    readTextFile: (path) => path.startsWith("/h/") ? `[ntfy]\nauth_token = ""\n` : null,
  });
  assert.equal(config.ntfy.auth_token, undefined);
});

Deno.test("loadConfig() reads a config written for claude-code-ntfy-service without warnings", () => {
  const rust = `[ntfy]
server_url = "https://ntfy.sh"
default_topic = "claude-code-hooks"
default_priority = 3
default_tags = ["claude-code"]
auth_token = ""
timeout_secs = 30
send_format = "text"

[hooks]
enabled = true
never_filter_decision_hooks = true
decision_hook_priority = 5

[hooks.topics]
PreToolUse = "claude-code-tools"

[hooks.priorities]
PreToolUse = 3

[hooks.filters]
PreToolUse = ["!Read", "!Grep"]

[templates]
use_custom = false

[templates.custom_templates]
PostToolUse = "Tool {{tool_name}} completed: {{#if success}}ok{{else}}failed{{/if}}"

[templates.variables]

[daemon]
enabled = true
log_level = "info"
max_queue_size = 1000
retry_attempts = 3
retry_delay_secs = 5
`;
  const { config, warnings } = loadConfig({
    homeDir: "/h",
    env: () => undefined,
    readTextFile: (path) => path.startsWith("/h/") ? rust : null,
  });
  assert.deepEqual(warnings, []);
  assert.equal(config.ntfy.send_format, "text");
  assert.equal(config.ntfy.timeout_secs, 30);
  assert.deepEqual(config.ntfy.default_tags, ["claude-code"]);
  assert.equal(config.hooks.decision_hook_priority, 5);
  assert.deepEqual(config.hooks.filters, { PreToolUse: ["!Read", "!Grep"] });
});

Deno.test("loadConfig() reads one file once when the project is the home folder", () => {
  let reads = 0;
  const { files } = loadConfig({
    homeDir: "/home/me",
    projectDir: "/home/me/",
    env: () => undefined,
    readTextFile: () => {
      reads++;
      return `[ntfy]\ndefault_topic = "t"\n`;
    },
  });
  assert.equal(reads, 1);
  assert.equal(files.length, 1);
});

Deno.test("loadConfig() reads ntfy.sequence from a file and CLAUDE_NTFY_SEQUENCE, and rejects others", () => {
  const file = (text: string) => (path: string) => path.startsWith("/h/") ? text : null;
  const defaults = loadConfig({ homeDir: "/h", env: () => undefined, readTextFile: () => null });
  assert.equal(defaults.config.ntfy.sequence, "auto");
  assert.equal(defaults.config.daemon.digest_after, 3);
  assert.equal(defaults.config.daemon.digest_window_secs, 10);
  const fromFile = loadConfig({
    homeDir: "/h",
    env: () => undefined,
    readTextFile: file('[ntfy]\nsequence = "off"\n[daemon]\ndigest_after = 0\n'),
  });
  assert.equal(fromFile.config.ntfy.sequence, "off");
  assert.equal(fromFile.config.daemon.digest_after, 0);
  const fromEnv = loadConfig({
    homeDir: "/h",
    env: envOf({ CLAUDE_NTFY_SEQUENCE: "ON" }),
    readTextFile: file('[ntfy]\nsequence = "off"\n'),
  });
  assert.equal(fromEnv.config.ntfy.sequence, "on", "the environment wins, in any case");
  const error = errorOf(() =>
    loadConfig({
      homeDir: "/h",
      env: () => undefined,
      readTextFile: file('[ntfy]\nsequence = "yes"\n'),
    })
  );
  assert.match(error.message, /ntfy\.sequence must be "auto", "on" or "off"/);
  const window = errorOf(() =>
    loadConfig({
      homeDir: "/h",
      env: () => undefined,
      readTextFile: file("[daemon]\ndigest_window_secs = 0\n"),
    })
  );
  assert.match(window.message, /daemon\.digest_window_secs must be a positive number/);
});
