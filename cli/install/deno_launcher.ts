/**
 * The hook's Deno launcher: a small POSIX sh script in claude-ntfy's own folder that
 * settings.json names instead of a Deno executable. It finds a Deno each time it runs, so
 * the hook outlives the Deno that installed it (e.g. one in npm's npx cache, which
 * `npm cache clean` deletes), and it installs one with npm when there is none.
 *
 * It takes Deno's whole command line as arguments: the entry file and Deno's flags stay in
 * `hookCommandLine`, the one place that chooses them.
 *
 * @module
 */

import { STATE_DIR_NAME } from "../../client/paths.ts";
import { writeTextFileAtomicSync } from "../../core/fs/atomic_write.ts";
import { ensurePrivateDir } from "../../core/state_dir.ts";
import type { HookLauncher } from "./hook_command_line.ts";
import { shellQuote } from "./shell_words.ts";

/** The Deno version the launcher installs when it finds none. */
export const RUNTIME_DENO_VERSION = "2.9.6";

/** The launcher's file name, in `~/.claude/ntfy-service/bin/`. */
export const LAUNCHER_NAME = "claude-ntfy-deno";

/** The line after the shebang that marks a file as the launcher. */
export const LAUNCHER_HEADER = "# claude-ntfy hook launcher";

/**
 * The first argument that makes the launcher print the Deno it would run (exit 0), or
 * print nothing and exit 1 when it has none, instead of running or installing anything.
 */
export const WHICH_RUNTIME_FLAG = "--claude-ntfy-which";

/** Where the launcher and the Deno it installs live. */
export interface LauncherPaths {
  /** `~/.claude/ntfy-service`: claude-ntfy's own folder (0700). */
  readonly folder: string;
  /** The launcher script (0700). */
  readonly script: string;
  /** The npm prefix the launcher installs Deno into. */
  readonly runtimeDir: string;
  /** The output of the last install. */
  readonly installLog: string;
  /** A folder that exists while an install runs. */
  readonly installLock: string;
}

/**
 * The launcher's paths for a home directory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { launcherPaths } from "./deno_launcher.ts";
 *
 * assert.equal(launcherPaths("/home/ada").script, "/home/ada/.claude/ntfy-service/bin/claude-ntfy-deno");
 * assert.equal(launcherPaths("/home/ada").runtimeDir, "/home/ada/.claude/ntfy-service/runtime");
 * ```
 */
export function launcherPaths(homeDir: string): LauncherPaths {
  return launcherPathsInFolder(`${homeDir.replace(/\/+$/, "")}/${STATE_DIR_NAME}`);
}

/** The launcher's paths in claude-ntfy's folder (the one holding `bin/`). */
export function launcherPathsInFolder(folder: string): LauncherPaths {
  return {
    folder,
    script: `${folder}/bin/${LAUNCHER_NAME}`,
    runtimeDir: `${folder}/runtime`,
    installLog: `${folder}/runtime-install.log`,
    installLock: `${folder}/runtime-install.lock`,
  };
}

/** Options for {@linkcode launcherScript} and {@linkcode writeLauncher}. */
export interface LauncherOptions {
  /** The user's home directory; the launcher goes into `~/.claude/ntfy-service/bin/`. */
  readonly homeDir: string;
  /** A Deno to try before searching (the one running `init`); skipped once it is gone. */
  readonly preferredDeno?: string;
  /** The Deno version to install when none is found. @default {RUNTIME_DENO_VERSION} */
  readonly denoVersion?: string;
}

/**
 * The launcher's text. It runs the first executable of: `$CLAUDE_NTFY_DENO`, the preferred
 * Deno, `deno` on `PATH`, `$DENO_INSTALL/bin/deno`, `~/.deno/bin/deno`, and a Deno it
 * installed itself under `runtime/`, passing its arguments on unchanged. With none, it
 * starts one `npm install --prefix <runtime> deno@<version>` in the background, says so on
 * stderr and exits 0 at once: a hook must not hold Claude Code up, and this event's
 * notification is dropped (there is no Deno to spool it with).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { launcherScript } from "./deno_launcher.ts";
 *
 * const script = launcherScript({ homeDir: "/home/ada", preferredDeno: "/usr/bin/deno" });
 * assert.match(script, /^#!\/bin\/sh\n# claude-ntfy hook launcher:/);
 * assert.match(script, /\nrun \/usr\/bin\/deno "\$@"\n/);
 * ```
 */
