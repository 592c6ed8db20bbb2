/**
 * The notification task: a fully resolved ntfy notification that travels from the client
 * to the daemon. Config, filters and templates are resolved on the client side, so the
 * daemon only delivers.
 *
 * @module
 */

import { ErrorCode, ProtocolError } from "./errors.ts";
import {
  isRecord,
  optionalBoolean,
  optionalString,
  optionalStringArray,
  requireString,
} from "./_validate.ts";
import { isServerUrl } from "./_server_url.ts";

/** ntfy priorities: 1 (min) to 5 (max/urgent). */
export type Priority = 1 | 2 | 3 | 4 | 5;

/** Credentials for an ntfy server. */
export type NtfyAuth =
  | { readonly type: "bearer"; readonly token: string }
  | { readonly type: "basic"; readonly username: string; readonly password: string };

/** How a task is published: JSON body to `POST /`, or text body with `X-*` headers. */
export type SendFormat = "json" | "text";

/**
 * Whether ntfy sequence ids are used (they need ntfy 2.16 or later):
 * - `auto`: sent, until the server shows it predates them (it answers a clear or delete
 *   with 404); from then on its messages go plain and its clears and deletes are dropped;
 * - `on`: always sent; a server without them fails clear and delete tasks for good;
 * - `off`: never sent; clear and delete tasks are dropped.
 */
export type SequenceMode = "auto" | "on" | "off";

/** The sequence modes a target may carry. */
export const SEQUENCE_MODES: readonly SequenceMode[] = ["auto", "on", "off"];

/** Where a notification goes. */
export interface NtfyTarget {
  /** Base URL of the ntfy server, e.g. `https://ntfy.sh`. */
  readonly serverUrl: string;
  /** Topic name, matching `^[-_A-Za-z0-9]{1,64}$`. */
  readonly topic: string;
  /** Credentials, if the topic needs them. */
  readonly auth?: NtfyAuth;
  /** Publishing mode. @default {"json"} */
  readonly sendFormat?: SendFormat;
  /** Per-request timeout in seconds. @default {10} */
  readonly timeoutSecs?: number;
  /** Whether sequence ids are sent. @default {"auto"} */
  readonly sequence?: SequenceMode;
}

/** One ntfy action button (see ntfy's "Action buttons"). */
export interface NtfyAction {
  /** `view`, `http` or `broadcast`. */
  readonly action: string;
  /** The button's label. */
  readonly label: string;
  /** URL for `view` and `http` actions. */
  readonly url?: string;
  /** Whether tapping clears the notification. */
  readonly clear?: boolean;
  /** HTTP method for `http` actions. */
  readonly method?: string;
  /** HTTP headers for `http` actions. */
  readonly headers?: Readonly<Record<string, string>>;
  /** HTTP body for `http` actions. */
  readonly body?: string;
}

/** What the notification says and how it looks. */
export interface NotificationMessage {
  /** The body text (at most 4,096 bytes of UTF-8 on ntfy's default server). */
  readonly body: string;
  /** The title. */
  readonly title?: string;
  /** Priority 1-5. @default {3} */
  readonly priority?: Priority;
  /** Tags; emoji short codes show as emoji. */
  readonly tags?: readonly string[];
  /** URL opened when the notification is tapped. */
  readonly click?: string;
  /** Action buttons. */
  readonly actions?: readonly NtfyAction[];
  /** Render the body as Markdown. */
  readonly markdown?: boolean;
  /** URL of an icon. */
  readonly icon?: string;
  /** Delivery delay (`30m`, unix time, natural time). */
  readonly delay?: string;
  /** URL of an attachment. */
  readonly attach?: string;
  /** File name of the attachment. */
  readonly filename?: string;
  /** E-mail address to forward to. */
  readonly email?: string;
  /**
   * The ntfy sequence id (servers from 2.16): a later message with the same id replaces
   * this one on the phone instead of adding another, and `clear`/`delete` act on it.
   */
  readonly sequenceId?: string;
}

