/**
 * Which project a command works on, read the same way by every command.
 *
 * @module
 */

import type { CliIo } from "./io.ts";
import { resolveProjectDir } from "../core/events/resolve_project_dir.ts";

/**
 * The project a command works on: `--project`, else `$CLAUDE_PROJECT_DIR`, else the
 * working directory; empty values are skipped, a relative path is taken from the working
 * directory.
 *
 * @param io The environment and working directory.
 * @param flag The `--project` flag, if given.
 * @returns The project folder, absolute when the working directory is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectDirOf } from "./project_dir.ts";
 * import { processIo } from "./io.ts";
 *
 * assert.equal(projectDirOf({ ...processIo(), env: () => undefined, cwd: "/src" }, "app/"), "/src/app");
 * ```
 */
export function projectDirOf(io: CliIo, flag: string | undefined): string {
  return resolveProjectDir({ flag, envDir: io.env("CLAUDE_PROJECT_DIR"), cwd: io.cwd }) ?? io.cwd;
}
