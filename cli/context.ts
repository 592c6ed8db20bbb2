/**
 * What most commands need first: the project, the merged configuration, and the daemon's
 * paths derived from them.
 *
 * @module
 */

import { loadConfig } from "../core/config/load_config.ts";
import type { Config } from "../core/config/config.ts";
import { type DaemonPaths, STATE_DIR_NAME } from "../client/paths.ts";
import { daemonPathsFor, homeDirectory } from "./daemon_paths.ts";
import type { CliIo } from "./io.ts";
import { projectDirOf } from "./project_dir.ts";

/** The resolved configuration and paths for one command run. */
export interface CliContext {
  /** The project directory. */
  readonly projectDir: string;
  /** The user's home directory. */
  readonly homeDir: string;
  /** The merged configuration. */
  readonly config: Config;
  /** Config files read, lowest precedence first. */
  readonly configFiles: readonly string[];
  /** Config files that may exist (global and project), read or not. */
  readonly candidateConfigFiles: readonly string[];
  /** Warnings from loading the configuration. */
  readonly warnings: readonly string[];
  /** The daemon's paths. */
  readonly paths: DaemonPaths;
}

/** Options that select the project and state folder. */
export interface ContextOptions {
  /** `--project DIR`. */
  readonly projectDir?: string;
  /** `--state-dir DIR`. */
  readonly stateDir?: string;
}

/**
 * Loads the configuration and derives the daemon's paths. The project is `--project`,
 * else `CLAUDE_PROJECT_DIR`, else the working directory.
 *
 * @throws {ConfigError} when a config file is invalid.
 */
export function resolveContext(io: CliIo, options: ContextOptions = {}): CliContext {
  const homeDir = homeDirectory(io);
  const projectDir = projectDirOf(io, options.projectDir);
  const loaded = loadConfig({ projectDir, homeDir, env: io.env });
  const projectStateDir = `${projectDir}/${STATE_DIR_NAME}`;
  const paths = daemonPathsFor(io, {
    projectDir,
    stateDir: options.stateDir,
    configSocketPath: loaded.config.daemon.socket_path,
    configLogPath: loaded.config.daemon.log_path,
  });
  return {
    projectDir,
    homeDir,
    config: loaded.config,
    configFiles: loaded.files,
    candidateConfigFiles: [
      `${homeDir}/${STATE_DIR_NAME}/config.toml`,
      `${projectStateDir}/config.toml`,
    ],
    warnings: loaded.warnings,
    paths,
  };
}