/** Where a task came from. */
export interface TaskOrigin {
  /** The Claude Code hook event name, or `test`/`cli` for manual sends. */
  readonly event: string;
  /** Project directory. */
  readonly project?: string;
  /** Claude Code session id. */
  readonly sessionId?: string;
  /** Creation time in milliseconds since the Unix epoch. */
  readonly createdAt: number;
}

/**
 * What a task does at the ntfy server: `publish` a message (the default), or `clear`
 * (mark read and dismiss) or `delete` the message with the task's `message.sequenceId`.
 */
export type TaskOperation = "publish" | "clear" | "delete";

/** The operations a task may carry. */
export const TASK_OPERATIONS: readonly TaskOperation[] = ["publish", "clear", "delete"];

/**
 * A fully resolved notification ready for delivery.
 *
 * @example A minimal task
 * ```ts
 * import type { NotificationTask } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const task: NotificationTask = {
 *   target: { serverUrl: "https://ntfy.sh", topic: "my-claude-topic" },
 *   message: { title: "Claude is waiting", body: "webapp: permission to use Write", priority: 4 },
 *   origin: { event: "Notification", createdAt: Date.now() },
 * };
 * ```
 */
export interface NotificationTask {
  /** The ntfy target. */
  readonly target: NtfyTarget;
  /** The message. */
  readonly message: NotificationMessage;
  /** Where the task came from. */
  readonly origin: TaskOrigin;
  /** What to do at the server. @default {"publish"} */
  readonly operation?: TaskOperation;
  /**
   * Deliver no earlier than this (milliseconds since the Unix epoch): the daemon holds the
   * task, journaled, until then, and may cancel it meanwhile (the user came back).
   */
  readonly notBefore?: number;
}

/**
 * The topic names ntfy accepts: 1 to 64 letters, digits, `-` and `_`. Sequence ids
 * follow the same rule.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TOPIC_PATTERN } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * assert.ok(TOPIC_PATTERN.test("claude-alerts_x7q2"));
 * assert.ok(!TOPIC_PATTERN.test("no spaces"));
 * ```
 */
export const TOPIC_PATTERN: RegExp = /^[-_A-Za-z0-9]{1,64}$/;

function invalid(message: string): ProtocolError {
  return new ProtocolError(ErrorCode.InvalidTask, `Invalid task: ${message}`);
}

function validateAuth(value: unknown): NtfyAuth | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalid("target.auth must be a map");
  if (value.type === "bearer") {
    return { type: "bearer", token: requireString(value, "token", invalid) };
  }
  if (value.type === "basic") {
    return {
      type: "basic",
      username: requireString(value, "username", invalid),
      password: requireString(value, "password", invalid),
    };
  }
  throw invalid(`target.auth.type must be "bearer" or "basic"`);
}

function checkServerUrl(serverUrl: string): void {
  if (!isServerUrl(serverUrl)) {
    throw invalid(`target.serverUrl must be an http(s) URL: got "${serverUrl.slice(0, 80)}"`);
  }
}

function validateTarget(value: unknown): NtfyTarget {
  if (!isRecord(value)) throw invalid("target must be a map");
  checkSizes(value, "target", MAX_FIELD_CHARS);
  const serverUrl = requireString(value, "serverUrl", invalid);
  checkServerUrl(serverUrl);
  const topic = requireString(value, "topic", invalid);
  if (!TOPIC_PATTERN.test(topic)) {
    throw invalid(`target.topic must match ${TOPIC_PATTERN.source}: got "${topic.slice(0, 80)}"`);
  }
  const sendFormat = optionalString(value, "sendFormat", invalid);
  if (sendFormat !== undefined && sendFormat !== "json" && sendFormat !== "text") {
    throw invalid(`target.sendFormat must be "json" or "text": got "${sendFormat.slice(0, 80)}"`);
  }
  const timeoutSecs = value.timeoutSecs;
  if (
    timeoutSecs !== undefined && timeoutSecs !== null &&
    (typeof timeoutSecs !== "number" || !(timeoutSecs > 0) || timeoutSecs > 3600)
  ) {
    throw invalid("target.timeoutSecs must be a number in (0, 3600]");
  }
  const sequence = optionalString(value, "sequence", invalid);
  if (sequence !== undefined && !SEQUENCE_MODES.includes(sequence as SequenceMode)) {
    throw invalid(
      `target.sequence must be one of ${SEQUENCE_MODES.join(", ")}: got "${sequence.slice(0, 80)}"`,
    );
  }
  return compact({
    serverUrl,
    topic,
    auth: validateAuth(value.auth),
    sendFormat: sendFormat as SendFormat | undefined,
    timeoutSecs: timeoutSecs ?? undefined,
    sequence: sequence as SequenceMode | undefined,
  }) as unknown as NtfyTarget;
}

