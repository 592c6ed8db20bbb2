/**
 * The `claude-ntfy doctor` check of the Deno that registered hooks run: gone, in a cache
 * that is cleaned, or started through the launcher that finds one.
 *
 * @module
 */

import { dirname } from "../../client/paths.ts";
import { check, type DoctorCheck } from "./doctor_check.ts";
import {
  isLauncherScript,
  launcherPathsInFolder,
  RUNTIME_DENO_VERSION,
  WHICH_RUNTIME_FLAG,
} from "./deno_launcher.ts";
import { hookCommandKind } from "./hook_command_line.ts";
import { shellQuote, splitShellWords } from "./shell_words.ts";

const TRANSIENT_PLACES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\/_npx\//, "npm's npx cache"],
  [/\/\.npm\//, "npm's cache"],
  [/\/(?:\.cache|Library\/Caches)\//, "a cache folder"],
  [/^\/(?:private\/)?(?:var\/)?tmp\//, "a temporary folder"],
  [/^\/(?:private\/)?var\/folders\//, "a temporary folder"],
];

/**
 * Where `path` lies when that is a place emptied behind the user's back (npm's npx
 * cache, another cache folder, a temporary folder), or `undefined`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { transientPlace } from "./runtime_checks.ts";
 *
 * assert.equal(
 *   transientPlace("/home/ada/.npm/_npx/9f2c/node_modules/deno/deno"),
 *   "npm's npx cache",
 * );
 * assert.equal(transientPlace("/usr/local/bin/deno"), undefined);
 * ```
 */
export function transientPlace(path: string): string | undefined {
  return TRANSIENT_PLACES.find(([pattern]) => pattern.test(path))?.[1];
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function realPathOrSelf(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return path;
  }
}

/** Where `path` or the file it links to lies, when that is a transient place. */
function transientPlaceOf(path: string, realPath: (path: string) => string): string | undefined {
  const place = transientPlace(path);
  if (place !== undefined) return `${path} is in ${place}`;
  const target = realPath(path);
  const targetPlace = target === path ? undefined : transientPlace(target);
  return targetPlace === undefined ? undefined : `${path} leads to ${target}, in ${targetPlace}`;
}

/** Asks the launcher which Deno it would run; `undefined` when it has none. */
function askLauncher(script: string): string | undefined {
  try {
    const output = new Deno.Command("/bin/sh", {
      args: [script, WHICH_RUNTIME_FLAG],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    const path = new TextDecoder().decode(output.stdout).trim();
    return output.success && path !== "" ? path : undefined;
  } catch {
    return undefined;
  }
}

function lastLines(path: string, count: number): string[] {
  try {
    return Deno.readTextFileSync(path).trimEnd().split("\n").slice(-count).filter((line) =>
      line !== ""
    );
  } catch {
    return [];
  }
}

/** What {@linkcode hookRuntimeChecks} uses from its surroundings; tests replace it. */
export interface RuntimeCheckOptions {
  /** The Deno a launcher script would run. @default {runs it with `--claude-ntfy-which`} */
  whichDeno?: (script: string) => string | undefined;
  /** Resolves symlinks. @default {Deno.realPathSync, or the path itself on error} */
  realPath?: (path: string) => string;
}

const REINSTALL = '"claude-ntfy init --install-hooks" (add --global for ~/.claude/settings.json)';

function launcherCheck(script: string, options: Required<RuntimeCheckOptions>): DoctorCheck {
  const paths = launcherPathsInFolder(dirname(dirname(script)));
  const deno = options.whichDeno(script);
  if (deno !== undefined) {
    const place = transientPlaceOf(deno, options.realPath);
    return check("hooks-runtime", "ok", `Hooks start Deno through ${script}: it runs ${deno}`, {
      details: place === undefined ? [] : [
        `${place}: when that goes, the launcher runs the next Deno it finds, or installs one`,
      ],
    });
  }
  const installing = isDirectory(paths.installLock);
  const log = lastLines(paths.installLog, 5);
  return check(
    "hooks-runtime",
    "fail",
    installing
      ? `No Deno for the hooks yet: Deno is being installed into ${paths.runtimeDir}`
      : `No Deno for the hooks: each hook skips its notification and tries to install Deno into ${paths.runtimeDir}`,
    {
      details: [
        `${script} found no Deno (looked at $CLAUDE_NTFY_DENO, the Deno that ran init, ` +
        `deno on PATH, ~/.deno/bin/deno and ${paths.runtimeDir})`,
        ...(log.length === 0 ? [] : [`last install (${paths.installLog}):`, ...log]),
      ],
      fix: `install one now: npm install --prefix ${
        shellQuote(paths.runtimeDir)
      } deno@${RUNTIME_DENO_VERSION} (or install Deno: https://deno.com)`,
    },
  );
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/**
 * The programs that hook commands start Deno with, each checked once: a launcher script
 * is asked which Deno it would run (fail when none); a Deno named directly fails when it
 * is gone and warns when it lies in a cache or a temporary folder, which are emptied
 * without warning (`npm cache clean --force` deletes what `npx deno` runs), after which
 * every hook fails silently.
 */
export function hookRuntimeChecks(
  commands: readonly string[],
  options: RuntimeCheckOptions = {},
): DoctorCheck[] {
  const resolved: Required<RuntimeCheckOptions> = {
    whichDeno: options.whichDeno ?? askLauncher,
    realPath: options.realPath ?? realPathOrSelf,
  };
  const programs = [...new Set(commands.flatMap((command) => denoProgram(command) ?? []))];
  const checks: DoctorCheck[] = [];
  for (const program of programs) {
    if (isLauncherScript(program)) {
      checks.push(launcherCheck(program, resolved));
      continue;
    }
    const place = transientPlaceOf(program, resolved.realPath);
    if (!isFile(program)) {
      checks.push(
        check("hooks-runtime", "fail", `The Deno that hooks run is gone: ${program}`, {
          details: [
            ...(place === undefined ? [] : [place]),
            "every hook fails before it starts, and Claude Code does not show why",
          ],
          fix: `${REINSTALL} registers a launcher that finds or installs Deno`,
        }),
      );
    } else if (place !== undefined) {
      checks.push(
        check("hooks-runtime", "warn", `Hooks run a Deno that can vanish: ${place}`, {
          details: [
            'a cache is emptied without asking ("npm cache clean --force" deletes what ' +
            '"npx deno" runs), and every hook would then fail without a word',
          ],
          fix: `${REINSTALL} registers a launcher that finds or installs Deno`,
        }),
      );
    }
  }
  return checks;
}

/**
 * The absolute program a claude-ntfy command starts Deno with (a Deno or the launcher),
 * or `undefined` for a compiled executable or a program looked up on `PATH`.
 */
export function denoProgram(command: string): string | undefined {
  const kind = hookCommandKind(command);
  if (kind !== "bundle" && kind !== "source") return undefined;
  const program = splitShellWords(command).words[0];
  return program?.startsWith("/") ? program : undefined;
}
