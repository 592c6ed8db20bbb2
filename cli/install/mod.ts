/**
 * Installing claude-ntfy into Claude Code: the hook command line, finding the fastest
 * launcher, and editing settings.json without disturbing anything else in it.
 *
 * @example
 * ```ts
 * import { hookCommandLine, isClaudeNtfyHookCommand } from "./mod.ts";
 *
 * const command = hookCommandLine({ kind: "compiled", executable: "/usr/local/bin/claude-ntfy" });
 * console.log(command, isClaudeNtfyHookCommand(command)); // /usr/local/bin/claude-ntfy hook true
 * ```
 *
 * @module
 */

export * from "./deno_launcher.ts";
export * from "./doctor_check.ts";
export * from "./hook_command_line.ts";
export * from "./hook_launcher.ts";
export * from "./install_checks.ts";
export * from "./install_hooks.ts";
export * from "./jsonc_edit.ts";
export * from "./runtime_checks.ts";
export * from "./settings_file.ts";
export * from "./settings_hooks.ts";
export * from "./shell_words.ts";
export * from "./topic_strength.ts";
