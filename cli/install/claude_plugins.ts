/**
 * Whether claude-ntfy's Claude Code plugin (`ntfy-notifier`) is installed and enabled, read from the files
 * Claude Code keeps: `enabledPlugins` in the user's, the project's and the project's local
 * settings.json (`"ntfy-notifier@<marketplace>": true`), and the installs listed in
 * `~/.claude/plugins/installed_plugins.json`.
 *
 * @module
 */

import { readSettingsFile, settingsPath } from "./settings_file.ts";
import { errorMessage } from "../../protocol/error_message.ts";

/** The plugin's name in `.claude-plugin/plugin.json` and `marketplace.json`. */
export const PLUGIN_NAME = "ntfy-notifier";

/** One install of a plugin, as `installed_plugins.json` lists it. */
export interface PluginInstall {
  /** `user`, `project` or `local`. */
  readonly scope: string;
  /** The copy Claude Code made of the plugin. */
  readonly installPath?: string;
  /** The version installed. */
  readonly version?: string;
  /** The project, for a `project` or `local` install. */
  readonly projectPath?: string;
}

/** One settings file's say on plugins, lowest precedence first when in a list. */
export interface PluginSwitches {
  /** How the file is named to the user, e.g. `~/.claude/settings.json`. */
  readonly label: string;
  /** Its `enabledPlugins`, values other than booleans left out. */
  readonly enabledPlugins: Readonly<Record<string, boolean>>;
  /** Its `pluginConfigs.<id>.options`, string values only. @default {{}} */
  readonly pluginOptions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * The plugin's options (`userConfig` in plugin.json) and the claude-ntfy variables the
 * launcher `bin/claude-ntfy` fills from them (`CLAUDE_PLUGIN_OPTION_<KEY>`) when unset.
 */
export const PLUGIN_OPTION_VARIABLES: Readonly<Record<string, string>> = {
  server: "CLAUDE_NTFY_SERVER",
  topic: "CLAUDE_NTFY_TOPIC",
  token: "CLAUDE_NTFY_TOKEN",
};

/** What Claude Code does with one plugin id in this project. */
export interface PluginState {
  /** `name@marketplace`, e.g. `ntfy-notifier@claude-ntfy`. */
  readonly id: string;
  /** Whether its hooks run here: switched on and installed for this project. */
  readonly active: boolean;
  /** The value that decides (the last settings file that names the plugin). */
  readonly enabled: boolean | undefined;
  /** The settings file that decides, when one names the plugin. */
  readonly decidedBy?: string;
  /** The install that applies to this project, if any. */
  readonly install?: PluginInstall;
  /**
   * Option values saved in settings.json (`pluginConfigs`), later files winning. Sensitive
   * options (the token) are kept in Claude Code's secure storage instead and are not here.
   */
  readonly options: Readonly<Record<string, string>>;
}

function normalise(path: string): string {
  return path.replace(/\/+$/, "") || "/";
}

function pluginName(id: string): string {
  const at = id.lastIndexOf("@");
  return at <= 0 ? id : id.slice(0, at);
}

/** The install of `id` that applies in `projectDir`: a user install, or one for this project. */
function applicableInstall(
  installs: readonly PluginInstall[],
  projectDir: string | undefined,
): PluginInstall | undefined {
  return installs.find((install) => install.scope === "user") ??
    installs.find((install) =>
      install.projectPath !== undefined && projectDir !== undefined &&
      normalise(install.projectPath) === normalise(projectDir)
    );
}

/**
 * The state of every plugin named `name` (any marketplace) that a settings file or an
 * install mentions. A later settings file overrides an earlier one (user, then project,
 * then local); a plugin runs only when the deciding value is `true` and it is installed
 * for this project (Claude Code treats an installed plugin that no file names as off).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pluginStates } from "./claude_plugins.ts";
 *
 * const states = pluginStates({
 *   switches: [
 *     { label: "~/.claude/settings.json", enabledPlugins: { "ntfy-notifier@claude-ntfy": true } },
 *     { label: ".claude/settings.json", enabledPlugins: {} },
 *   ],
 *   installed: { "ntfy-notifier@claude-ntfy": [{ scope: "user", version: "0.1.0" }] },
 *   projectDir: "/src/app",
 * });
 * assert.deepEqual(states.map((state) => [state.id, state.active]), [["ntfy-notifier@claude-ntfy", true]]);
 * ```
 */
export function pluginStates(options: {
  switches: readonly PluginSwitches[];
  installed: Readonly<Record<string, readonly PluginInstall[]>>;
  projectDir?: string;
  name?: string;
}): PluginState[] {
  const name = options.name ?? PLUGIN_NAME;
  const ids = new Set<string>();
  for (const file of options.switches) {
    for (const id of Object.keys(file.enabledPlugins)) if (pluginName(id) === name) ids.add(id);
  }
  for (const id of Object.keys(options.installed)) if (pluginName(id) === name) ids.add(id);
  return [...ids].sort().map((id) => {
    let enabled: boolean | undefined;
    let decidedBy: string | undefined;
    let pluginOptions: Record<string, string> = {};
    for (const file of options.switches) {
      pluginOptions = { ...pluginOptions, ...file.pluginOptions?.[id] };
      if (!Object.hasOwn(file.enabledPlugins, id)) continue;
      enabled = file.enabledPlugins[id];
      decidedBy = file.label;
    }
    const install = applicableInstall(options.installed[id] ?? [], options.projectDir);
    return {
      id,
      active: enabled === true && install !== undefined,
      enabled,
      ...(decidedBy === undefined ? {} : { decidedBy }),
      ...(install === undefined ? {} : { install }),
      options: pluginOptions,
    };
  });
}

/** What {@linkcode readPluginStates} found, and the files it could not read. */
export interface PluginReport {
  /** One entry per claude-ntfy plugin id mentioned anywhere. */
  readonly plugins: PluginState[];
  /** Why `installed_plugins.json` could not be read, when it exists but could not. */
  readonly problems: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function booleanMembers(value: unknown): Record<string, boolean> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, boolean] =>
      typeof entry[1] === "boolean"
    ),
  );
}

