/**
 * The install checks of `claude-ntfy doctor`: registered hooks and the bundle.
 *
 * @module
 */

import type { Config } from "../../core/config/config.ts";
import { approvalHookChecks } from "./approval_checks.ts";
import { check, type DoctorCheck } from "./doctor_check.ts";
import { hookCommandKind } from "./hook_command_line.ts";
import { BUNDLE_PATH, installRoot, isCompiledExecutable } from "./hook_launcher.ts";
import { eventsToRegister } from "./install_hooks.ts";
import { denoProgram, hookRuntimeChecks } from "./runtime_checks.ts";
import { readSettingsFile, settingsPath } from "./settings_file.ts";
import { findHookEntries, type FoundHook } from "./settings_hooks.ts";
import { splitShellWords } from "./shell_words.ts";

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

/**
 * Which events claude-ntfy's hook is registered for in the user's settings.json and the
 * project's settings.json and settings.local.json; warns about events the config turns on
 * but no file registers, events registered with two different commands (they notify
 * twice), a Deno that is gone or lives in a cache, commands that refer to missing files
 * and the slow source launcher.
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
      for (const hook of findHookEntries(file.document)) found.push({ ...hook, source });
    } catch (error) {
      checks.push(
        check("hooks-settings", "fail", `Cannot read ${source.path}`, {
          details: [(error as Error).message],
          fix: "fix the JSON at the place named (Claude Code cannot use this file either)",
        }),
      );
    }
  }
  if (found.length === 0) {
    checks.push(
      check("hooks", "fail", "No claude-ntfy hook registered in Claude Code's settings", {
        details: sources.map((source) => `looked in ${source.path}`),
        fix: '"claude-ntfy init --install-hooks" (this project) or add --global (every project)',
      }),
    );
    return checks;
  }
  const bySource = sources
    .map((source) => ({
      source,
      events: [...new Set(found.filter((hook) => hook.source === source).map((h) => h.event))],
    }))
    .filter((entry) => entry.events.length > 0);
  checks.push(
    check("hooks", "ok", "Hooks registered", {
      details: bySource.map((entry) => `${entry.source.label}: ${entry.events.join(", ")}`),
    }),
  );
  const registered = new Set(found.map((hook) => hook.event));
  const missing = eventsToRegister(context.config).filter((event) => !registered.has(event));
  if (missing.length > 0) {
    checks.push(
      check("hooks-missing", "warn", `On in the config but not registered: ${missing.join(", ")}`, {
        fix: '"claude-ntfy init --install-hooks" (add --global for ~/.claude/settings.json)',
      }),
    );
  }
  // Claude Code runs identical commands once, different ones each: two commands, two pushes.
  const twice = [...registered].filter((event) =>
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

/** Whether `dist/claude-ntfy.js` exists and is newer than every source file. */
export function bundleCheck(): DoctorCheck {
  if (isCompiledExecutable()) {
    return check("bundle", "ok", `Running as a compiled executable (${Deno.execPath()})`);
  }
  const root = installRoot();
  if (root === undefined) {
    return check("bundle", "skip", "Bundle not checked: install folder unknown");
  }
  const bundle = `${root}/${BUNDLE_PATH}`;
  let built: number;
  try {
    built = Deno.statSync(bundle).mtime?.getTime() ?? 0;
  } catch {
    return check("bundle", "warn", `No bundle at ${bundle}: hooks run from source, slower`, {
      fix: `"deno task build" in ${root}, then "claude-ntfy init --install-hooks"`,
    });
  }
  if (newestSource(root) > built) {
    return check("bundle", "warn", `Bundle ${bundle} is older than the sources`, {
      fix: `"deno task build" in ${root}`,
    });
  }
  return check("bundle", "ok", `Bundle exists: ${bundle}`);
}
