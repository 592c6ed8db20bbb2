/**
 * Topics given as full URLs, as the ntfy CLI accepts them.
 *
 * @module
 */

/** A server and a topic on it. */
export interface TopicLocation {
  /** Base URL of the server, without a trailing slash. */
  readonly serverUrl: string;
  /** The topic name. */
  readonly topic: string;
}

/**
 * Splits a topic URL such as `https://ntfy.example.com/mytopic` into its server and
 * topic, like the ntfy CLI does. A path before the topic is kept as part of the server
 * (ntfy behind a path prefix); `ntfy.example.com/mytopic` without a scheme means https.
 * Returns `undefined` for a plain topic name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitTopicUrl } from "./topic_url.ts";
 *
 * assert.deepEqual(splitTopicUrl("https://ntfy.example.com/mytopic"), {
 *   serverUrl: "https://ntfy.example.com",
 *   topic: "mytopic",
 * });
 * assert.deepEqual(splitTopicUrl("mytopic"), undefined);
 * ```
 */
export function splitTopicUrl(value: string): TopicLocation | undefined {
  if (!value.includes("/")) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  const match = /^(https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?)\/([^/\s?#]+)\/?(?:[?#].*)?$/i.exec(
    withScheme,
  );
  if (!match) return undefined;
  return { serverUrl: match[1], topic: match[2] };
}
