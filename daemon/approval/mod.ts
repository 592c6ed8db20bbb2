/**
 * Answering Claude Code's permission requests from the phone: the approval desk, the
 * reply topic subscription it reads answers from, and the notification it sends.
 *
 * @module
 */

export * from "./approval_desk.ts";
export * from "./approval_notification.ts";
export * from "./reply_subscription.ts";
export * from "./reply_topic_file.ts";
export * from "./session_moved_on.ts";
