/**
 * Which project a hook event belongs to.
 *
 * @module
 */

import { isAbsolutePath, trimTrailingSlashes } from "../../client/path_text.ts";

/** The candidates, highest precedence first. */
export interface ProjectDirSources {
  /** `--project DIR`. */
  flag?: string;
  /** `CLAUDE_PROJECT_DIR`, set by Claude Code for hooks. */
  envDir?: string;
  /** The payload's `cwd`. */
  payloadCwd?: unknown;
  /** The process's working directory: the last resort, and the base of relative paths. */
  cwd?: string;
}

/** `candidate` without a leading `./` (or `.`). */
function withoutLeadingDot(candidate: string): string {
  if (candidate.startsWith("./")) return candidate.slice(2);
  return candidate.startsWith(".") ? candidate.slice(1) : candidate;
}

/**
 * The project directory: `--project`, else `CLAUDE_PROJECT_DIR`, else the payload's
 * `cwd`, else the working directory; empty values are skipped. A relative path is taken
 * from `cwd`; a trailing slash is removed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveProjectDir } from "./resolve_project_dir.ts";
 *
 * assert.deepEqual(resolveProjectDir({ envDir: "/src/webapp/", payloadCwd: "/src/webapp/lib" }), "/src/webapp");
 * ```
 */
export function resolveProjectDir(sources: ProjectDirSources): string | undefined {
  for (const candidate of [sources.flag, sources.envDir, sources.payloadCwd, sources.cwd]) {
    if (typeof candidate === "string" && candidate.trim() !== "") {
      // String operations, not regular expressions: the hook runs this on every event.
      const absolute = isAbsolutePath(candidate) || sources.cwd === undefined
        ? candidate
        : `${trimTrailingSlashes(sources.cwd)}/${withoutLeadingDot(candidate)}`;
      return absolute.length > 1 ? trimTrailingSlashes(absolute) || "/" : absolute;
    }
  }
  return undefined;
}
