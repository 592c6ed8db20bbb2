/**
 * The sample hook payloads in the shared fixtures folder, which sits beside the repo
 * (`../shared/fixtures/hooks`). Found by walking up from this file, so the tests work
 * from a worktree or a copy too; `CLAUDE_NTFY_HOOK_FIXTURES` overrides.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import type { HookEvent } from "../../../core/events/hook_event.ts";
import { parseHookInput } from "../../../core/events/parse_hook_input.ts";

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/** The fixtures folder. */
export function fixturesDir(): string {
  const override = Deno.env.get("CLAUDE_NTFY_HOOK_FIXTURES");
  if (override) return override;
  let dir = new URL(".", import.meta.url);
  for (let depth = 0; depth < 8; depth++) {
    for (const candidate of ["shared/fixtures/hooks/", "../shared/fixtures/hooks/"]) {
      const path = fileURLToPath(new URL(candidate, dir));
      if (exists(path)) return path.replace(/\/$/, "");
    }
    dir = new URL("../", dir);
  }
  throw new Error("Cannot find shared/fixtures/hooks: set CLAUDE_NTFY_HOOK_FIXTURES");
}

/** Reads one fixture as the bytes a hook would get on stdin. */
export function fixtureBytes(name: string): Uint8Array {
  return Deno.readFileSync(`${fixturesDir()}/${name}`);
}

/** Parses one fixture into an event. */
export function fixtureEvent(name: string): HookEvent {
  return parseHookInput(fixtureBytes(name));
}

/** Every fixture's file name, sorted. */
export function fixtureNames(): string[] {
  return [...Deno.readDirSync(fixturesDir())].filter((entry) => entry.name.endsWith(".json"))
    .map((entry) => entry.name).sort();
}