function validateActions(value: unknown): NtfyAction[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid("message.actions must be an array");
  if (value.length > 3) throw invalid("message.actions holds at most 3 actions");
  return value.map((entry) => {
    if (!isRecord(entry)) throw invalid("message.actions entries must be maps");
    const headers = entry.headers;
    if (headers !== undefined && headers !== null) {
      if (!isRecord(headers) || !Object.values(headers).every((v) => typeof v === "string")) {
        throw invalid("message.actions[].headers must map strings to strings");
      }
    }
    return compact({
      action: requireString(entry, "action", invalid),
      label: requireString(entry, "label", invalid),
      url: optionalString(entry, "url", invalid),
      clear: optionalBoolean(entry, "clear", invalid),
      method: optionalString(entry, "method", invalid),
      headers: headers ?? undefined,
      body: optionalString(entry, "body", invalid),
    }) as unknown as NtfyAction;
  });
}

/** Longest body, in UTF-16 code units (ntfy itself takes 4,096 bytes; clients cut to that). */
export const MAX_BODY_CHARS = 65_536;
/** Longest of any other string in a task. */
export const MAX_FIELD_CHARS = 2_048;
/** Most tags, and most headers of one action. */
export const MAX_LIST_ENTRIES = 32;

/**
 * Checks the strings in `value` (valid UTF-16, at most `max` units) and the size of its
 * arrays and maps. `path`, and `key` under it, name the value in an error; the name is only
 * built for an error, since this runs on every field of every task.
 */
function checkSizes(value: unknown, path: string, max: number, key?: string): void {
  if (typeof value === "string") {
    if (!value.isWellFormed()) throw invalid(`${fieldName(path, key)} must be valid UTF-8`);
    if (value.length > max) {
      throw invalid(`${fieldName(path, key)} is longer than ${max} characters`);
    }
  } else if (Array.isArray(value)) {
    if (value.length > MAX_LIST_ENTRIES) {
      throw invalid(`${fieldName(path, key)} holds more than ${MAX_LIST_ENTRIES} entries`);
    }
    for (const item of value) checkSizes(item, fieldName(path, key), MAX_FIELD_CHARS);
  } else if (isRecord(value)) {
    const name = fieldName(path, key);
    let entries = 0;
    for (const field in value) {
      if (!Object.hasOwn(value, field)) continue;
      if (++entries > MAX_LIST_ENTRIES) {
        throw invalid(`${name} holds more than ${MAX_LIST_ENTRIES} entries`);
      }
      checkSizes(field, name, MAX_FIELD_CHARS);
      const limit = name === "message" && field === "body" ? MAX_BODY_CHARS : MAX_FIELD_CHARS;
      checkSizes(value[field], name, limit, field);
    }
  }
}

/** `path.key` (the key cut to 40 characters), or `path` alone. */
function fieldName(path: string, key: string | undefined): string {
  return key === undefined ? path : `${path}.${key.slice(0, 40)}`;
}

