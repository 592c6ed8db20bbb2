/**
 * Sequence ids where the server has them: which servers lack them (ntfy before 2.16), and a
 * publish that follows a target's `sequence` mode.
 *
 * @module
 */

import type { NotificationTask } from "../../protocol/mod.ts";
import { NtfyError } from "./errors.ts";
import { publish, type PublishOptions, type PublishResult } from "./publisher.ts";

/** What a send came to: ntfy's answer, or why nothing was sent. */
export interface SendOutcome extends PublishResult {
  /**
   * Set when the task was done without a request: a clear or delete where sequence ids are
   * off or the server has none. The reason, safe to log.
   */
  readonly dropped?: string;
}

/** Options for {@linkcode SequenceSupport}. */
export interface SequenceSupportOptions {
  /**
   * How long a server found without sequence ids stays so; after that the next clear or
   * delete asks it again (it may have been upgraded). @default {86400000}
   */
  readonly forgetAfterMs?: number;
  /** The clock, in milliseconds. @default {Date.now} */
  readonly now?: () => number;
  /** Told when a server is found to lack sequence ids, or to have them after all. */
  readonly onChange?: (server: string, supported: boolean) => void;
}

/**
 * Remembers, per server, that it has no sequence ids. Only `auto` targets consult it.
 *
 * @example
 * ```ts
 * import { SequenceSupport } from "./sequence_support.ts";
 *
 * const support = new SequenceSupport();
 * support.markUnsupported("https://ntfy.example.com/");
 * console.log(support.isUnsupported("https://user:pass@ntfy.example.com")); // true
 * ```
 */
export class SequenceSupport {
  readonly #unsupported = new Map<string, number>();
  readonly #forgetAfterMs: number;
  readonly #now: () => number;
  readonly #onChange: SequenceSupportOptions["onChange"];

  /** Creates an empty memory: every server is assumed to have sequence ids. */
  constructor(options: SequenceSupportOptions = {}) {
    this.#forgetAfterMs = options.forgetAfterMs ?? 86_400_000;
    this.#now = options.now ?? Date.now;
    this.#onChange = options.onChange;
  }