export function launcherScript(options: LauncherOptions): string {
  const paths = launcherPaths(options.homeDir);
  const version = options.denoVersion ?? RUNTIME_DENO_VERSION;
  const home = options.homeDir.replace(/\/+$/, "");
  const preferred = options.preferredDeno === undefined
    ? ""
    : `run ${shellQuote(options.preferredDeno)} "$@"\n`;
  return `#!/bin/sh
${LAUNCHER_HEADER}: runs Deno with the arguments it is given.
# Written by "claude-ntfy init --install-hooks", which rewrites it: do not edit.
# Claude Code's settings.json names this file instead of a Deno executable, so that hooks
# keep working when the Deno that installed them goes (e.g. "npm cache clean" deletes
# the one "npx deno" runs). It runs the first Deno found: $CLAUDE_NTFY_DENO, the Deno
# that ran init, deno on PATH, $DENO_INSTALL/bin/deno, ~/.deno/bin/deno, the Deno it
# installed under runtime/. With none, it installs deno@${version} there with npm in the
# background, says so on stderr and exits 0: a hook must never hold Claude Code up.
# "${WHICH_RUNTIME_FLAG}" prints the Deno it would run (for "claude-ntfy doctor").
runtime=${shellQuote(paths.runtimeDir)}
log=${shellQuote(paths.installLog)}
lock=${shellQuote(paths.installLock)}

run() {
  [ -n "$1" ] && [ -f "$1" ] && [ -x "$1" ] || return 0
  if [ "\${2-}" = ${WHICH_RUNTIME_FLAG} ]; then
    printf '%s\\n' "$1"
    exit 0
  fi
  deno=$1
  shift
  exec "$deno" "$@"
}

run "\${CLAUDE_NTFY_DENO-}" "$@"
${preferred}set -f
IFS=:
for dir in $PATH; do
  case $dir in /*) run "$dir/deno" "$@" ;; esac
done
unset IFS
set +f
run "\${DENO_INSTALL:+$DENO_INSTALL/bin/deno}" "$@"
run ${shellQuote(`${home}/.deno/bin/deno`)} "$@"
# Not while npm writes it: a half-written Deno would fail.
if [ ! -d "$lock" ]; then
  run "$runtime/node_modules/deno/deno" "$@"
  for deno in "$runtime"/node_modules/@deno/*/deno; do run "$deno" "$@"; done
fi
[ "\${1-}" = ${WHICH_RUNTIME_FLAG} ] && exit 1

skipped='this notification is skipped; "claude-ntfy doctor" checks the setup'
npm=$(command -v npm 2>/dev/null)
if [ -z "$npm" ]; then
  printf 'claude-ntfy: no Deno to run the hook and no npm to install one: install Deno (https://deno.com); %s\\n' "$skipped" >&2
elif mkdir "$lock" 2>/dev/null || [ -n "$(find "$lock" -prune -mmin +10 2>/dev/null)" ]; then
  touch "$lock"
  nohup sh -c '"$1" install --prefix "$2" --no-audit --no-fund "deno@$3"; rmdir "$4"' \\
    sh "$npm" "$runtime" ${shellQuote(version)} "$lock" </dev/null >"$log" 2>&1 &
  printf 'claude-ntfy: no Deno to run the hook: installing Deno %s into %s in the background (log: %s); %s\\n' \\
    ${shellQuote(version)} "$runtime" "$log" "$skipped" >&2
else
  printf 'claude-ntfy: no Deno to run the hook yet: Deno %s is being installed into %s (log: %s); %s\\n' \\
    ${shellQuote(version)} "$runtime" "$log" "$skipped" >&2
fi
exit 0
`;
}

/** What {@linkcode writeLauncher} did. */
export interface WrittenLauncher {
  /** The launcher's path. */
  readonly path: string;
  /** False when the file already had this content. */
  readonly written: boolean;
}

/**
 * Writes the launcher (mode 0700, atomically, in 0700 folders), unless it already has
 * this content.
 *
 * @throws {InstanceError} when `~/.claude/ntfy-service` is someone else's or writable by others.
 */
export function writeLauncher(options: LauncherOptions): WrittenLauncher {
  const paths = launcherPaths(options.homeDir);
  const text = launcherScript(options);
  ensurePrivateDir(paths.folder);
  ensurePrivateDir(`${paths.folder}/bin`);
  try {
    const mode = (Deno.statSync(paths.script).mode ?? 0o700) & 0o777;
    if (mode === 0o700 && Deno.readTextFileSync(paths.script) === text) {
      return { path: paths.script, written: false };
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  writeTextFileAtomicSync(paths.script, text, { mode: 0o700 });
  return { path: paths.script, written: true };
}

/** Whether `path` is a launcher written by {@linkcode writeLauncher}. */
export function isLauncherScript(path: string): boolean {
  try {
    const file = Deno.openSync(path, { read: true });
    try {
      const head = new Uint8Array(64);
      const length = file.readSync(head) ?? 0;
      return new TextDecoder().decode(head.subarray(0, length)).split("\n")[1]?.startsWith(
        LAUNCHER_HEADER,
      ) ?? false;
    } finally {
      file.close();
    }
  } catch {
    return false;
  }
}

/** A launcher that runs Deno through the script, and the script written for it. */
export interface LastingLauncher {
  /** How settings.json should start the hook. */
  readonly launcher: HookLauncher;
  /** The script, when the launcher needs Deno. */
  readonly script?: WrittenLauncher;
}

/**
 * Routes a launcher that runs Deno through the launcher script, which it writes; a
 * compiled executable needs no Deno and is returned as it is.
 *
 * @example
 * ```ts ignore
 * const { launcher } = useDenoLauncher(
 *   { kind: "bundle", deno: "/usr/bin/deno", bundle: "/opt/cn/dist/claude-ntfy.js" },
 *   { homeDir: "/home/ada" },
 * );
 * // launcher.deno === "/home/ada/.claude/ntfy-service/bin/claude-ntfy-deno"
 * ```
 */
export function useDenoLauncher(
  launcher: HookLauncher,
  options: Omit<LauncherOptions, "preferredDeno">,
): LastingLauncher {
  if (launcher.kind === "compiled") return { launcher };
  const script = writeLauncher({ ...options, preferredDeno: launcher.deno });
  return { launcher: { ...launcher, deno: script.path }, script };
}