function validateMessage(value: unknown): NotificationMessage {
  if (!isRecord(value)) throw invalid("message must be a map");
  checkSizes(value, "message", MAX_FIELD_CHARS);
  const priority = value.priority;
  if (
    priority !== undefined && priority !== null &&
    !(Number.isInteger(priority) && (priority as number) >= 1 && (priority as number) <= 5)
  ) {
    throw invalid("message.priority must be an integer from 1 to 5");
  }
  return compact({
    body: requireString(value, "body", invalid),
    title: optionalString(value, "title", invalid),
    priority: (priority ?? undefined) as Priority | undefined,
    tags: optionalStringArray(value, "tags", invalid),
    click: optionalString(value, "click", invalid),
    actions: validateActions(value.actions),
    markdown: optionalBoolean(value, "markdown", invalid),
    icon: optionalString(value, "icon", invalid),
    delay: optionalString(value, "delay", invalid),
    attach: optionalString(value, "attach", invalid),
    filename: optionalString(value, "filename", invalid),
    email: optionalString(value, "email", invalid),
    sequenceId: validateSequenceId(value.sequenceId),
  }) as unknown as NotificationMessage;
}

function validateOrigin(value: unknown): TaskOrigin {
  if (!isRecord(value)) throw invalid("origin must be a map");
  checkSizes(value, "origin", MAX_FIELD_CHARS);
  const createdAt = value.createdAt;
  if (typeof createdAt !== "number" || !Number.isFinite(createdAt)) {
    throw invalid("origin.createdAt must be a number");
  }
  return compact({
    event: requireString(value, "event", invalid),
    project: optionalString(value, "project", invalid),
    sessionId: optionalString(value, "sessionId", invalid),
    createdAt,
  }) as unknown as TaskOrigin;
}

/** Drops keys whose value is `undefined` so tasks round-trip exactly. */
function compact(record: Record<string, unknown>): Record<string, unknown> {
  // A fresh object rather than `delete`: deleting keys sends V8 objects to slow dictionary
  // mode, and every held task would pay for it in speed and memory.
  const out: Record<string, unknown> = {};
  for (const key in record) {
    const value = record[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * Checks that an unknown value is a well-formed {@linkcode NotificationTask} and returns
 * a clean copy holding only known fields.
 *
 * @param value Anything, e.g. a decoded msgpack map or a spool file's JSON.
 * @returns The task, holding only the fields the protocol knows.
 * @throws {ProtocolError} with code `INVALID_TASK` naming the first bad field.
 *
 * @example Unknown fields are dropped
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateTask } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const task = validateTask({
 *   target: { serverUrl: "http://127.0.0.1:8080", topic: "alerts" },
 *   message: { body: "hi", color: "red" },
 *   origin: { event: "test", createdAt: 0 },
 * });
 * assert.deepEqual(task.message, { body: "hi" });
 * ```
 *
 * @example A bad field is named
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateTask } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * assert.throws(() => validateTask({
 *   target: { serverUrl: "https://ntfy.sh", topic: "no spaces" },
 *   message: { body: "hi" },
 *   origin: { event: "test", createdAt: 0 },
 * }), /target\.topic must match/);
 * ```
 */
export function validateTask(value: unknown): NotificationTask {
  if (!isRecord(value)) throw invalid("a task must be a map");
  const operation = value.operation;
  if (
    operation !== undefined && operation !== null &&
    !TASK_OPERATIONS.includes(operation as TaskOperation)
  ) {
    throw invalid(`operation must be one of ${TASK_OPERATIONS.join(", ")}`);
  }
  const notBefore = value.notBefore;
  if (
    notBefore !== undefined && notBefore !== null &&
    !(typeof notBefore === "number" && Number.isFinite(notBefore) && notBefore >= 0)
  ) {
    throw invalid("notBefore must be a non-negative number of milliseconds");
  }
  const message = validateMessage(value.message);
  if (operation !== undefined && operation !== null && operation !== "publish") {
    if (message.sequenceId === undefined) {
      throw invalid(`a ${operation} task needs message.sequenceId`);
    }
  }
  return compact({
    target: validateTarget(value.target),
    message,
    origin: validateOrigin(value.origin),
    operation: operation === "publish" ? undefined : operation ?? undefined,
    notBefore: notBefore ?? undefined,
  }) as unknown as NotificationTask;
}

/** Sequence ids follow ntfy's message id rules: like a topic name. */
function validateSequenceId(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !TOPIC_PATTERN.test(value)) {
    throw invalid("message.sequenceId must match [-_A-Za-z0-9]{1,64}");
  }
  return value;
}
