/**
 * Telling a guessable ntfy topic from a private one. On a public server a topic's name is
 * its only password: anyone who guesses it reads the notifications.
 *
 * @module
 */

/** Shortest topic that is not called guessable by length alone. */
export const MIN_TOPIC_LENGTH = 12;

// Words people build topic names from; a name made only of these (and a short number)
// is among the first anyone would try.
const COMMON_WORDS = new Set([
  "ai",
  "alert",
  "alerts",
  "agent",
  "anthropic",
  "bot",
  "build",
  "builds",
  "channel",
  "claude",
  "claudecode",
  "code",
  "coding",
  "default",
  "dev",
  "done",
  "hook",
  "hooks",
  "home",
  "info",
  "me",
  "message",
  "messages",
  "mine",
  "my",
  "mytopic",
  "news",
  "notification",
  "notifications",
  "notifier",
  "notify",
  "ntfy",
  "personal",
  "phone",
  "private",
  "prod",
  "push",
  "secret",
  "server",
  "status",
  "stuff",
  "test",
  "testing",
  "topic",
  "updates",
  "work",
]);

/**
 * Why a topic name looks guessable, or `undefined` when it does not: shorter than
 * {@linkcode MIN_TOPIC_LENGTH}, or made only of common words (and numbers up to four
 * digits) joined by `-`, `_` or nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { topicWeakness } from "./topic_strength.ts";
 *
 * assert.deepEqual(topicWeakness("claude-notifications"), 'made only of common words ("claude", "notifications")');
 * assert.deepEqual(topicWeakness("claude-k3v9q2m7x4p8w6z5"), undefined);
 * ```
 */
export function topicWeakness(topic: string): string | undefined {
  if (topic.length < MIN_TOPIC_LENGTH) {
    return `shorter than ${MIN_TOPIC_LENGTH} characters`;
  }
  const parts = topic.toLowerCase().split(/[-_]+/).filter((part) => part !== "");
  const words = parts.flatMap(splitWords);
  if (words !== undefined && words.length > 0 && words.every((word) => word !== undefined)) {
    const named = words.filter((word) => !/^\d+$/.test(word));
    return `made only of common words (${named.map((word) => `"${word}"`).join(", ")})`;
  }
  return undefined;
}

/** Splits a run of letters and digits into common words and short numbers, or fails. */
function splitWords(part: string): (string | undefined)[] {
  const best: (string[] | undefined)[] = [[]];
  for (let end = 1; end <= part.length; end++) {
    for (let start = 0; start < end && best[end] === undefined; start++) {
      const piece = part.slice(start, end);
      const number = /^\d{1,4}$/.test(piece) && !/\d/.test(part[start - 1] ?? "") &&
        !/\d/.test(part[end] ?? "");
      if (best[start] !== undefined && (COMMON_WORDS.has(piece) || number)) {
        best[end] = [...best[start]!, piece];
      }
    }
  }
  return best[part.length] ?? [undefined];
}
