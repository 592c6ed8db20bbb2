/**
 * What a project folder holds for claude-ntfy: its own state folder
 * (`.claude/ntfy-service/`) and config file. The hook runs on every event, and in a Deno
 * process the first failed file operation costs about 0.3 ms (its error classes are set up
 * then), so where it can the hook lists the project's `.claude` folder, which is small,
 * instead of opening paths that usually do not exist. A `.claude` it may not list is
 * looked into path by path.
 *
 * @module
 */

import { STATE_DIR_NAME } from "../../client/paths.ts";
import { trimTrailingSlashes } from "../../client/path_text.ts";
import { isDirectory } from "../daemon_paths.ts";
import { CONFIG_FILE } from "../../core/config/config_paths.ts";

/** What {@linkcode findProjectFiles} found. */
export interface ProjectFiles {
  /** The project has a `.claude/ntfy-service/` folder (a daemon of its own). */
  readonly hasStateDir: boolean;
  /** The bytes of `.claude/ntfy-service/config.toml`, when it exists. */
  readonly config?: Uint8Array;
}

const NOTHING: ProjectFiles = { hasStateDir: false };
/** `ntfy-service`: the state folder's name inside `.claude`. */
const SERVICE_DIR = STATE_DIR_NAME.slice(STATE_DIR_NAME.lastIndexOf("/") + 1);
/** `config.toml`. */
const CONFIG_NAME = CONFIG_FILE.slice(CONFIG_FILE.lastIndexOf("/") + 1);

/** Whether `error` says the path is not there (or a file stands where a folder would be). */
function isAbsent(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory;
}

/**
 * Whether the project's `.claude` folder holds the state folder: `true` or `false` from its
 * listing, `undefined` when it cannot be listed (not there: `false` is returned for that).
 */
function listsStateDir(claudeDir: string): boolean | undefined {
  let entries: Iterable<Deno.DirEntry>;
  try {
    entries = Deno.readDirSync(claudeDir);
  } catch (error) {
    if (isAbsent(error)) return false;
    if (error instanceof Deno.errors.PermissionDenied) return undefined;
    throw error;
  }
  for (const entry of entries) {
    if (entry.name === SERVICE_DIR) {
      return entry.isDirectory || (entry.isSymlink && isDirectory(`${claudeDir}/${SERVICE_DIR}`));
    }
  }
  return false;
}

/**
 * Finds the project's claude-ntfy folder and reads its config file.
 *
 * @param projectDir The project directory.
 * @returns Whether the project has a state folder, and its config file's bytes.
 * @throws {Deno.errors.PermissionDenied} when the config file exists but cannot be read.
 *
 * @example A folder without claude-ntfy's files
 * ```ts
 * import assert from "node:assert/strict";
 * import { findProjectFiles } from "./project_files.ts";
 *
 * const project = Deno.makeTempDirSync();
 * assert.deepEqual(findProjectFiles(project), { hasStateDir: false });
 * Deno.mkdirSync(`${project}/.claude/ntfy-service`, { recursive: true });
 * Deno.writeTextFileSync(`${project}/.claude/ntfy-service/config.toml`, "[ntfy]\n");
 * const found = findProjectFiles(project);
 * assert.equal(found.hasStateDir, true);
 * assert.equal(new TextDecoder().decode(found.config), "[ntfy]\n");
 * Deno.removeSync(project, { recursive: true });
 * ```
 */
export function findProjectFiles(projectDir: string): ProjectFiles {
  const root = trimTrailingSlashes(projectDir);
  const claudeDir = `${root}/${STATE_DIR_NAME.slice(0, STATE_DIR_NAME.lastIndexOf("/"))}`;
  const stateDir = `${root}/${STATE_DIR_NAME}`;
  const listed = listsStateDir(claudeDir);
  if (listed === false) return NOTHING;
  if (listed === undefined && !isDirectory(stateDir)) return NOTHING;
  try {
    return { hasStateDir: true, config: Deno.readFileSync(`${stateDir}/${CONFIG_NAME}`) };
  } catch (error) {
    // A state folder without a config file of its own.
    if (isAbsent(error)) return { hasStateDir: true };
    throw error;
  }
}
