/**
 * What a project folder holds for claude-ntfy: its own state folder
 * (`.claude/ntfy-service/`) and config file, found by listing folders rather than by
 * opening paths that may not exist. The hook runs on every event, and in a Deno process
 * the first failed file operation costs about 0.3 ms (its error classes are set up then),
 * more than the listings.
 *
 * @module
 */

import { CONFIG_FILE } from "../../core/config/config_paths.ts";

/** What {@linkcode findProjectFiles} found. */
export interface ProjectFiles {
  /** The project has a `.claude/ntfy-service/` folder (a daemon of its own). */
  readonly hasStateDir: boolean;
  /** The bytes of `.claude/ntfy-service/config.toml`, when it exists. */
  readonly config?: Uint8Array;
}

const NOTHING: ProjectFiles = { hasStateDir: false };

/** Whether `dir` lists `name` as a folder (a link is followed); `undefined` when `dir` is gone. */
function lists(dir: string, name: string, kind: "dir" | "file"): boolean | undefined {
  let entries: Iterable<Deno.DirEntry>;
  try {
    entries = Deno.readDirSync(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw error;
  }
  for (const entry of entries) {
    if (entry.name !== name) continue;
    if (entry.isSymlink) {
      try {
        const target = Deno.statSync(`${dir}/${name}`);
        return kind === "dir" ? target.isDirectory : target.isFile;
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return false;
        throw error;
      }
    }
    return kind === "dir" ? entry.isDirectory : entry.isFile;
  }
  return false;
}

/**
 * Finds the project's claude-ntfy folder and reads its config file.
 *
 * @param projectDir The project directory.
 * @returns Whether the project has a state folder, and its config file's bytes.
 * @throws {Deno.errors.PermissionDenied} when a folder on the way or the config file
 * exists but cannot be read.
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
  const root = projectDir.replace(/\/+$/, "") || "/";
  const [claude, service, file] = CONFIG_FILE.split("/") as [string, string, string];
  const base = root === "/" ? "" : root;
  if (lists(root, claude, "dir") !== true) return NOTHING;
  if (lists(`${base}/${claude}`, service, "dir") !== true) return NOTHING;
  const stateDir = `${base}/${claude}/${service}`;
  if (lists(stateDir, file, "file") !== true) return { hasStateDir: true };
  try {
    return { hasStateDir: true, config: Deno.readFileSync(`${stateDir}/${file}`) };
  } catch (error) {
    // Removed since it was listed: as if it had never been there.
    if (error instanceof Deno.errors.NotFound) return { hasStateDir: true };
    throw error;
  }
}
