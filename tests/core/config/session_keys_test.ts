// The keys sessions added: hooks.delay_secs, hooks.delays, hooks.quiet_hours,
// hooks.notify_subagents, redact.enabled and redact.patterns; each value is checked with a
// message that names the file, the line and the key.
import assert from "node:assert/strict";
import {
  ConfigError,
  defaultConfig,
  getConfigValue,
  loadConfig,
  parseConfigValue,
} from "../../../core/config/mod.ts";

function load(toml: string) {
  return loadConfig({
    homeDir: "/h",
    env: () => undefined,
    readTextFile: (path) => path.startsWith("/h/") ? toml : null,
  });
}

function refusal(toml: string): string {
  try {
    load(toml);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail(`accepted: ${toml}`);
}

Deno.test("session keys default to a 30 s hold, no quiet hours, quiet subagents, redaction on", () => {
  const { hooks, redact } = defaultConfig();
  assert.deepEqual(
    [hooks.delay_secs, hooks.delays, hooks.quiet_hours, hooks.notify_subagents],
    [30, {}, undefined, false],
  );
  assert.deepEqual(redact, { enabled: true, patterns: [] });
});

Deno.test("session keys load from a file", () => {
  const { config, warnings } = load(
    '[hooks]\ndelay_secs = 0.3\nquiet_hours = "22:00-07:00"\nnotify_subagents = true\n\n' +
      "[hooks.delays]\nStop = 0\nPermissionRequest = 12.5\n\n" +
      '[redact]\nenabled = false\npatterns = ["INTERNAL-\\\\d{6}"]\n',
  );
  assert.deepEqual(warnings, []);
  assert.equal(config.hooks.delay_secs, 0.3);
  assert.deepEqual(config.hooks.delays, { Stop: 0, PermissionRequest: 12.5 });
  assert.equal(config.hooks.quiet_hours, "22:00-07:00");
  assert.equal(config.hooks.notify_subagents, true);
  assert.deepEqual(config.redact, { enabled: false, patterns: ["INTERNAL-\\d{6}"] });
  assert.equal(getConfigValue(config, "hooks.delays.Stop"), 0);
});

Deno.test("session keys refuse what they cannot use, naming the file, line and key", () => {
  assert.match(
    refusal('[hooks]\nquiet_hours = "10pm-7am"\n'),
    /config\.toml:2: hooks\.quiet_hours must be a local time range "HH:MM-HH:MM"/,
  );
  assert.match(refusal('[hooks]\nquiet_hours = "07:00-07:00"\n'), /start and end differ/);
  assert.match(
    refusal("[hooks]\ndelay_secs = -1\n"),
    /hooks\.delay_secs must be a number of 0 or more/,
  );
  assert.match(refusal("[hooks]\ndelay_secs = 90000\n"), /hooks\.delay_secs must be at most 86400/);
  assert.match(
    refusal('[hooks.delays]\nStop = "soon"\n'),
    /hooks\.delays\.Stop must be a number of seconds/,
  );
  assert.match(
    refusal('[redact]\npatterns = ["(unclosed"]\n'),
    /redact\.patterns must be valid regular expressions \("\(unclosed":/,
  );
  assert.equal(load('[hooks]\nquiet_hours = ""\n').config.hooks.quiet_hours, undefined);
});

Deno.test("config set takes session keys as text", () => {
  assert.equal(parseConfigValue("hooks.delay_secs", "0.3"), 0.3);
  assert.equal(parseConfigValue("hooks.delays.Stop", "0"), 0);
  assert.equal(parseConfigValue("hooks.quiet_hours", "22:00-07:00"), "22:00-07:00");
  assert.deepEqual(parseConfigValue("redact.patterns", "ID-\\d{2,5}"), ["ID-\\d{2,5}"]);
  assert.deepEqual(parseConfigValue("redact.patterns", '["a", "b{1,2}"]'), ["a", "b{1,2}"]);
});
