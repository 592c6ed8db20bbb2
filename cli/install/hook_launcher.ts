/**
 * Finding the fastest way to start `claude-ntfy hook` on this machine.
 *
 * @module
 */

import type { HookLauncher } from "./hook_command_line.ts";

/** The CLI bundle's path relative to the repository. */
export const BUNDLE_PATH = "dist/claude-ntfy.js";

/**
 * The hook's own bundle (see `cli/hook_main.ts`), relative to the repository: what Claude
 * Code runs on every event, so it loads only the hook's fast path.
 */
export const HOOK_BUNDLE_PATH = "dist/hook/claude-ntfy-hook.js";

/**
 * The full hook command's bundle, beside the hook's: what the hook loads for flags and
 * every slow path (no daemon, a refusal, a permission request).
 */
export const HOOK_FULL_BUNDLE_PATH = "dist/hook/claude-ntfy-hook-full.js";

/** What {@linkcode findHookLauncher} looks at; every field has a real-process default. */
export interface LauncherProbe {
  /** The repository (or unpacked package) root; unknown in a compiled executable. @default {installRoot()} */
  root?: string;
  /** This process's executable. @default {Deno.execPath()} */
  execPath?: string;
  /** The `PATH` value searched for a compiled `claude-ntfy`. @default {Deno.env.get("PATH")} */
  pathEnv?: string;
  /** Whether a path is an existing regular file. @default {a Deno.statSync check} */
  isFile?: (path: string) => boolean;
  /** Resolves symlinks. @default {Deno.realPathSync, or the path itself on error} */
  realPath?: (path: string) => string;
}

/** The launcher chosen, and a warning when it is the slow one. */
export interface FoundLauncher {
  /** How the hook will be started. */
  readonly launcher: HookLauncher;
  /** Set when the hook will be slower than it could be, saying how to fix it. */
  readonly warning?: string;
}

function fromFileUrl(url: string): string | undefined {
  return url.startsWith("file:") ? decodeURIComponent(new URL(url).pathname) : undefined;
}

/**
 * The folder holding `cli/` and `dist/`, worked out from where this code runs: the
 * source tree (`cli/install/…`) or the bundle (`dist/claude-ntfy.js`). `undefined`
 * elsewhere, e.g. in a compiled executable.
 */
export function installRoot(moduleUrl: string = import.meta.url): string | undefined {
  const path = fromFileUrl(moduleUrl);
  if (path === undefined) return undefined;
  const match = /^(.*)\/(?:cli\/install\/[^/]+\.ts|dist\/(?:hook\/)?[^/]+\.js)$/.exec(path);
  return match === null ? undefined : match[1] || "/";
}

function isRegularFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function realPathOrSelf(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return path;
  }
}

function pathDirs(pathEnv: string | undefined): string[] {
  return (pathEnv ?? "").split(":").filter((dir) => dir.startsWith("/")).map((dir) =>
    dir.replace(/\/+$/, "")
  );
}

/**
 * The name by which `PATH` reaches `executable`, when one does: `Deno.execPath()` gives
 * the resolved file (e.g. Homebrew's versioned `Cellar/deno/2.1.0/bin/deno`), which an
 * upgrade removes, while the link on `PATH` (`/opt/homebrew/bin/deno`) stays.
 */
function stablePath(
  executable: string,
  pathEnv: string | undefined,
  isFile: (path: string) => boolean,
  realPath: (path: string) => string,
): string {
  const target = realPath(executable);
  const name = basename(executable);
  for (const dir of pathDirs(pathEnv)) {
    const candidate = `${dir}/${name}`;
    if (candidate === executable) return executable;
    if (isFile(candidate) && realPath(candidate) === target) return candidate;
  }
  return executable;
}

/** Whether this process is a `deno compile`d executable rather than Deno itself. */
export function isCompiledExecutable(execPath: string = Deno.execPath()): boolean {
  return !/^deno(\.exe)?$/.test(basename(execPath));
}

/**
 * Chooses how Claude Code should start the hook, fastest first:
 * 1. this process, when it is a compiled `claude-ntfy` executable;
 * 2. `dist/hook/claude-ntfy-hook.js` (from `deno task build`) run by this Deno;
 * 3. a compiled `claude-ntfy` next to the bundle or on `PATH`;
 * 4. `cli/main.ts` from source, with a warning that it is slower.
 *
 * Deno (or this executable) is named by the `PATH` entry that leads to it, when one
 * does, rather than by the resolved file, so that upgrades do not break the hook.
 *
 * @throws {Error} when none of them exists.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findHookLauncher } from "./hook_launcher.ts";
 *
 * const files = new Set(["/opt/cn/dist/hook/claude-ntfy-hook.js", "/opt/cn/cli/main.ts"]);
 * const found = findHookLauncher({
 *   root: "/opt/cn",
 *   execPath: "/usr/bin/deno",
 *   pathEnv: "/usr/bin",
 *   isFile: (path) => files.has(path),
 *   realPath: (path) => path,
 * });
 * assert.deepEqual(found.launcher, {
 *   kind: "bundle",
 *   deno: "/usr/bin/deno",
 *   bundle: "/opt/cn/dist/hook/claude-ntfy-hook.js",
 * });
 * ```
 */
export function findHookLauncher(probe: LauncherProbe = {}): FoundLauncher {
  const root = "root" in probe ? probe.root : installRoot();
  const isFile = probe.isFile ?? isRegularFile;
  const pathEnv = "pathEnv" in probe ? probe.pathEnv : Deno.env.get("PATH");
  const execPath = stablePath(
    probe.execPath ?? Deno.execPath(),
    pathEnv,
    isFile,
    probe.realPath ?? realPathOrSelf,
  );
  if (isCompiledExecutable(execPath)) {
    return { launcher: { kind: "compiled", executable: execPath } };
  }
  if (root !== undefined) {
    const bundle = `${root}/${HOOK_BUNDLE_PATH}`;
    if (isFile(bundle)) return { launcher: { kind: "bundle", deno: execPath, bundle } };
  }
  const candidates = [
    ...(root === undefined ? [] : [`${root}/dist/claude-ntfy`]),
    ...pathDirs(pathEnv).map((dir) => `${dir}/claude-ntfy`),
  ];
  const compiled = candidates.find(isFile);
  if (compiled !== undefined) return { launcher: { kind: "compiled", executable: compiled } };
  if (root !== undefined && isFile(`${root}/cli/main.ts`)) {
    return {
      launcher: { kind: "source", deno: execPath, entry: `${root}/cli/main.ts` },
      warning: `${root}/${HOOK_BUNDLE_PATH} does not exist, so the hook runs from source, which ` +
        `starts slower: run "deno task build" in ${root}, then run this command again`,
    };
  }
  throw new Error(
    "Cannot find a way to run claude-ntfy: no bundle, no claude-ntfy executable on PATH " +
      "and no source tree",
  );
}
