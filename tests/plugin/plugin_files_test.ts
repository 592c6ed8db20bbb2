// The plugin's files agree with the code: hooks/hooks.json with HOOKED_EVENTS, the
// manifests with deno.json and with each other, the options with what the launcher maps.
import assert from "node:assert/strict";
import { pluginHooksFile } from "../../cli/install/plugin_hooks.ts";
import { PLUGIN_NAME, PLUGIN_OPTION_VARIABLES } from "../../cli/install/claude_plugins.ts";
import { REPO_ROOT } from "../support/cli_process.ts";

function readJson(path: string) {
  return JSON.parse(Deno.readTextFileSync(`${REPO_ROOT}/${path}`));
}

Deno.test("hooks/hooks.json registers HOOKED_EVENTS with their timeouts (regenerate: deno run --allow-write=hooks cli/install/plugin_hooks.ts)", () => {
  assert.deepEqual(readJson("hooks/hooks.json"), pluginHooksFile());
});

Deno.test("plugin.json and marketplace.json name the same plugin, at deno.json's version", () => {
  const plugin = readJson(".claude-plugin/plugin.json");
  const marketplace = readJson(".claude-plugin/marketplace.json");
  assert.equal(plugin.name, PLUGIN_NAME);
  assert.equal(plugin.version, readJson("deno.json").version);
  assert.equal(plugin.license, "MIT");
  assert.equal(marketplace.name, "claude-ntfy");
  assert.deepEqual(marketplace.plugins.map((entry: { name: string }) => entry.name), [PLUGIN_NAME]);
  assert.equal(marketplace.plugins[0].source, "./");
});

Deno.test("the plugin's options are the ones the launcher maps onto CLAUDE_NTFY_* variables, and only the token is secret", () => {
  const options = readJson(".claude-plugin/plugin.json").userConfig;
  assert.deepEqual(Object.keys(options).sort(), Object.keys(PLUGIN_OPTION_VARIABLES).sort());
  for (const [key, option] of Object.entries(options) as [string, Record<string, unknown>][]) {
    assert.equal(option.type, "string", key);
    assert.equal(option.sensitive === true, key === "token", key);
  }
  const launcher = Deno.readTextFileSync(`${REPO_ROOT}/bin/claude-ntfy`);
  for (const [key, variable] of Object.entries(PLUGIN_OPTION_VARIABLES)) {
    assert.match(
      launcher,
      new RegExp(`^map_option ${variable} CLAUDE_PLUGIN_OPTION_${key.toUpperCase()}$`, "m"),
    );
  }
});

Deno.test("bin/claude-ntfy is an executable POSIX sh script", () => {
  const info = Deno.statSync(`${REPO_ROOT}/bin/claude-ntfy`);
  assert.equal((info.mode ?? 0) & 0o111, 0o111);
  assert.match(Deno.readTextFileSync(`${REPO_ROOT}/bin/claude-ntfy`), /^#!\/bin\/sh\n/);
});
