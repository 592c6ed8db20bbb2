/**
 * What travels between the daemon and the phone for an approval: the notification with
 * its `http` action buttons, and the answer a button posts to the reply topic (a small
 * JSON body naming the request, its nonce and the choice).
 *
 * @module
 */

import type {
  NotificationTask,
  NtfyAction,
  PermissionDecision,
  PermissionUpdate,
} from "../../protocol/mod.ts";
import { SecretRedactor } from "../../core/redact/secret_redactor.ts";

/** What the user can tap. `always` is offered only when Claude Code suggested rules. */
export type ApprovalChoice = "allow" | "deny" | "always";

/** The choices, in the order the buttons show. */
export const APPROVAL_CHOICES: readonly ApprovalChoice[] = ["allow", "deny", "always"];

/** The labels of the buttons. */
const LABELS: Readonly<Record<ApprovalChoice, string>> = {
  allow: "Allow",
  deny: "Deny",
  always: "Always allow",
};

/** What Claude is told when the phone says no. */
export const DENIED_MESSAGE = "Denied from the phone (claude-ntfy).";

/** An answer as a button posts it. */
export interface ApprovalAnswer {
  /** The request it answers: the notification's sequence id. */
  readonly request: string;
  /** The request's single-use nonce. */
  readonly nonce: string;
  /** What was tapped. */
  readonly choice: ApprovalChoice;
}

/** The marker that tells an answer from anything else posted to the reply topic. */
const KIND = "claude-ntfy-approval";

/**
 * The body a button posts.
 *
 * @example
 * ```ts
 * import { answerBody } from "./approval_notification.ts";
 *
 * console.log(answerBody({ request: "perm-1", nonce: "n0nce", choice: "deny" }));
 * // {"kind":"claude-ntfy-approval","request":"perm-1","nonce":"n0nce","choice":"deny"}
 * ```
 */
export function answerBody(answer: ApprovalAnswer): string {
  return JSON.stringify({
    kind: KIND,
    request: answer.request,
    nonce: answer.nonce,
    choice: answer.choice,
  });
}

/**
 * Reads an answer from a message of the reply topic.
 *
 * @param text The message text.
 * @returns The answer, or `undefined` when the text is not one (a stray message, a
 * truncated or altered body).
 */
export function parseAnswer(text: string): ApprovalAnswer | undefined {
  if (text.length > 1024) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { kind, request, nonce, choice } = value as Record<string, unknown>;
  if (kind !== KIND || typeof request !== "string" || typeof nonce !== "string") return undefined;
  if (!APPROVAL_CHOICES.includes(choice as ApprovalChoice)) return undefined;
  return { request, nonce, choice: choice as ApprovalChoice };
}

/** The buttons of one approval. */
export interface ApprovalButtons {
  /** The request's id, used as the notification's sequence id. */
  readonly request: string;
  /** Its nonce. */
  readonly nonce: string;
  /** The reply topic's URL, which the phone posts to. */
  readonly replyUrl: string;
  /** The `Authorization` header the phone sends, when the reply topic needs one. */
  readonly authorization?: string;
  /** The choices offered. */
  readonly choices: readonly ApprovalChoice[];
  /** How long the answer is awaited, in seconds (said in the text). */
  readonly timeoutSecs: number;
  /**
   * What masks secrets in the title and the command. An approval always masks, even
   * with `redact.enabled` off, and shows no token prefix: the command is shown on a phone.
   * @default {new SecretRedactor({ keepPrefixes: false })} (the built-in rules only)
   */
  readonly redactor?: SecretRedactor;
}

const BUILT_IN_REDACTOR = new SecretRedactor({ keepPrefixes: false });

function waitText(secs: number): string {
  return secs % 60 === 0 ? `${secs / 60} min` : `${secs} s`;
}

/**
 * The approval notification: the permission request's own task with secrets in the
 * command masked, a line saying how to answer, one `http` button per choice and the
 * request's id as its sequence id (so it can be cleared later).
 *
 * @example
 * ```ts
 * import { approvalNotification } from "./approval_notification.ts";
 *
 * const task = approvalNotification({
 *   target: { serverUrl: "https://ntfy.example.com", topic: "claude-abc" },
 *   message: { title: "webapp: allow Bash?", body: "$ TOKEN=s3cret make deploy" },
 *   origin: { event: "PermissionRequest", createdAt: 0 },
 * }, {
 *   request: "perm-1",
 *   nonce: "n0nce",
 *   replyUrl: "https://ntfy.example.com/claude-reply-xyz",
 *   choices: ["allow", "deny"],
 *   timeoutSecs: 120,
 * });
 * console.log(task.message.body.split("\n")[0]); // $ TOKEN=*** make deploy
 * console.log(task.message.actions?.map((action) => action.label)); // [ "Allow", "Deny" ]
 * ```
 */
export function approvalNotification(
  task: NotificationTask,
  buttons: ApprovalButtons,
): NotificationTask {
  const headers = buttons.authorization === undefined
    ? undefined
    : { Authorization: buttons.authorization };
  const actions: NtfyAction[] = buttons.choices.map((choice) => ({
    action: "http",
    label: LABELS[choice],
    url: buttons.replyUrl,
    method: "POST",
    ...(headers === undefined ? {} : { headers }),
    body: answerBody({ request: buttons.request, nonce: buttons.nonce, choice }),
    clear: true,
  }));
  const redactor = buttons.redactor ?? BUILT_IN_REDACTOR;
  const { message, notBefore: _hold, ...rest } = task;
  // Sent at once, whatever hold the event's settings ask for: the hook is waiting.
  return {
    ...rest,
    message: {
      ...message,
      ...(message.title === undefined ? {} : { title: redactor.redact(message.title) }),
      body: `${redactor.redact(message.body)}\nAnswer here within ${
        waitText(buttons.timeoutSecs)
      }, or at the terminal.`,
      actions,
      sequenceId: buttons.request,
    },
  };
}

/**
 * The notification's end: a `clear` of its sequence id, to the same topic.
 *
 * @param task The approval notification.
 * @param now The time, in milliseconds since the Unix epoch.
 */
export function clearApproval(task: NotificationTask, now: number): NotificationTask {
  return {
    target: task.target,
    message: { body: "", sequenceId: task.message.sequenceId },
    origin: { ...task.origin, createdAt: now },
    operation: "clear",
  };
}

/**
 * The decision Claude Code gets for a choice.
 *
 * @param choice What was tapped.
 * @param suggestions The request's `permission_suggestions` (for `always`).
 *
 * @example
 * ```ts
 * import { decisionFor } from "./approval_notification.ts";
 *
 * console.log(decisionFor("allow", [])); // { behavior: "allow" }
 * ```
 */
export function decisionFor(
  choice: ApprovalChoice,
  suggestions: readonly PermissionUpdate[],
): PermissionDecision {
  switch (choice) {
    case "allow":
      return { behavior: "allow" };
    case "deny":
      return { behavior: "deny", message: DENIED_MESSAGE };
    case "always":
      return { behavior: "allow", updatedPermissions: suggestions };
  }
}
