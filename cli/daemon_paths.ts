/**
 * Which daemon a command talks to: the state folder and socket from the flags, the
 * environment and (when known) the configuration. Kept apart from the config loader so
 * the hook can find the daemon without parsing any config file.
 *
 * @module
 */

import { type DaemonPaths, resolveDaemonPaths, STATE_DIR_NAME } from "../client/paths.ts";
import type { CliIo } from "./io.ts";

/** What selects the daemon besides the environment. */
export interface DaemonPathOptions {
  /** The project directory. */
  readonly projectDir?: string;
  /**
   * Whether the project has a `.claude/ntfy-service/` folder, when the caller knows it
   * already (the hook does); else it is looked up.
   */
  readonly projectHasStateDir?: boolean;
  /** `--state-dir DIR`. */
  readonly stateDir?: string;
  /** `daemon.socket_path` from the config, when it was loaded. */
  readonly configSocketPath?: string;
  /** `daemon.log_path` from the config, when it was loaded. */
  readonly configLogPath?: string;
}

/**
 * Whether `path` is a folder (a link to one counts); `false` when nothing is there.
 *
 * @param path The path.
 * @returns Whether it is a folder.
 * @throws {Deno.errors.PermissionDenied} when it cannot be looked at.
 *
 * @example
 * ```ts
 * import { isDirectory } from "./daemon_paths.ts";
 *
 * console.log(isDirectory("/"), isDirectory("/nonexistent")); // true false
 * ```
 */
export function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw error;
  }
}

function uid(): number | null {
  try {
    return Deno.uid();
  } catch {
    // uid needs --allow-sys=uid; without it the temp folder is named "user".
    return null;
  }
}

/**
 * The home directory from `HOME`, failing clearly when it is unset.
 *
 * @param io The command's environment.
 * @returns The home directory.
 * @throws {Error} when `HOME` is not set.
 *
 * @example
 * ```ts
 * import { homeDirectory } from "./daemon_paths.ts";
 *
 * console.log(homeDirectory({ env: (name) => (name === "HOME" ? "/home/ada" : undefined) })); // "/home/ada"
 * ```
 */
export function homeDirectory(io: Pick<CliIo, "env">): string {
  const home = io.env("HOME");
  if (!home) throw new Error("Cannot find your home directory: HOME is not set");
  return home;
}

/**
 * The daemon's paths: `--state-dir`, else `CLAUDE_NTFY_STATE_DIR`, else the project's
 * `.claude/ntfy-service/` if it exists, else the home one; the socket from
 * `CLAUDE_NTFY_SOCKET`, else the config, else the state folder.
 *
 * @param io The command's environment.
 * @param options The project, flags and config values that select the daemon.
 * @returns The paths the daemon and its clients agree on.
 * @throws {Error} when `HOME` is not set.
 *
 * @example
 * ```ts
 * import { daemonPathsFor } from "./daemon_paths.ts";
 *
 * const env: Record<string, string> = { HOME: "/home/ada" };
 * const paths = daemonPathsFor({ env: (name) => env[name] }, { projectDir: "/nonexistent/app" });
 * console.log(paths.socketPath); // "/home/ada/.claude/ntfy-service/daemon.sock"
 * ```
 */
export function daemonPathsFor(
  io: Pick<CliIo, "env">,
  options: DaemonPathOptions = {},
): DaemonPaths {
  const projectDir = options.projectDir;
  return resolveDaemonPaths({
    // Only the default state folder and `~` paths need it: with the state folder given,
    // a hook runs without HOME.
    homeDir: io.env("HOME") || undefined,
    projectDir,
    projectHasStateDir: projectDir !== undefined &&
      (options.projectHasStateDir ?? isDirectory(`${projectDir}/${STATE_DIR_NAME}`)),
    stateDir: options.stateDir ?? io.env("CLAUDE_NTFY_STATE_DIR"),
    envSocketPath: io.env("CLAUDE_NTFY_SOCKET"),
    configSocketPath: options.configSocketPath,
    configLogPath: options.configLogPath,
    runtimeDir: io.env("XDG_RUNTIME_DIR"),
    tempDir: io.env("TMPDIR"),
    uid: uid(),
  });
}
