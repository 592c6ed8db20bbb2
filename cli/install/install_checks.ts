/**
 * The install checks of `claude-ntfy doctor`: registered hooks and the bundle.
 *
 * @module
 */

import type { Config } from "../../core/config/config.ts";
import { approvalHookChecks } from "./approval_checks.ts";
import { check, type DoctorCheck } from "./doctor_check.ts";
import { hookCommandKind } from "./hook_command_line.ts";
import {
  BUNDLE_PATH,
  HOOK_BUNDLE_PATH,
  HOOK_FULL_BUNDLE_PATH,
  installRoot,
  isCompiledExecutable,
} from "./hook_launcher.ts";
import { eventIsOn, eventsToRegister } from "./install_hooks.ts";
import { HOOKED_EVENTS, SESSION_EVENTS } from "./hooked_events.ts";
import { type PluginState, readPluginStates } from "./claude_plugins.ts";
import { denoProgram, hookRuntimeChecks } from "./runtime_checks.ts";
import { readSettingsFile, settingsPath } from "./settings_file.ts";
import { findHookEntries, type FoundHook } from "./settings_hooks.ts";
import { splitShellWords } from "./shell_words.ts";
import { errorMessage } from "../../protocol/error_message.ts";

const INSTALL_FIX = '"claude-ntfy init --install-hooks" (add --global for ~/.claude/settings.json)';

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** What the hook checks need to know. */
export interface InstallCheckContext {
  /** The user's home directory. */
  readonly homeDir: string;
  /** The project directory. */
  readonly projectDir: string;
  /** The effective configuration. */
  readonly config: Config;
}

interface SettingsSource {
  readonly label: string;
  readonly path: string;
  readonly uninstall: string;
}

/** A plugin check: which claude-ntfy plugins run here, and the files that could not be read. */
function pluginChecks(plugins: readonly PluginState[], problems: readonly string[]): DoctorCheck[] {
  const checks: DoctorCheck[] = problems.map((problem) =>
    check("plugin-files", "warn", "Cannot read Claude Code's plugin list", {
      details: [problem],
      fix: '"claude plugin list" shows what Claude Code makes of it',
    })
  );
  for (const plugin of plugins) {
    const where = plugin.install === undefined ? [] : [
      `installed (${plugin.install.scope} scope${
        plugin.install.version === undefined ? "" : `, version ${plugin.install.version}`
      })${plugin.install.installPath === undefined ? "" : ` at ${plugin.install.installPath}`}`,
    ];
    const decided = plugin.decidedBy === undefined
      ? []
      : [`enabledPlugins in ${plugin.decidedBy}: ${plugin.enabled}`];
    const options = Object.keys(plugin.options).filter((key) => plugin.options[key] !== "");
    const optionLine = options.length === 0 ? [] : [`options set: ${options.join(", ")}`];
    if (plugin.active) {
      checks.push(
        check("plugin", "ok", `Claude Code plugin ${plugin.id} is enabled: it runs the hook`, {
          details: [...where, ...decided, ...optionLine],
        }),
      );
    } else if (plugin.enabled === true) {
      checks.push(
        check("plugin", "warn", `Plugin ${plugin.id} is enabled but not installed here`, {
          details: decided,
          fix: `"claude plugin install ${plugin.id}"`,
        }),
      );
    } else {
      checks.push(
        check("plugin", "skip", `Plugin ${plugin.id} is installed but disabled here`, {
          details: [...where, ...decided],
        }),
      );
    }
  }
  return checks;
}

/**
 * Which events claude-ntfy's hook is registered for: by the claude-ntfy Claude Code plugin,
 * and in the user's settings.json and the project's settings.json and settings.local.json.
 * Fails when the plugin and a settings.json both run it (every event would notify twice)
 * and says which to remove; warns about events that should be registered but are not,
 * events registered with two different commands, a Deno that is gone or lives in a cache,
 * commands that refer to missing files and the slow source launcher.
 */
