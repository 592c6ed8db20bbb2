/**
 * The command line written into Claude Code's settings.json, and how claude-ntfy
 * recognises its own entries there again.
 *
 * @module
 */

import { shellQuote, splitShellWords } from "./shell_words.ts";

/** How the hook is started; see `findHookLauncher`. */
export type HookLauncher =
  | {
    /** The hook bundle `dist/hook/claude-ntfy-hook.js` (from `deno task build`), run by Deno: fast. */
    readonly kind: "bundle";
    /** The Deno executable, or the launcher that finds one (`useDenoLauncher`). */
    readonly deno: string;
    /** The bundle's absolute path. */
    readonly bundle: string;
  }
  | {
    /** A `claude-ntfy` executable made by `deno compile`. */
    readonly kind: "compiled";
    /** Its absolute path. */
    readonly executable: string;
  }
  | {
    /** `cli/main.ts` run from source: works, but type-checks and loads slower. */
    readonly kind: "source";
    /** The Deno executable, or the launcher that finds one (`useDenoLauncher`). */
    readonly deno: string;
    /** The absolute path of `cli/main.ts`. */
    readonly entry: string;
  };

/**
 * The comment that marks a command as claude-ntfy's when no word names it (the source
 * form runs `cli/main.ts`, which could belong to anything).
 */
export const HOOK_MARKER = "claude-ntfy";

/**
 * The V8 flags of the hook command: compile every function eagerly, so that the code cache
 * Deno keeps for the bundle holds them all. Always the same flags for the same bundle: V8
 * refuses a code cache made under other flags.
 */
const HOOK_V8_FLAGS = "--v8-flags=--no-lazy";

const OUR_PROGRAMS = new Set([
  "claude-ntfy",
  "claude-ntfy.js",
  "claude-ntfy-hook.js",
  "claude-ntfy.exe",
]);

/** The bundles: the CLI's, and the hook's own (what `init` registers). */
const OUR_BUNDLES = new Set(["claude-ntfy.js", "claude-ntfy-hook.js"]);

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * The shell command that runs `claude-ntfy hook` with `launcher`. Every path is
 * POSIX-quoted, so paths with spaces or quotes work. The source form ends with the
 * comment `# claude-ntfy` so that {@linkcode isClaudeNtfyHookCommand} knows it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hookCommandLine } from "./hook_command_line.ts";
 *
 * assert.deepEqual(
 *   hookCommandLine({ kind: "bundle", deno: "/usr/bin/deno", bundle: "/opt/My Tools/dist/claude-ntfy.js" }),
 *   "/usr/bin/deno run -A --quiet --no-prompt --no-config --v8-flags=--no-lazy '/opt/My Tools/dist/claude-ntfy.js' hook",
 * );
 * ```
 */
export function hookCommandLine(launcher: HookLauncher): string {
  switch (launcher.kind) {
    case "bundle":
      // --no-config: the bundle imports nothing, so the deno.json beside it (the checkout's)
      // is nothing to read; reading it and its lock file cost each event about 0.5 ms.
      // --v8-flags=--no-lazy: every function is compiled with the script, so Deno's code
      // cache holds them all and no event compiles a function on first call (0.6-0.9 ms).
      return `${
        shellQuote(launcher.deno)
      } run -A --quiet --no-prompt --no-config ${HOOK_V8_FLAGS} ${
        shellQuote(launcher.bundle)
      } hook`;
    case "compiled":
      return `${shellQuote(launcher.executable)} hook`;
    case "source":
      return `${shellQuote(launcher.deno)} run -A --quiet ${
        shellQuote(launcher.entry)
      } hook # ${HOOK_MARKER}`;
  }
}

/**
 * Whether a settings.json command runs `claude-ntfy hook`: a word `hook` follows a word
 * naming `claude-ntfy` or `claude-ntfy.js` (any folder), or the command carries the
 * `# claude-ntfy` marker. Commands other tools wrote, even ones that merely mention
 * claude-ntfy in a path, do not match.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isClaudeNtfyHookCommand } from "./hook_command_line.ts";
 *
 * assert.deepEqual(isClaudeNtfyHookCommand("claude-ntfy hook"), true);
 * assert.deepEqual(isClaudeNtfyHookCommand("'/opt/a b/dist/claude-ntfy.js' hook"), true);
 * assert.deepEqual(isClaudeNtfyHookCommand("notify-send claude-ntfy"), false);
 * ```
 */
export function isClaudeNtfyHookCommand(command: string): boolean {
  const { words, comment } = splitShellWords(command);
  const hook = words.indexOf("hook");
  if (hook === -1) return false;
  if (comment === HOOK_MARKER) return true;
  return words.slice(0, hook).some((word) => OUR_PROGRAMS.has(basename(word)));
}

/** The kind of launcher a command uses, when it is one of ours. */
export function hookCommandKind(command: string): HookLauncher["kind"] | undefined {
  if (!isClaudeNtfyHookCommand(command)) return undefined;
  const { words } = splitShellWords(command);
  if (words.some((word) => OUR_BUNDLES.has(basename(word)))) return "bundle";
  if (words.some((word) => word.endsWith(".ts"))) return "source";
  return "compiled";
}
