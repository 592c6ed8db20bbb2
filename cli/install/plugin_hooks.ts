/**
 * The Claude Code plugin's `hooks/hooks.json`, made from {@linkcode HOOKED_EVENTS}: the
 * same events and timeouts that `init --install-hooks` registers in settings.json, each
 * running the launcher committed at `bin/claude-ntfy`.
 *
 * Run it to rewrite the file after changing the list (a test fails until it matches):
 *
 * ```sh
 * deno run --allow-write=hooks cli/install/plugin_hooks.ts
 * ```
 *
 * @module
 */

import { HOOKED_EVENTS } from "./hooked_events.ts";

/**
 * The hook command: the launcher in the plugin's folder, quoted because the folder's path
 * may hold spaces. Claude Code sets `CLAUDE_PLUGIN_ROOT` for a plugin's hooks.
 */
export const PLUGIN_HOOK_COMMAND = '"${CLAUDE_PLUGIN_ROOT}/bin/claude-ntfy" hook';

/** One handler in `hooks.json`. */
export interface PluginHookHandler {
  readonly type: "command";
  readonly command: string;
  readonly timeout: number;
}

/** The contents of `hooks/hooks.json`. */
export interface PluginHooksFile {
  readonly description: string;
  readonly hooks: Record<string, { readonly hooks: PluginHookHandler[] }[]>;
}

/**
 * What `hooks/hooks.json` holds: for each event of {@linkcode HOOKED_EVENTS}, one group
 * without a matcher (every tool, every notification type) running
 * {@linkcode PLUGIN_HOOK_COMMAND} with the event's timeout.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pluginHooksFile } from "./plugin_hooks.ts";
 *
 * const file = pluginHooksFile();
 * assert.deepEqual(file.hooks.PermissionRequest, [{
 *   hooks: [{ type: "command", command: '"${CLAUDE_PLUGIN_ROOT}/bin/claude-ntfy" hook', timeout: 120 }],
 * }]);
 * ```
 */
export function pluginHooksFile(): PluginHooksFile {
  return {
    description: "claude-ntfy: hands each event to its daemon, which sends the push " +
      "notifications the config asks for",
    hooks: Object.fromEntries(
      HOOKED_EVENTS.map(({ event, timeoutSecs }) => [
        event,
        [{ hooks: [{ type: "command", command: PLUGIN_HOOK_COMMAND, timeout: timeoutSecs }] }],
      ]),
    ),
  };
}

if (import.meta.main) {
  const path = new URL("../../hooks/hooks.json", import.meta.url);
  Deno.writeTextFileSync(path, `${JSON.stringify(pluginHooksFile(), null, 2)}\n`);
  console.log(`Wrote ${path.pathname}`);
}