  /** Whether `serverUrl` was found without sequence ids (and not long ago). */
  isUnsupported(serverUrl: string): boolean {
    const server = serverKey(serverUrl);
    const since = this.#unsupported.get(server);
    if (since === undefined) return false;
    if (this.#now() - since < this.#forgetAfterMs) return true;
    this.#unsupported.delete(server);
    return false;
  }

  /** Notes that `serverUrl` has no sequence ids. */
  markUnsupported(serverUrl: string): void {
    const server = serverKey(serverUrl);
    const known = this.#unsupported.has(server);
    this.#unsupported.set(server, this.#now());
    if (!known) this.#onChange?.(server, false);
  }

  /** Notes that `serverUrl` has sequence ids (a clear or delete succeeded). */
  markSupported(serverUrl: string): void {
    const server = serverKey(serverUrl);
    if (this.#unsupported.delete(server)) this.#onChange?.(server, true);
  }
}

/** Options for {@linkcode publishWithSequences}. */
export interface SequencePublishOptions extends PublishOptions {
  /** What is known about servers; shared by every send of a process. */
  readonly support: SequenceSupport;
  /** Sends the task as it ends up. @default {publish} */
  readonly send?: (task: NotificationTask, options: PublishOptions) => Promise<PublishResult>;
}

/**
 * Sends `task` as its target's `sequence` mode says:
 * - `off`: the message goes without its sequence id; a clear or delete is dropped;
 * - `on`: as the task says; a server that answers a clear or delete with 404 (ntfy before
 *   2.16) fails it for good, with a message saying so;
 * - `auto` (the default): as the task says until the server answers a clear or delete with
 *   404; then that server is remembered in `support`, the clear or delete is dropped, and
 *   from then on its messages go without sequence ids and its clears and deletes are
 *   dropped. A server before 2.16 ignores a sequence id in a message, so nothing is lost
 *   before it is noticed.
 *
 * A dropped task resolves with `dropped` set and `id` `""`.
 *
 * @throws {NtfyError} as {@linkcode publish} does.
 *
 * @example A clear where sequence ids are off is dropped
 * ```ts
 * import { publishWithSequences, SequenceSupport } from "./sequence_support.ts";
 *
 * const outcome = await publishWithSequences({
 *   target: { serverUrl: "https://ntfy.example.com", topic: "alerts", sequence: "off" },
 *   message: { body: "", sequenceId: "session-1" },
 *   origin: { event: "Stop", createdAt: 0 },
 *   operation: "clear",
 * }, { support: new SequenceSupport() });
 * console.log(outcome.dropped); // 'ntfy.sequence is "off"'
 * ```
 */
export async function publishWithSequences(
  task: NotificationTask,
  options: SequencePublishOptions,
): Promise<SendOutcome> {
  const { support, send = publish, ...publishOptions } = options;
  const { target } = task;
  const mode = target.sequence ?? "auto";
  const operation = task.operation ?? "publish";
  const unsupported = mode === "auto" && support.isUnsupported(target.serverUrl);
  if (operation === "publish") {
    const plain = (mode === "off" || unsupported) && task.message.sequenceId !== undefined;
    return await send(plain ? withoutSequenceId(task) : task, publishOptions);
  }
  if (mode === "off") return dropped(task, `ntfy.sequence is "off"`);
  if (unsupported) return dropped(task, lacksSequencesReason(target.serverUrl));
  try {
    const result = await send(task, publishOptions);
    if (mode === "auto") support.markSupported(target.serverUrl);
    return result;
  } catch (error) {
    if (!(error instanceof NtfyError) || !isMissingEndpoint(error)) throw error;
    if (mode === "auto") {
      support.markUnsupported(target.serverUrl);
      return dropped(task, lacksSequencesReason(target.serverUrl));
    }
    throw new NtfyError(
      `ntfy server "${serverKey(target.serverUrl)}" has no sequence ids: it answered the ` +
        `${operation} of sequence "${task.message.sequenceId}" with HTTP ${error.httpStatus}; ` +
        `it needs ntfy 2.16 or later, or set ntfy.sequence = "auto" to send it plain messages`,
      {
        kind: "http",
        httpStatus: error.httpStatus,
        ntfyCode: error.ntfyCode,
        retryable: false,
        cause: error,
      },
    );
  }
}

/** Keys of server URLs seen lately (every delivery asks): bounded, cleared when full. */
const serverKeys = new Map<string, string>();
const MAX_SERVER_KEYS = 64;

/**
 * A server URL without credentials, query or trailing slash: the key servers are
 * remembered by, and safe to show.
 */
export function serverKey(serverUrl: string): string {
  const known = serverKeys.get(serverUrl);
  if (known !== undefined) return known;
  let key = "(invalid URL)";
  if (URL.canParse(serverUrl)) {
    const url = new URL(serverUrl);
    key = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  }
  if (serverKeys.size >= MAX_SERVER_KEYS) serverKeys.clear();
  serverKeys.set(serverUrl, key);
  return key;
}

/** How an older server answers a path it does not know. */
function isMissingEndpoint(error: NtfyError): boolean {
  return error.kind === "http" &&
    (error.httpStatus === 404 || error.httpStatus === 405 || error.httpStatus === 501);
}

function lacksSequencesReason(serverUrl: string): string {
  return `ntfy server "${serverKey(serverUrl)}" has no sequence ids (it is older than 2.16)`;
}

function withoutSequenceId(task: NotificationTask): NotificationTask {
  const { sequenceId: _, ...message } = task.message;
  return { ...task, message };
}

function dropped(task: NotificationTask, reason: string): SendOutcome {
  return { id: "", time: Math.floor(Date.now() / 1000), topic: task.target.topic, dropped: reason };
}
