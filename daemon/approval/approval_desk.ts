/**
 * Answering a permission request from the phone. For a `PermissionRequest` whose hook
 * waits, with `approval.enabled`, the desk sends the notification with Allow / Deny (and
 * "Always allow") buttons, reads the phone's answers from the reply topic, and hands the
 * decision back, all while Claude Code shows its own dialog. Whatever comes first ends
 * the wait: an answer from the phone, the session moving on at the terminal, the hook
 * going away, the timeout, the daemon stopping. Only an answer from the phone carries a
 * decision; every other end carries none, so Claude Code decides as it would without the
 * hook. The notification is cleared at the end.
 *
 * An answer counts only when it names a request that is waiting, with that request's
 * nonce and a choice it offered; it is used once. Anything else is logged and ignored.
 *
 * @module
 */

import type {
  NotificationTask,
  NtfyAuth,
  PermissionDecision,
  PermissionUpdate,
} from "../../protocol/mod.ts";
import type { Config } from "../../core/config/config.ts";
import { redactorOptions } from "../../core/events/resolve_notification.ts";
import { SecretRedactor } from "../../core/redact/secret_redactor.ts";
import type { HookEvent } from "../../core/events/hook_event.ts";
import type { AcceptTask } from "../accept_task.ts";
import { constantTimeEqual } from "../connection.ts";
import type { Logger } from "../log.ts";
import {
  APPROVAL_CHOICES,
  type ApprovalChoice,
  approvalNotification,
  clearApproval,
  decisionFor,
  parseAnswer,
} from "./approval_notification.ts";
import {
  ReplySubscription,
  type ReplySubscriptionOptions,
  type TopicMessage,
} from "./reply_subscription.ts";
import { storedReplyTopic } from "./reply_topic_file.ts";
import { type AwaitedToolCall, awaitedToolCall, sessionMovedOn } from "./session_moved_on.ts";
import { errorMessage } from "../../protocol/error_message.ts";

/** The daemon answers this long before the hook stops waiting, so the answer arrives. */
export const ANSWER_MARGIN_MS = 3_000;
/** Shorter waits are not worth a notification with buttons. */
const MIN_WAIT_MS = 1_000;
/** Reply topic messages older than the subscription by this much are not asked for. */
const SINCE_SKEW_SECS = 30;
/** Requests that ended, remembered to tell a late or replayed answer from a forged one. */
const REMEMBERED_REQUESTS = 256;

/** What the desk needs from the daemon. */
export interface ApprovalDeskOptions {
  /** Queues the notification and its clear. */
  readonly acceptTask: AcceptTask;
  /**
   * Cancels a queued task that has not been sent; resolves false when it is too late. The
   * desk cancels the clear it held against a crash once the wait ends (see
   * {@linkcode ApprovalDesk.ask}); without it, that clear still goes at its time, a second
   * clear of a notification the phone no longer shows.
   */
  readonly cancelTask?: (id: string) => Promise<boolean>;
  /** Where requests, answers and ignored answers are logged. */
  readonly log: Logger;
  /** Where a reply topic made on first use is kept. */
  readonly stateDir: string;
  /** The `fetch` the reply subscription uses. @default {globalThis.fetch} */
  readonly fetch?: typeof fetch;
  /** Fills an array with random bytes (request ids, nonces). @default {crypto.getRandomValues} */
  readonly random?: (bytes: Uint8Array) => Uint8Array;
  /** The clock, in milliseconds since the Unix epoch. @default {Date.now} */
  readonly now?: () => number;
  /** How long a reply subscription is kept after its last wait ended. @default {60000} */
  readonly lingerMs?: number;
  /** Reconnect and keepalive timing of reply subscriptions (tests shorten them). */
  readonly subscription?: Pick<
    ReplySubscriptionOptions,
    "retryMs" | "maxRetryMs" | "staleAfterMs"
  >;
}

/** A permission request a hook waits on. */
export interface ApprovalRequest {
  /** The `PermissionRequest` event. */
  readonly event: HookEvent;
  /** The notification it resolved to. */
  readonly task: NotificationTask;
  /** The configuration it resolved with. */
  readonly config: Config;
  /** How long the hook waits for the answer, in milliseconds. */
  readonly waitLimitMs: number;
  /** Aborted when the hook goes away (its connection closed). */
  readonly signal: AbortSignal;
  /** Told the notification's task id once it is queued, before the wait. */
  readonly onSent?: (taskId: string) => void;
}

