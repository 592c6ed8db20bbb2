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

/**
 * A fixture's bytes with another `session_id`: every captured fixture belongs to one
 * session, and a test that sends several as unrelated events gives each its own.
 */
export function fixtureInSession(name: string, sessionId: string): Uint8Array {
  const payload = JSON.parse(new TextDecoder().decode(fixtureBytes(name)));
  return new TextEncoder().encode(JSON.stringify({ ...payload, session_id: sessionId }));
}

/**
 * Config for tests about delivery rather than holding: notifications go at once
 * (`hooks.delay_secs = 0`) instead of waiting 30 s for the user to come back.
 */
export const SEND_AT_ONCE_TOML = "[hooks]\ndelay_secs = 0\n";
