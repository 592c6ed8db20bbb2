/**
 * Registering and unregistering `claude-ntfy hook` in a settings.json file, and choosing
 * which events to register.
 *
 * @module
 */

import type { Config } from "../../core/config/config.ts";
import { HOOKED_EVENTS, hookTimeoutSecs } from "./hooked_events.ts";
import { editSettingsFile } from "./settings_file.ts";
import {
  addHookEntries,
  findHookEntries,
  type HookChanges,
  removeHookEntries,
} from "./settings_hooks.ts";

/** Event names as Claude Code spells them. */
export const EVENT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Seconds a `PermissionRequest` hook gets beyond `approval.timeout_secs`. */
export const APPROVAL_HOOK_MARGIN_SECS = 30;

/**
 * The `timeout` of each event's hook in settings.json where it differs from
 * `HOOKED_EVENTS`: with approvals on, a `PermissionRequest` hook waits for the phone, so it
 * gets `approval.timeout_secs` and a margin when that is longer than its 120 s (Claude
 * Code kills a hook at its timeout).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultConfig } from "../../core/config/config.ts";
 * import { hookTimeouts } from "./install_hooks.ts";
 *
 * const config = defaultConfig();
 * config.approval.enabled = true;
 * config.approval.timeout_secs = 300;
 * assert.deepEqual(hookTimeouts(config), { PermissionRequest: 330 });
 * ```
 */
export function hookTimeouts(config: Config): Record<string, number> {
  if (!config.approval.enabled) return {};
  return {
    PermissionRequest: Math.max(
      hookTimeoutSecs("PermissionRequest"),
      config.approval.timeout_secs + APPROVAL_HOOK_MARGIN_SECS,
    ),
  };
}

/**
 * The events to register: every event in `HOOKED_EVENTS` (the same list the plugin's
 * `hooks/hooks.json` holds), then events the configuration turns on that the list does not
 * name (`hooks.events`), then `extra`. Whether an event notifies stays the config's
 * choice, made by the daemon, which also follows the activity events.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultConfig } from "../../core/config/config.ts";
 * import { HOOKED_EVENTS } from "./hooked_events.ts";
 * import { eventsToRegister } from "./install_hooks.ts";
 *
 * const config = defaultConfig();
 * config.hooks.events.TaskCompleted = true;
 * assert.deepEqual(eventsToRegister(config, ["Setup"]), [
 *   ...HOOKED_EVENTS.map((entry) => entry.event), "TaskCompleted", "Setup",
 * ]);
 * ```
 */
export function eventsToRegister(config: Config, extra: readonly string[] = []): string[] {
  const switches = config.hooks.events;
  const others = Object.keys(switches).filter((event) => event !== "*" && switches[event] === true);
  return [...new Set([...HOOKED_EVENTS.map((entry) => entry.event), ...others, ...extra])];
}

/** Whether the configuration turns `event` on (`hooks.events`, else its `"*"`). */
export function eventIsOn(config: Config, event: string): boolean {
  const switches = config.hooks.events;
  return (Object.hasOwn(switches, event) ? switches[event] : switches["*"]) === true;
}

/** What {@linkcode installHooks} did. */
export interface InstallReport extends HookChanges {
  /** The settings file. */
  readonly path: string;
  /** The command registered. */
  readonly command: string;
  /** Whether the file was written. */
  readonly written: boolean;
  /** Whether the file was created. */
  readonly created: boolean;
  /** The backup of the previous file, when one was written. */
  readonly backupPath?: string;
  /** Events not asked for that already have a claude-ntfy entry (left alone). */
  readonly alsoRegistered: string[];
}

/** Options for {@linkcode installHooks}. */
export interface InstallHooksOptions {
  /** The settings.json to change. */
  settingsPath: string;
  /** The command line (see `hookCommandLine`). */
  command: string;
  /** The events to register. */
  events: readonly string[];
  /** Hook timeouts by event (see {@linkcode hookTimeouts}). @default {each event's in `HOOKED_EVENTS`} */
  timeouts?: Readonly<Record<string, number>>;
  /** The time used to name the backup. @default {new Date()} */
  now?: Date;
}

/**
 * Registers `command` for `events` in a settings.json, keeping everything else as it was,
 * comments and formatting included. Running it again with the same arguments changes
 * nothing and writes no backup.
 *
 * @throws {SyntaxError} when the file is not valid JSON; {@linkcode TypeError} when its
 * `hooks` has the wrong shape. Nothing is written then.
 */
export function installHooks(options: InstallHooksOptions): InstallReport {
  const edit = editSettingsFile(options.settingsPath, (text, settings) => {
    const added = addHookEntries(text, options);
    const alsoRegistered = [
      ...new Set(findHookEntries(settings).map((entry) => entry.event)),
    ].filter((event) => !options.events.includes(event));
    return { text: added.text, result: { ...added.changes, alsoRegistered } };
  }, { now: options.now });
  return {
    ...edit.result,
    path: options.settingsPath,
    command: options.command,
    written: edit.written,
    created: edit.created,
    ...(edit.backupPath === undefined ? {} : { backupPath: edit.backupPath }),
  };
}

/** What {@linkcode uninstallHooks} did. */
export interface UninstallReport {
  /** The settings file. */
  readonly path: string;
  /** The events whose claude-ntfy entries were removed. */
  readonly removed: string[];
  /** Whether the file was written. */
  readonly written: boolean;
  /** The backup of the previous file, when one was written. */
  readonly backupPath?: string;
}

/**
 * Removes claude-ntfy's entries from a settings.json, keeping everything else. A missing
 * file, or one without claude-ntfy entries, is left alone.
 *
 * @throws {SyntaxError} when the file is not valid JSON; nothing is written then.
 */
export function uninstallHooks(options: { settingsPath: string; now?: Date }): UninstallReport {
  const edit = editSettingsFile(options.settingsPath, (text) => {
    const { text: edited, removed } = removeHookEntries(text);
    return { text: edited, result: removed };
  }, { now: options.now });
  return {
    path: options.settingsPath,
    removed: edit.result,
    written: edit.written,
    ...(edit.backupPath === undefined ? {} : { backupPath: edit.backupPath }),
  };
}

/**
 * Says what {@linkcode installHooks} did, one fact a line.
 *
 * @example
 * ```ts
 * import { describeInstall } from "./install_hooks.ts";
 *
 * console.log(describeInstall({
 *   path: "/p/.claude/settings.json", command: "claude-ntfy hook", written: false, created: false,
 *   added: [], updated: [], unchanged: ["Stop"], alsoRegistered: [],
 * }));
 * // No change: /p/.claude/settings.json already runs claude-ntfy for Stop
 * ```
 */
export function describeInstall(report: InstallReport): string {
  const lines: string[] = [];
  if (!report.written) {
    lines.push(
      `No change: ${report.path} already runs claude-ntfy for ${report.unchanged.join(", ")}`,
    );
  } else {
    lines.push(
      report.created
        ? `Created ${report.path}`
        : `Updated ${report.path} (backup: ${report.backupPath})`,
    );
    if (report.added.length > 0) lines.push(`  added:     ${report.added.join(", ")}`);
    if (report.updated.length > 0) lines.push(`  updated:   ${report.updated.join(", ")}`);
    if (report.unchanged.length > 0) lines.push(`  unchanged: ${report.unchanged.join(", ")}`);
  }
  if (report.alsoRegistered.length > 0) {
    lines.push(
      `  left as they are (registered before, now off in the config): ${
        report.alsoRegistered.join(", ")
      }`,
    );
  }
  lines.push(`  command:   ${report.command}`);
  return `${lines.join("\n")}\n`;
}