/** How an approval ended. */
export interface ApprovalOutcome {
  /** The notification's task id. */
  readonly taskId: string;
  /** The phone's decision, when it gave one in time. */
  readonly decision?: PermissionDecision;
}

type Ending =
  | { readonly kind: "answered"; readonly choice: ApprovalChoice }
  | { readonly kind: "timeout" }
  | { readonly kind: "moved-on"; readonly why: string }
  | { readonly kind: "hook-gone" }
  | { readonly kind: "closing" };

interface Waiting {
  readonly id: string;
  readonly nonce: string;
  readonly subscription: string;
  readonly choices: readonly ApprovalChoice[];
  readonly awaited: AwaitedToolCall | undefined;
  end(ending: Ending): void;
}

interface Subscribed {
  readonly subscription: ReplySubscription;
  /** When it started, in Unix seconds. */
  readonly startedSecs: number;
  users: number;
  linger?: ReturnType<typeof setTimeout>;
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

function authorizationHeader(auth: NtfyAuth | undefined): string | undefined {
  if (auth === undefined) return undefined;
  if (auth.type === "bearer") return `Bearer ${auth.token}`;
  const bytes = new TextEncoder().encode(`${auth.username}:${auth.password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

function suggestionsOf(event: HookEvent): PermissionUpdate[] {
  const suggestions = event.payload.permission_suggestions;
  if (!Array.isArray(suggestions)) return [];
  return suggestions.filter((entry): entry is PermissionUpdate =>
    typeof entry === "object" && entry !== null && !Array.isArray(entry)
  );
}

function describe(ending: Ending): string {
  switch (ending.kind) {
    case "answered":
      return `answered from the phone: ${ending.choice}`;
    case "timeout":
      return "no answer in time";
    case "moved-on":
      return `answered at the terminal (${ending.why})`;
    case "hook-gone":
      return "the hook went away";
    case "closing":
      return "the daemon is stopping";
  }
}

/**
 * Sends approval notifications and matches the phone's answers to the requests waiting
 * for them. One per daemon.
 *
 * @example Approvals off: the desk leaves the event alone
 * ```ts
 * import { ApprovalDesk } from "./approval_desk.ts";
 * import { Logger } from "../log.ts";
 * import { defaultConfig } from "../../core/config/config.ts";
 *
 * const desk = new ApprovalDesk({
 *   acceptTask: () => Promise.resolve("t-1"),
 *   log: new Logger({ sink: () => {} }),
 *   stateDir: "/nonexistent",
 * });
 * const outcome = await desk.ask({
 *   event: { name: "PermissionRequest", payload: {}, truncated: false },
 *   task: {
 *     target: { serverUrl: "https://ntfy.sh", topic: "t" },
 *     message: { body: "$ ls" },
 *     origin: { event: "PermissionRequest", createdAt: 0 },
 *   },
 *   config: defaultConfig(),
 *   waitLimitMs: 60_000,
 *   signal: new AbortController().signal,
 * });
 * console.log(outcome); // undefined
 * await desk.close();
 * ```
 */
export class ApprovalDesk {
  readonly #options: ApprovalDeskOptions;
  readonly #waiting = new Map<string, Waiting>();
  readonly #ended = new Set<string>();
  readonly #subscriptions = new Map<string, Subscribed>();
  readonly #lastIds = new Map<string, string>();
  readonly #asking = new Set<Promise<unknown>>();
  #closed = false;

  /** Creates a desk with nothing waiting and no subscription. */
  constructor(options: ApprovalDeskOptions) {
    this.#options = options;
  }

  /** Requests waiting for an answer now. */
  get waiting(): number {
    return this.#waiting.size;
  }

  /** Reply subscriptions open or lingering now. */
  get subscriptions(): number {
    return this.#subscriptions.size;
  }

  /**
   * Sends a permission request's notification with answer buttons and waits for the
   * answer. Resolves with `undefined`, having sent nothing, when approvals do not apply
   * (off, the hook cannot wait long enough, no usable reply topic, the daemon stopping):
   * the caller then queues the task as usual.
   *
   * @throws what `acceptTask` throws for the notification (nothing is waiting then).
   */
  ask(request: ApprovalRequest): Promise<ApprovalOutcome | undefined> {
    const asking = this.#ask(request);
    this.#asking.add(asking);
    const forget = () => this.#asking.delete(asking);
    asking.then(forget, forget);
    return asking;
  }

  async #ask(request: ApprovalRequest): Promise<ApprovalOutcome | undefined> {
    const { event, task, config, signal } = request;
    const { log, acceptTask } = this.#options;
    const approval = config.approval;
    if (!approval.enabled || event.name !== "PermissionRequest" || this.#closed) return undefined;
    const waitMs = Math.min(approval.timeout_secs * 1000, request.waitLimitMs - ANSWER_MARGIN_MS);
    if (waitMs < MIN_WAIT_MS) {
      log.debug("approval skipped: the hook does not wait long enough", {
        waitLimitMs: request.waitLimitMs,
      });
      return undefined;
    }
    let replyTopic: string;
    try {
      replyTopic = approval.reply_topic ?? storedReplyTopic(this.#options.stateDir);
    } catch (error) {
      log.warn("approval off: no reply topic", { error: errorMessage(error) });
      return undefined;
    }
    const target = task.target;
    if (replyTopic === target.topic) {
      log.warn("approval off: approval.reply_topic is the notification topic; it must differ", {
        topic: replyTopic,
      });
      return undefined;
    }
    const suggestions = suggestionsOf(event);
    const choices = APPROVAL_CHOICES.filter((choice) =>
      choice !== "always" || suggestions.length > 0
    );
    const id = `perm-${this.#base32(20)}`;
    const nonce = this.#base32(32);
    const replyToken = approval.reply_token;
    if (replyToken) log.addSecret(replyToken);
    const notification = approvalNotification(task, {
      request: id,
      nonce,
      replyUrl: `${target.serverUrl}/${replyTopic}`,
      authorization: replyToken ? `Bearer ${replyToken}` : authorizationHeader(target.auth),
      choices,
      timeoutSecs: Math.round(waitMs / 1000),
      redactor: new SecretRedactor({ ...redactorOptions(config), keepPrefixes: false }),
    });
    const key = JSON.stringify([target.serverUrl, replyTopic, target.auth ?? null]);
    let end!: (ending: Ending) => void;
    const ended = new Promise<Ending>((resolve) => end = resolve);
    const waiting: Waiting = {
      id,
      nonce,
      subscription: key,
      choices,
      awaited: awaitedToolCall(event),
      end,
    };
    // Listening before the notification goes out: no answer can come before it.
    this.#waiting.set(id, waiting);
    this.#acquire(key, target.serverUrl, replyTopic, target.auth);
    // The phone's clear, held until the wait ends, is queued with the notification (one
    // journal write for both): should the daemon die while the request waits, the restarted
    // daemon replays it and takes the buttons off the phone then, rather than never.
    const heldClear: NotificationTask = {
      ...clearApproval(notification, this.#now()),
      notBefore: this.#now() + waitMs,
    };
    const [sent, held] = await Promise.allSettled([
      acceptTask(notification),
      acceptTask(heldClear),
    ]);
    if (sent.status === "rejected") {
      if (held.status === "fulfilled") await this.#cancel(held.value, id);
      this.#finish(waiting);
      throw sent.reason;
    }
    const taskId = sent.value;
    if (held.status === "rejected") {
      log.warn("approval asked without a clear held against a crash", {
        request: id,
        error: errorMessage(held.reason),
      });
    }
    request.onSent?.(taskId);
    log.info("approval asked", {
      request: id,
      tool: typeof event.payload.tool_name === "string" ? event.payload.tool_name : undefined,
      waitSecs: Math.round(waitMs / 1000),
    });
    const timer = setTimeout(() => end({ kind: "timeout" }), waitMs);
    const gone = () => end({ kind: "hook-gone" });
    signal.addEventListener("abort", gone, { once: true });
    if (signal.aborted || this.#closed) {
      end(signal.aborted ? { kind: "hook-gone" } : { kind: "closing" });
    }
    const ending = await ended;
    clearTimeout(timer);
    signal.removeEventListener("abort", gone);
    this.#finish(waiting);
    if (held.status === "fulfilled") await this.#cancel(held.value, id);
    try {
      await acceptTask(clearApproval(notification, this.#now()));
    } catch (error) {
      log.warn("cannot clear the approval notification", {
        request: id,
        error: errorMessage(error),
      });
    }
    log.info("approval ended", { request: id, outcome: describe(ending) });
    return ending.kind === "answered"
      ? { taskId, decision: decisionFor(ending.choice, suggestions) }
      : { taskId };
  }

  /** Cancels the clear held for request `request`; a failure is logged, not thrown. */
  async #cancel(taskId: string, request: string): Promise<void> {
    try {
      await this.#options.cancelTask?.(taskId);
    } catch (error) {
      this.#options.log.warn("cannot cancel the held clear", {
        request,
        error: errorMessage(error),
      });
    }
  }

  /**
   * Ends the waits an event shows to be over: the session went on at the terminal (see
   * `sessionMovedOn`). Call it with every event taken in, sent or skipped.
   */
  observe(event: HookEvent): void {
    if (this.#waiting.size === 0) return;
    for (const waiting of this.#waiting.values()) {
      if (waiting.awaited === undefined) continue;
      const why = sessionMovedOn(event, waiting.awaited);
      if (why !== undefined) waiting.end({ kind: "moved-on", why });
    }
  }

  /**
   * Ends every wait without a decision (their notifications are cleared), waits for them
   * to finish and closes the reply subscriptions. Call it before the queue stops
   * accepting tasks.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiting of this.#waiting.values()) waiting.end({ kind: "closing" });
    await Promise.allSettled([...this.#asking]);
    const stopping = [...this.#subscriptions.values()].map((subscribed) => {
      clearTimeout(subscribed.linger);
      return subscribed.subscription.stop();
    });
    this.#subscriptions.clear();
    await Promise.all(stopping);
  }

  #finish(waiting: Waiting): void {
    if (this.#waiting.get(waiting.id) !== waiting) return;
    this.#waiting.delete(waiting.id);
    this.#ended.add(waiting.id);
    if (this.#ended.size > REMEMBERED_REQUESTS) {
      this.#ended.delete(this.#ended.values().next().value!);
    }
    this.#release(waiting.subscription);
  }

  #acquire(key: string, serverUrl: string, topic: string, auth: NtfyAuth | undefined): void {
    const existing = this.#subscriptions.get(key);
    if (existing !== undefined) {
      clearTimeout(existing.linger);
      existing.linger = undefined;
      existing.users += 1;
      return;
    }
    const startedSecs = Math.floor(this.#now() / 1000);
    const since = this.#lastIds.get(key) ?? String(startedSecs - SINCE_SKEW_SECS);
    const subscription = new ReplySubscription({
      ...this.#options.subscription,
      serverUrl,
      topic,
      auth,
      since,
      fetch: this.#options.fetch,
      log: this.#options.log,
      onMessage: (message) => this.#answer(key, message),
    });
    this.#subscriptions.set(key, { subscription, startedSecs, users: 1 });
    subscription.start();
  }

  #release(key: string): void {
    const subscribed = this.#subscriptions.get(key);
    if (subscribed === undefined) return;
    subscribed.users -= 1;
    if (subscribed.users > 0) return;
    // Kept a while: the next request in the session usually follows soon.
    subscribed.linger = setTimeout(() => {
      if (this.#subscriptions.get(key) !== subscribed || subscribed.users > 0) return;
      this.#subscriptions.delete(key);
      const lastId = subscribed.subscription.lastId;
      if (lastId !== undefined) this.#lastIds.set(key, lastId);
      void subscribed.subscription.stop();
    }, this.#options.lingerMs ?? 60_000);
  }

  #answer(key: string, message: TopicMessage): void {
    const log = this.#options.log;
    const answer = parseAnswer(message.text);
    if (answer === undefined) {
      log.info("ignored a reply topic message that is no answer", { message: message.id });
      return;
    }
    const request = answer.request.slice(0, 64);
    const waiting = this.#waiting.get(answer.request);
    if (waiting === undefined || waiting.subscription !== key) {
      const fields = { request, choice: answer.choice, message: message.id };
      if (this.#ended.has(answer.request)) {
        log.warn(
          "ignored an answer for a request that is no longer waiting (late or replayed)",
          fields,
        );
      } else if (message.time < (this.#subscriptions.get(key)?.startedSecs ?? 0)) {
        // The first connection asks for a little history (clock skew): an earlier run's answers.
        log.info("ignored an answer from before this subscription", fields);
      } else log.warn("ignored an answer for no waiting request (replayed or forged)", fields);
      return;
    }
    if (!constantTimeEqual(answer.nonce, waiting.nonce)) {
      log.warn("ignored an answer with a wrong nonce (forged?)", { request, message: message.id });
      return;
    }
    if (!waiting.choices.includes(answer.choice)) {
      log.warn("ignored an answer with a choice that was not offered", {
        request,
        choice: answer.choice,
        message: message.id,
      });
      return;
    }
    // Used once: the wait ends now, and a repeat finds no waiting request.
    this.#finish(waiting);
    waiting.end({ kind: "answered", choice: answer.choice });
  }

  #base32(length: number): string {
    const random = this.#options.random ?? ((bytes) => crypto.getRandomValues(bytes));
    return Array.from(random(new Uint8Array(length)), (byte) => BASE32[byte & 31]).join("");
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}
