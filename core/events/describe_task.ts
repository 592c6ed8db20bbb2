/**
 * The `--dry-run` description of a task.
 *
 * @module
 */

import type { NotificationTask } from "../../protocol/mod.ts";
import { priorityName } from "../ntfy/priority.ts";
import { SECRET_MASK } from "../secret_mask.ts";

function maskToken(token: string): string {
  return token.length > 8 ? `${token.slice(0, 3)}${SECRET_MASK}` : SECRET_MASK;
}

function held(notBefore: number, createdAt: number): string {
  const secs = Math.round((notBefore - createdAt) / 100) / 10;
  const date = new Date(notBefore);
  const time = [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((part) => String(part).padStart(2, "0")).join(":");
  return `until ${time} (${secs} s after the event; dropped if the session is active first)`;
}

/**
 * Describes exactly what would be sent, for humans: server, topic, title, priority,
 * tags, click, auth (masked), format, origin and the body, indented. Secrets are masked.
 *
 * @example
 * ```ts
 * import { describeTask } from "./describe_task.ts";
 *
 * console.log(describeTask({
 *   target: { serverUrl: "https://ntfy.sh", topic: "claude-alerts", auth: { type: "bearer", token: "tk_abcdefghijk" } },
 *   message: { title: "webapp: Claude finished", body: "Claude finished.", priority: 3, tags: ["white_check_mark"] },
 *   origin: { event: "Stop", createdAt: 0 },
 * }));
 * ```
 */
export function describeTask(task: NotificationTask): string {
  const { target, message, origin } = task;
  const auth = target.auth === undefined
    ? "none"
    : target.auth.type === "bearer"
    ? `bearer token ${maskToken(target.auth.token)}`
    : `basic, user "${target.auth.username}", password ${SECRET_MASK}`;
  const priority = message.priority ?? 3;
  const origins = [
    origin.project === undefined ? "" : `project ${origin.project}`,
    origin.sessionId === undefined ? "" : `session ${origin.sessionId.slice(0, 8)}`,
  ].filter(Boolean).join(", ");
  const lines = [
    `Server:   ${target.serverUrl}`,
    `Topic:    ${target.topic}`,
    `Title:    ${message.title ?? "(none)"}`,
    `Priority: ${priority} (${priorityName(priority)})`,
    `Tags:     ${message.tags?.length ? message.tags.join(", ") : "(none)"}`,
    `Click:    ${message.click ?? "(none)"}`,
    `Auth:     ${auth}`,
    `Format:   ${target.sendFormat ?? "json"}, timeout ${target.timeoutSecs ?? 10} s${
      message.markdown ? ", Markdown" : ""
    }`,
    ...(message.sequenceId === undefined ? [] : [`Sequence: ${message.sequenceId}`]),
    ...(task.operation === undefined || task.operation === "publish"
      ? []
      : [`Action:   ${task.operation} the message with this sequence id`]),
    ...(task.notBefore === undefined
      ? []
      : [`Held:     ${held(task.notBefore, origin.createdAt)}`]),
    `Event:    ${origin.event}${origins === "" ? "" : ` (${origins})`}`,
    `Body (${new TextEncoder().encode(message.body).byteLength} bytes):`,
    ...message.body.split("\n").map((line) => `  ${line}`),
  ];
  return `${lines.join("\n")}\n`;
}