function stringMembers(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] =>
      typeof entry[1] === "string"
    ),
  );
}

/** `pluginConfigs.<id>.options` of a settings document, string values only. */
function optionsByPlugin(value: unknown): Record<string, Record<string, string>> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).map(([id, entry]) => [
      id,
      stringMembers(isRecord(entry) ? entry.options : undefined),
    ]),
  );
}

function readInstalled(path: string): Record<string, PluginInstall[]> {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
  const plugins = (JSON.parse(text) as { plugins?: unknown })?.plugins;
  if (plugins === null || typeof plugins !== "object") return {};
  const installed: Record<string, PluginInstall[]> = {};
  for (const [id, entries] of Object.entries(plugins)) {
    if (!Array.isArray(entries)) continue;
    installed[id] = entries.filter((entry) => typeof entry?.scope === "string").map((entry) => ({
      scope: entry.scope,
      ...(typeof entry.installPath === "string" ? { installPath: entry.installPath } : {}),
      ...(typeof entry.version === "string" ? { version: entry.version } : {}),
      ...(typeof entry.projectPath === "string" ? { projectPath: entry.projectPath } : {}),
    }));
  }
  return installed;
}

/**
 * Reads Claude Code's plugin switches and installs for a home folder and a project, and
 * returns the claude-ntfy plugin's state there. Missing files count as empty; a settings
 * file that is not valid JSON is left out (the hook checks report it).
 */
export function readPluginStates(options: { homeDir: string; projectDir?: string }): PluginReport {
  const problems: string[] = [];
  const files = [
    { label: "~/.claude/settings.json", path: settingsPath("user", options.homeDir) },
    ...(options.projectDir === undefined ? [] : [
      { label: ".claude/settings.json", path: settingsPath("project", options.projectDir) },
      { label: ".claude/settings.local.json", path: settingsPath("local", options.projectDir) },
    ]),
  ].filter((file, index, all) => all.findIndex((other) => other.path === file.path) === index);
  const switches: PluginSwitches[] = [];
  for (const file of files) {
    try {
      const value = readSettingsFile(file.path).value;
      const document = (typeof value === "object" && value !== null ? value : {}) as Record<
        string,
        unknown
      >;
      switches.push({
        label: file.label,
        enabledPlugins: booleanMembers(document.enabledPlugins),
        pluginOptions: optionsByPlugin(document.pluginConfigs),
      });
    } catch {
      // A settings file Claude Code cannot read either: the hook checks report it.
    }
  }
  const installedPath = `${options.homeDir}/.claude/plugins/installed_plugins.json`;
  let installed: Record<string, PluginInstall[]> = {};
  try {
    installed = readInstalled(installedPath);
  } catch (error) {
    problems.push(`Cannot read ${installedPath}: ${errorMessage(error)}`);
  }
  return {
    plugins: pluginStates({ switches, installed, projectDir: options.projectDir }),
    problems,
  };
}

/**
 * The variables the active plugin's saved options would set for its hook, leaving out
 * those `env` already sets (as the launcher does): lets commands run by hand (`doctor`,
 * `daemon start`) see the server and topic the plugin's hooks use.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pluginOptionEnv } from "./claude_plugins.ts";
 *
 * const plugin = {
 *   id: "ntfy-notifier@claude-ntfy", active: true, enabled: true,
 *   options: { server: "https://ntfy.example.com", topic: "alerts" },
 * };
 * assert.deepEqual(pluginOptionEnv([plugin], (name) => name === "CLAUDE_NTFY_TOPIC" ? "mine" : undefined), {
 *   CLAUDE_NTFY_SERVER: "https://ntfy.example.com",
 * });
 * ```
 */
export function pluginOptionEnv(
  plugins: readonly PluginState[],
  env: (name: string) => string | undefined,
): Record<string, string> {
  const active = plugins.find((plugin) => plugin.active);
  if (active === undefined) return {};
  const out: Record<string, string> = {};
  for (const [option, variable] of Object.entries(PLUGIN_OPTION_VARIABLES)) {
    const value = active.options[option];
    if (value !== undefined && value !== "" && !env(variable)) out[variable] = value;
  }
  return out;
}
