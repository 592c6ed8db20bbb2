/**
 * Private topic names for `init`.
 *
 * @module
 */

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

/**
 * Generates an unguessable topic: `claude-` and 24 base32 characters (120 random bits).
 * ntfy topics are public to anyone who knows the name, so the name is the secret.
 *
 * @param random Fills an array with random bytes. @default {crypto.getRandomValues}
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateTopic } from "./generate_topic.ts";
 *
 * assert.match(generateTopic(), /^claude-[a-z2-7]{24}$/);
 * ```
 */
export function generateTopic(
  random: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes),
): string {
  const bytes = random(new Uint8Array(24));
  return `claude-${Array.from(bytes, (byte) => ALPHABET[byte & 31]).join("")}`;
}

/**
 * Generates a reply topic for approvals: `claude-reply-` and 26 base32 characters (130
 * random bits). Anyone who could post to it with the right nonce could answer a
 * permission request, so it is longer than a notification topic and never reused for one.
 *
 * @param random Fills an array with random bytes. @default {crypto.getRandomValues}
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateReplyTopic } from "./generate_topic.ts";
 *
 * assert.match(generateReplyTopic(), /^claude-reply-[a-z2-7]{26}$/);
 * ```
 */
export function generateReplyTopic(
  random: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes),
): string {
  const bytes = random(new Uint8Array(26));
  return `claude-reply-${Array.from(bytes, (byte) => ALPHABET[byte & 31]).join("")}`;
}
