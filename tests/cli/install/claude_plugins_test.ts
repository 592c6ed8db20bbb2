import assert from "node:assert/strict";
import {
  PLUGIN_NAME,
  pluginOptionEnv,
  pluginStates,
  readPluginStates,
} from "../../../cli/install/claude_plugins.ts";

const ID = `${PLUGIN_NAME}@claude-ntfy`;

Deno.test("pluginStates() takes the last settings file that names the plugin: user, then project, then local", () => {
  const installed = { [ID]: [{ scope: "user", version: "0.1.0", installPath: "/c/0.1.0" }] };
  const on = pluginStates({
    switches: [
      { label: "~/.claude/settings.json", enabledPlugins: { [ID]: false } },
      { label: ".claude/settings.json", enabledPlugins: { [ID]: true } },
      { label: ".claude/settings.local.json", enabledPlugins: {} },
    ],
    installed,
    projectDir: "/src/app",
  });
  assert.deepEqual(on, [{
    id: ID,
    active: true,
    enabled: true,
    decidedBy: ".claude/settings.json",
    install: installed[ID][0],
    options: {},
  }]);
  const off = pluginStates({
    switches: [
      { label: "~/.claude/settings.json", enabledPlugins: { [ID]: true } },
      { label: ".claude/settings.local.json", enabledPlugins: { [ID]: false } },
    ],
    installed,
  });
  assert.equal(off[0]!.active, false);
  assert.equal(off[0]!.decidedBy, ".claude/settings.local.json");
});

Deno.test("pluginStates() counts a plugin as running only when it is switched on and installed for this project", () => {
  const projectInstall = { scope: "project", projectPath: "/src/app/", version: "0.1.0" };
  const states = (projectDir: string, enabled?: boolean) =>
    pluginStates({
      switches: [{
        label: ".claude/settings.json",
        enabledPlugins: enabled === undefined ? {} : { [ID]: enabled },
      }],
      installed: { [ID]: [projectInstall] },
      projectDir,
    })[0]!;
  assert.equal(states("/src/app", true).active, true, "installed for this project");
  assert.equal(states("/src/other", true).active, false, "installed for another project");
  assert.equal(states("/src/other", true).install, undefined);
  assert.equal(
    states("/src/app").active,
    false,
    "installed, named by no settings file: Claude Code lists it as disabled",
  );
  const notInstalled = pluginStates({
    switches: [{ label: "~/.claude/settings.json", enabledPlugins: { [ID]: true } }],
    installed: {},
  });
  assert.deepEqual(notInstalled.map((state) => [state.active, state.enabled]), [[false, true]]);
});

Deno.test("pluginStates() finds the plugin in any marketplace and ignores other plugins", () => {
  const states = pluginStates({
    switches: [{
      label: "~/.claude/settings.json",
      enabledPlugins: {
        [`${PLUGIN_NAME}@my-fork`]: true,
        "other@claude-ntfy": true,
        [`${PLUGIN_NAME}-extra@x`]: true,
      },
    }],
    installed: { [`${PLUGIN_NAME}@my-fork`]: [{ scope: "user" }], "other@claude-ntfy": [] },
  });
  assert.deepEqual(states.map((state) => state.id), [`${PLUGIN_NAME}@my-fork`]);
});

Deno.test("pluginStates() merges the plugin's saved options, later files winning", () => {
  const [state] = pluginStates({
    switches: [
      {
        label: "~/.claude/settings.json",
        enabledPlugins: { [ID]: true },
        pluginOptions: { [ID]: { topic: "user-topic", server: "https://ntfy.example.com" } },
      },
      {
        label: ".claude/settings.json",
        enabledPlugins: {},
        pluginOptions: { [ID]: { topic: "project-topic" }, "other@x": { topic: "no" } },
      },
    ],
    installed: { [ID]: [{ scope: "user" }] },
  });
  assert.deepEqual(state!.options, { topic: "project-topic", server: "https://ntfy.example.com" });
});

Deno.test("pluginOptionEnv() maps the running plugin's options onto unset CLAUDE_NTFY_* variables", () => {
  const plugin = {
    id: ID,
    active: true,
    enabled: true,
    options: { server: "https://ntfy.example.com", topic: "alerts", token: "" },
  };
  assert.deepEqual(pluginOptionEnv([plugin], () => undefined), {
    CLAUDE_NTFY_SERVER: "https://ntfy.example.com",
    CLAUDE_NTFY_TOPIC: "alerts",
  });
  assert.deepEqual(
    pluginOptionEnv([plugin], (name) => name === "CLAUDE_NTFY_SERVER" ? "http://mine" : undefined),
    { CLAUDE_NTFY_TOPIC: "alerts" },
    "a variable set by the user wins, as in the launcher",
  );
  assert.deepEqual(pluginOptionEnv([{ ...plugin, active: false }], () => undefined), {});
});

Deno.test("readPluginStates() reads the files as Claude Code writes them, and reports an unreadable plugin list", async () => {
  const home = await Deno.makeTempDir({ prefix: "claude-ntfy-plugins-" });
  const project = `${home}/proj`;
  try {
    await Deno.mkdir(`${home}/.claude/plugins`, { recursive: true });
    await Deno.mkdir(`${project}/.claude`, { recursive: true });
    assert.deepEqual(readPluginStates({ homeDir: home, projectDir: project }), {
      plugins: [],
      problems: [],
    });
    // As written by `claude plugin marketplace add`, `install` and `configure` (2.1.332).
    await Deno.writeTextFile(
      `${home}/.claude/settings.json`,
      JSON.stringify({
        extraKnownMarketplaces: {
          "claude-ntfy": { source: { source: "directory", path: "/src/claude-ntfy" } },
        },
        enabledPlugins: { [ID]: true, "elsewhere@x": true },
        pluginConfigs: { [ID]: { options: { topic: "alerts", retries: 3 } } },
      }),
    );
    await Deno.writeTextFile(
      `${home}/.claude/plugins/installed_plugins.json`,
      JSON.stringify({
        version: 2,
        plugins: {
          [ID]: [{
            scope: "user",
            installPath: `${home}/.claude/plugins/cache/claude-ntfy/${PLUGIN_NAME}/0.1.0`,
            version: "0.1.0",
            installedAt: "2026-11-25T13:49:26.958Z",
            lastUpdated: "2026-11-25T13:49:26.958Z",
          }],
        },
      }),
    );
    await Deno.writeTextFile(`${project}/.claude/settings.local.json`, "{ not json");
    const report = readPluginStates({ homeDir: home, projectDir: project });
    assert.deepEqual(report.problems, []);
    assert.deepEqual(report.plugins, [{
      id: ID,
      active: true,
      enabled: true,
      decidedBy: "~/.claude/settings.json",
      install: {
        scope: "user",
        installPath: `${home}/.claude/plugins/cache/claude-ntfy/${PLUGIN_NAME}/0.1.0`,
        version: "0.1.0",
      },
      options: { topic: "alerts" },
    }]);
    await Deno.writeTextFile(`${home}/.claude/plugins/installed_plugins.json`, "{");
    const broken = readPluginStates({ homeDir: home, projectDir: project });
    assert.equal(broken.plugins[0]!.active, false);
    assert.match(broken.problems[0]!, /^Cannot read .*installed_plugins\.json: /);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
