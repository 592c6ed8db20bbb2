/**
 * The reply topic made on first use, when approvals are on and the config names none: kept
 * in the daemon's state folder (mode 0600, like the config) so that it stays the same
 * across restarts.
 *
 * @module
 */

import { generateReplyTopic } from "../../core/config/generate_topic.ts";
import { TOPIC_PATTERN } from "../../protocol/task.ts";

/** The file's name in the state folder. */
export const REPLY_TOPIC_FILE = "approval-reply-topic";

/**
 * Reads the reply topic kept in `stateDir`, making and keeping one when there is none.
 *
 * @param stateDir The daemon's state folder.
 * @param generate Makes a new topic. @default {generateReplyTopic}
 * @returns The topic.
 * @throws {Deno.errors.PermissionDenied} and other I/O errors; {@linkcode TypeError} when
 * the file holds something that is not a topic.
 *
 * @example
 * ```ts
 * import { storedReplyTopic } from "./reply_topic_file.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const first = storedReplyTopic(dir);
 * console.log(storedReplyTopic(dir) === first); // true
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function storedReplyTopic(
  stateDir: string,
  generate: () => string = generateReplyTopic,
): string {
  const path = `${stateDir}/${REPLY_TOPIC_FILE}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const topic = Deno.readTextFileSync(path).trim();
      if (!TOPIC_PATTERN.test(topic)) {
        throw new TypeError(`Invalid reply topic in ${path}: delete the file to make a new one`);
      }
      return topic;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    try {
      Deno.writeTextFileSync(path, `${generate()}\n`, { createNew: true, mode: 0o600 });
    } catch (error) {
      // Made meanwhile by another call: read that one.
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
  }
  throw new Error(`Cannot keep a reply topic in ${path}`);
}
