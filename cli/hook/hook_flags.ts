/**
 * The flags of `claude-ntfy hook`, shared by the command and its slow paths.
 *
 * @module
 */

import type { FlagValues } from "../parse_flags.ts";

/** How each of the hook's flags is read. */
export const HOOK_FLAGS = {
  "hook-name": { type: "string" },
  project: { type: "string" },
  "state-dir": { type: "string" },
  "dry-run": { type: "boolean" },
  "no-daemon": { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
} as const;

/** The hook's flags, as parsed. */
export type HookFlags = FlagValues<typeof HOOK_FLAGS>;
