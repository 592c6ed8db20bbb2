/**
 * Turning approvals on in a config file: `approval.enabled = true`, and a new random
 * `approval.reply_topic` unless the configuration already has one.
 *
 * @module
 */

import type { Config } from "../../core/config/config.ts";
import { generateReplyTopic } from "../../core/config/generate_topic.ts";
import { writeConfigValue } from "../../core/config/write_config_value.ts";

/** What {@linkcode enableApproval} did. */
export interface EnabledApproval {
  /** The reply topic written, when one was made. */
  readonly newReplyTopic?: string;
  /** Whether a file had to be rewritten in full (its comments are gone). */
  readonly rewritten: boolean;
}

/**
 * Sets `approval.enabled = true` in the config file at `path` (made 0600 if it is new),
 * with a new reply topic when `current` (the effective configuration) has none.
 *
 * @param path The config file to change.
 * @param current The configuration in effect now.
 * @returns The new reply topic, if one was made.
 * @throws {ConfigError} when the file does not parse.
 *
 * @example
 * ```ts
 * import { defaultConfig } from "../../core/config/config.ts";
 * import { enableApproval } from "./enable_approval.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const { newReplyTopic } = enableApproval(`${dir}/config.toml`, defaultConfig());
 * console.log(newReplyTopic?.startsWith("claude-reply-")); // true
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function enableApproval(path: string, current: Config): EnabledApproval {
  let rewritten = writeConfigValue(path, "approval.enabled", true).rewritten;
  if (current.approval.reply_topic !== undefined) return { rewritten };
  const newReplyTopic = generateReplyTopic();
  rewritten = writeConfigValue(path, "approval.reply_topic", newReplyTopic).rewritten || rewritten;
  return { newReplyTopic, rewritten };
}
