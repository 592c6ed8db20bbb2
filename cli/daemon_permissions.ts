/**
 * The Deno permission flags the daemon runs with: exactly its state folder, its socket, the
 * config files it re-reads, the ntfy hosts it delivers to, and the variables it reads.
 *
 * @module
 */

import { type DaemonPaths, dirname } from "../client/paths.ts";
import { hostPort } from "../core/ntfy/host_port.ts";

/** Environment variables the daemon may read. */
export const DAEMON_ENV_VARS: readonly string[] = [
  "HOME",
  "XDG_RUNTIME_DIR",
  "TMPDIR",
  "CLAUDE_PROJECT_DIR",
  "CLAUDE_NTFY_*",
  "NTFY_TOKEN",
  "NTFY_USER",
];

/** What the daemon must be able to reach. */
export interface PermissionScope {
  /** The daemon's paths. */
  readonly paths: DaemonPaths;
  /** Config files the daemon re-reads on reload (they need not exist); their folders are readable. */
  readonly configFiles: readonly string[];
  /** Every ntfy server URL the config names. */
  readonly ntfyServers: readonly string[];
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)].filter((value) => value !== "");
}

/**
 * Builds the `--allow-*` flags for the daemon process. No flag grants everything.
 *
 * @example
 * ```ts
 * import { daemonPermissionFlags } from "./daemon_permissions.ts";
 * import { resolveDaemonPaths } from "../client/paths.ts";
 *
 * const flags = daemonPermissionFlags({
 *   paths: resolveDaemonPaths({ homeDir: "/home/ada" }),
 *   configFiles: ["/home/ada/.claude/ntfy-service/config.toml"],
 *   ntfyServers: ["https://ntfy.sh"],
 * });
 * console.log(flags.find((flag) => flag.startsWith("--allow-net=")));
 * // "--allow-net=unix:/home/ada/.claude/ntfy-service/daemon.sock,ntfy.sh:443"
 * ```
 */
export function daemonPermissionFlags(scope: PermissionScope): string[] {
  const { paths } = scope;
  const writable = unique([
    paths.stateDir,
    dirname(paths.socketPath),
    dirname(paths.logPath),
  ]);
  // The folders of the config files: the daemon re-reads them on reload and checks whether
  // the project's state folder exists.
  const readable = unique([...writable, ...scope.configFiles.map(dirname)]);
  const hosts = unique(scope.ntfyServers.map(hostPort));
  return [
    `--allow-read=${readable.join(",")}`,
    `--allow-write=${writable.join(",")}`,
    `--allow-net=${["unix:" + paths.socketPath, ...hosts].join(",")}`,
    `--allow-env=${DAEMON_ENV_VARS.join(",")}`,
    "--allow-sys=uid",
  ];
}
