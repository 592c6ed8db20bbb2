/**
 * The ntfy sequence id of a session's notifications.
 *
 * @module
 */

/** cyrb53: a fast 53-bit string hash (public domain), enough to tell sessions apart. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The sequence id every notification of one Claude Code session carries (`cn-` and a
 * short hash of the session id): on a phone, the session's latest notification replaces
 * its previous one, and the daemon can clear it when the user is back at the terminal.
 * The session id itself does not leave the machine.
 *
 * @example
 * ```ts
 * import { sessionSequenceId } from "./session_sequence_id.ts";
 *
 * console.log(sessionSequenceId("2b6f0c1e-8a7d-4c3e-9f10-aa55bb66cc77")); // cn-…, 14 characters
 * ```
 */
export function sessionSequenceId(sessionId: string): string {
  return `cn-${hash53(sessionId).toString(36).padStart(11, "0")}`;
}