export function installedHookChecks(context: InstallCheckContext): DoctorCheck[] {
  const sources: SettingsSource[] = [
    {
      label: "~/.claude/settings.json",
      path: settingsPath("user", context.homeDir),
      uninstall: "claude-ntfy uninstall-hooks --global",
    },
    {
      label: ".claude/settings.json",
      path: settingsPath("project", context.projectDir),
      uninstall: "claude-ntfy uninstall-hooks",
    },
    {
      label: ".claude/settings.local.json",
      path: settingsPath("local", context.projectDir),
      uninstall: "remove the entry from .claude/settings.local.json",
    },
  ].filter((source, index, all) => all.findIndex((other) => other.path === source.path) === index);
  const checks: DoctorCheck[] = [];
  const found: Array<FoundHook & { source: SettingsSource }> = [];
  for (const source of sources) {
    try {
      const file = readSettingsFile(source.path);
      for (const hook of findHookEntries(file.value)) found.push({ ...hook, source });
    } catch (error) {
      checks.push(
        check("hooks-settings", "fail", `Cannot read ${source.path}`, {
          details: [errorMessage(error)],
          fix: "fix the JSON at the place named (Claude Code cannot use this file either)",
        }),
      );
    }
  }
  const { plugins, problems } = readPluginStates(context);
  checks.push(...pluginChecks(plugins, problems));
  const active = plugins.filter((plugin) => plugin.active);
  if (found.length === 0) {
    if (active.length === 0) {
      checks.push(
        check("hooks", "fail", "No claude-ntfy hook registered in Claude Code", {
          details: [
            "the ntfy-notifier plugin is not enabled",
            ...sources.map((source) => `looked in ${source.path}`),
          ],
          fix: '"claude plugin install ntfy-notifier@claude-ntfy" (see the README), or ' +
            '"claude-ntfy init --install-hooks" (this project) or add --global (every project)',
        }),
      );
    }
    return checks;
  }
  const bySource = sources
    .map((source) => ({
      source,
      events: [...new Set(found.filter((hook) => hook.source === source).map((h) => h.event))],
    }))
    .filter((entry) => entry.events.length > 0);
  checks.push(
    check("hooks", "ok", "Hooks registered in settings.json", {
      details: bySource.map((entry) => `${entry.source.label}: ${entry.events.join(", ")}`),
    }),
  );
  if (active.length > 0) {
    const ids = active.map((plugin) => plugin.id);
    const uninstall = [...new Set(bySource.map((entry) => `"${entry.source.uninstall}"`))];
    checks.push(
      check(
        "hooks-double",
        "fail",
        `Registered twice: the ${ids.join(" and ")} plugin and settings.json both run ` +
          `claude-ntfy, so every event notifies twice`,
        {
          details: [
            ...ids.map((id) =>
              `plugin ${id}: ${HOOKED_EVENTS.map((entry) => entry.event).join(", ")}`
            ),
            ...bySource.map((entry) => `${entry.source.label}: ${entry.events.join(", ")}`),
          ],
          fix: `keep the plugin and remove the settings.json entries: ${uninstall.join(", ")}; ` +
            `or keep settings.json and disable the plugin: ${
              ids.map((id) => `"claude plugin disable ${id}"`).join(", ")
            }`,
        },
      ),
    );
  }
  const registered = new Set([
    ...found.map((hook) => hook.event),
    ...(active.length > 0 ? HOOKED_EVENTS.map((entry) => entry.event) : []),
  ]);
  const missing = eventsToRegister(context.config).filter((event) => !registered.has(event));
  if (missing.length > 0) {
    checks.push(
      check("hooks-missing", "warn", `Not registered, so never seen: ${missing.join(", ")}`, {
        details: [
          "claude-ntfy hooks these events (the daemon follows activity; hooks.events picks " +
          "what notifies)",
        ],
        fix: INSTALL_FIX,
      }),
    );
  }
  // The activity events that would not notify anyway: missing, they cost the sessions.
  const untracked = SESSION_EVENTS.filter((event) =>
    !registered.has(event) && !eventIsOn(context.config, event)
  );
  if (untracked.length > 0) {
    checks.push(
      check(
        "hooks-sessions",
        "warn",
        `Not registered, so the daemon cannot tell you are back at the terminal: ${
          untracked.join(", ")
        }`,
        {
          details: [
            "Held notifications are then sent even when you answered at the keyboard.",
          ],
          fix: INSTALL_FIX,
        },
      ),
    );
  }
  // Claude Code runs identical commands once, different ones each: two commands, two pushes.
  const twice = [...new Set(found.map((hook) => hook.event))].filter((event) =>
    new Set(found.filter((hook) => hook.event === event).map((hook) => hook.command)).size > 1
  );
  if (twice.length > 0) {
    checks.push(
      check(
        "hooks-duplicate",
        "warn",
        `Registered twice, so they notify twice: ${twice.join(", ")}`,
        {
          details: found.filter((hook) => twice.includes(hook.event)).map((hook) =>
            `${hook.source.label} ${hook.event}: ${hook.command}`
          ),
          fix: `keep one: e.g. "${
            bySource.at(-1)!.source.uninstall
          }", then "claude-ntfy init --install-hooks" where you want it`,
        },
      ),
    );
  }
  checks.push(...approvalHookChecks(context.config, found));
  const commands = [...new Set(found.map((hook) => hook.command))];
  checks.push(...hookRuntimeChecks(commands));
  // The program that starts Deno has its own check just above.
  const broken = commands.flatMap((command) =>
    splitShellWords(command).words.filter((word) =>
      word.startsWith("/") && word !== denoProgram(command) && !exists(word)
    ).map((word) => `${word} (in: ${command})`)
  );
  if (broken.length > 0) {
    checks.push(
      check("hooks-command", "fail", "A hook command refers to a file that does not exist", {
        details: broken,
        fix: '"claude-ntfy init --install-hooks" rewrites the command',
      }),
    );
  } else if (found.some((hook) => hookCommandKind(hook.command) === "source")) {
    checks.push(
      check("hooks-command", "warn", "A hook runs claude-ntfy from source, which starts slower", {
        fix: '"deno task build", then "claude-ntfy init --install-hooks" to use the bundle',
      }),
    );
  }
  return checks;
}

