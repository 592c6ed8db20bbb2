/**
 * The hook payload fixtures in `tests/fixtures/hooks/`: real payloads captured from the
 * Claude Code CLI and a few hand-written ones (its README says which is which).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import type { HookEvent } from "../../core/events/hook_event.ts";
import { parseHookInput } from "../../core/events/parse_hook_input.ts";

/** The fixtures folder. */
export const FIXTURES_DIR: string = fileURLToPath(new URL("../fixtures/hooks", import.meta.url));

/** Reads one fixture as the bytes a hook would get on stdin. */
export function fixtureBytes(name: string): Uint8Array {
  return Deno.readFileSync(`${FIXTURES_DIR}/${name}`);
}

/** Parses one fixture into an event. */
export function fixtureEvent(name: string): HookEvent {
  return parseHookInput(fixtureBytes(name));
}

/** Every fixture's file name, sorted. */
export function fixtureNames(): string[] {
  return [...Deno.readDirSync(FIXTURES_DIR)].filter((entry) => entry.name.endsWith(".json"))
    .map((entry) => entry.name).sort();
}
