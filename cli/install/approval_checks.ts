/**
 * The approval checks of `claude-ntfy doctor`: whether answering from the phone is safe
 * with this configuration, and whether Claude Code lets the hook wait long enough.
 *
 * @module
 */

import type { Config } from "../../core/config/config.ts";
import { splitTopicUrl } from "../../core/config/topic_url.ts";
import { authFromConfig } from "../../core/events/resolve_notification.ts";
import { check, type DoctorCheck } from "./doctor_check.ts";
import type { FoundHook } from "./settings_hooks.ts";

/** Public ntfy servers: anyone can read a topic there whose name they know. */
const PUBLIC_SERVERS = new Set(["ntfy.sh", "www.ntfy.sh"]);

function isPublic(serverUrl: string): boolean {
  try {
    return PUBLIC_SERVERS.has(new URL(serverUrl).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** Where permission requests are published: their own topic, else the default one. */
function requestServer(config: Config): string {
  const topic = config.hooks.topics.PermissionRequest;
  return (topic === undefined ? undefined : splitTopicUrl(topic)?.serverUrl) ??
    config.ntfy.server_url;
}

/**
 * Checks the `[approval]` settings when approvals are on (none when off): the reply topic
 * differs from the notification topic, and a public server without credentials, where
 * anyone who reads the topic could answer, is flagged.
 *
 * @example
 * ```ts
 * import { defaultConfig } from "../../core/config/config.ts";
 * import { approvalChecks } from "./approval_checks.ts";
 *
 * const config = defaultConfig();
 * config.approval.enabled = true;
 * console.log(approvalChecks(config).map((entry) => entry.status)); // [ "warn" ]
 * ```
 */
export function approvalChecks(config: Config): DoctorCheck[] {
  const approval = config.approval;
  if (!approval.enabled) return [];
  const requestTopic = config.hooks.topics.PermissionRequest ?? config.ntfy.default_topic;
  const notificationTopic = splitTopicUrl(requestTopic)?.topic ?? requestTopic;
  if (approval.reply_topic !== undefined && approval.reply_topic === notificationTopic) {
    return [
      check(
        "approval",
        "fail",
        "approval.reply_topic is the notification topic: approvals are off until it differs",
        { fix: '"claude-ntfy config set approval.reply_topic …" with a new random topic' },
      ),
    ];
  }
  const auth = authFromConfig(config);
  const server = requestServer(config);
  const details = [
    `answers within ${approval.timeout_secs} s; reply topic ${
      approval.reply_topic === undefined ? "made by the daemon on first use" : "set"
    }`,
  ];
  if (isPublic(server) && auth === undefined) {
    return [
      check(
        "approval",
        "warn",
        `Approvals are on at ${server} without credentials: anyone who reads your topic can ` +
          "answer Claude's permission requests",
        {
          details,
          fix: "use a topic reserved with an access token (ntfy.auth_token) or your own server, " +
            "and set approval.reply_token to a token that may only write to the reply topic",
        },
      ),
    ];
  }
  if (auth !== undefined && !approval.reply_token) {
    details.push(
      "the buttons carry your ntfy credentials: approval.reply_token (write-only on the " +
        "reply topic) would expose less",
    );
  }
  return [check("approval", "ok", "Approvals from the phone are on", { details })];
}

/**
 * Whether the registered `PermissionRequest` hooks may wait for the phone: Claude Code
 * kills a hook at its `timeout`, so it must be longer than `approval.timeout_secs`.
 */
export function approvalHookChecks(config: Config, found: readonly FoundHook[]): DoctorCheck[] {
  if (!config.approval.enabled) return [];
  const short = found.filter((hook) =>
    hook.event === "PermissionRequest" &&
    (hook.timeout ?? 60) <= config.approval.timeout_secs
  );
  if (short.length === 0) return [];
  return [
    check(
      "approval-timeout",
      "warn",
      `The PermissionRequest hook's timeout is not longer than approval.timeout_secs ` +
        `(${config.approval.timeout_secs} s): Claude Code stops it before the phone answers`,
      {
        details: short.map((hook) => `timeout ${hook.timeout ?? "unset (60)"}: ${hook.command}`),
        fix: '"claude-ntfy init --install-hooks" (add --global for ~/.claude/settings.json)',
      },
    ),
  ];
}