function newestSource(root: string): number {
  let newest = 0;
  const walk = (dir: string) => {
    let entries;
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.isFile && entry.name.endsWith(".ts")) {
        newest = Math.max(newest, Deno.statSync(path).mtime?.getTime() ?? 0);
      }
    }
  };
  for (const dir of ["cli", "protocol", "daemon"]) walk(`${root}/${dir}`);
  return newest;
}

/**
 * Whether the bundles (`dist/claude-ntfy.js` for the CLI, `dist/hook/claude-ntfy-hook.js`
 * and `dist/hook/claude-ntfy-hook-full.js` for the hook) exist and are newer than every
 * source file.
 */
export function bundleCheck(): DoctorCheck {
  if (isCompiledExecutable()) {
    return check("bundle", "ok", `Running as a compiled executable (${Deno.execPath()})`);
  }
  const root = installRoot();
  if (root === undefined) {
    return check("bundle", "skip", "Bundle not checked: install folder unknown");
  }
  const newest = newestSource(root);
  const missing: Record<string, string> = {
    [HOOK_BUNDLE_PATH]: "hooks run from source, slower",
    [HOOK_FULL_BUNDLE_PATH]: "the hook cannot spool, report errors or wait for approvals",
    [BUNDLE_PATH]: "hooks run from source, slower",
  };
  for (const [path, consequence] of Object.entries(missing)) {
    const bundle = `${root}/${path}`;
    let built: number;
    try {
      built = Deno.statSync(bundle).mtime?.getTime() ?? 0;
    } catch {
      return check("bundle", "warn", `No bundle at ${bundle}: ${consequence}`, {
        fix: `"deno task build" in ${root}, then "claude-ntfy init --install-hooks"`,
      });
    }
    if (newest > built) {
      return check("bundle", "warn", `Bundle ${bundle} is older than the sources`, {
        fix: `"deno task build" in ${root}`,
      });
    }
  }
  return check(
    "bundle",
    "ok",
    `Bundles exist: ${root}/${HOOK_BUNDLE_PATH}, ${root}/${BUNDLE_PATH}`,
  );
}
