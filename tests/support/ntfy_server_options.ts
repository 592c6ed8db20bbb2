/**
 * What the loopback ntfy server is started with ({@linkcode NtfyServerOptions}), how it can
 * be told to misbehave, and what it records.
 *
 * @module
 */

import type { ParsedAction } from "./_ntfy_params.ts";

export type { ParsedAction as ReceivedAction } from "./_ntfy_params.ts";

/** How the server misbehaves for a publish request. */
export type NtfyFault =
  | {
    /** The HTTP status to answer with (e.g. 400, 401, 403, 413, 429, 500, 507). */
    readonly status: number;
    /**
     * ntfy's error code in the JSON body. @default {40009 for 400, 40101, 40301, 41303 for
     * 413, 42901 for 429, 50001 for 500, 50701 for 507, else status * 100 + 1}
     */
    readonly code?: number;
    /** Sends `Retry-After` with this many seconds; ntfy itself never sends one. */
    readonly retryAfterSecs?: number;
    /** Sends this raw `Retry-After` value (e.g. an HTTP date) instead. */
    readonly retryAfter?: string;
  }
  | {
    /** Never answers, until the client gives up or the server closes. */
    readonly hang: true;
  };

/**
 * A token bucket per remote IP, like ntfy's visitor request limit: `burst` requests at
 * once, then one more each `1 / refillPerSec` seconds of the server's clock; over it, 429
 * with code 42901 and, as on ntfy.sh, no `Retry-After`. Publishes, clears and deletes count.
 */
export interface NtfyRateLimit {
  /** Requests allowed at once (ntfy: 60). */
  readonly burst: number;
  /** Requests added back per second (ntfy: 0.2). */
  readonly refillPerSec: number;
}

/** Options for {@linkcode startNtfyServer}. */
export interface NtfyServerOptions {
  /** Port to listen on; 0 picks a free one. @default {0} */
  port?: number;
  /** Users and their passwords for Basic auth. Setting users or tokens turns auth on. */
  users?: Record<string, string>;
  /** Valid access tokens (`tk_…`) for Bearer auth. */
  tokens?: string[];
  /** Whether anonymous publishing is refused with 403 (40301). @default {false} */
  requireAuth?: boolean;
  /** Rate limiting per remote IP; off unless given. */
  rateLimit?: NtfyRateLimit;
  /**
   * Whether the server knows sequence ids (ntfy 2.16 and later). `false` behaves like an
   * older server: sequence ids are ignored and the clear, delete and `/<topic>/<id>` paths
   * answer 404 (40401). @default {true}
   */
  sequenceIds?: boolean;
  /**
   * The server's clock in milliseconds since the epoch: message times, delays, the phone
   * view and the rate limit's refill follow it. @default {Date.now}
   */
  now?: () => number;
  /** Called with each accepted message, right after it is recorded. */
  onMessage?: (message: ReceivedMessage) => void;
  /** Pause between keepalive events on subscriptions. @default {45000} */
  keepaliveMs?: number;
}

/** What happened at the server, in order: a message, or a sequence cleared or deleted. */
export interface NtfyEvent {
  /** `message` for a publish; `message_clear` and `message_delete` as ntfy names them. */
  readonly event: "message" | "message_clear" | "message_delete";
  /** The event's id (for a message, the message's id). */
  readonly id: string;
  /** The topic. */
  readonly topic: string;
  /** The sequence id; for a message without one, undefined. */
  readonly sequenceId?: string;
  /** Unix seconds of the server's clock (for a delayed message, its delivery time). */
  readonly time: number;
}

/** A message the server accepted, with the request it came in. */
export interface ReceivedMessage {
  /** The id ntfy answered with. */
  readonly id: string;
  /** Unix seconds: now, or the delivery time for a delayed message. */
  readonly time: number;
  /** The topic. */
  readonly topic: string;
  /** The message text as ntfy stores it (trimmed; `triggered` when empty). */
  readonly message: string;
  /** The title, if any. */
  readonly title?: string;
  /** The priority 1-5; 3 when the request gave none. */
  readonly priority: number;
  /** Tags, in order; empty when none. */
  readonly tags: readonly string[];
  /** The click URL, if any. */
  readonly click?: string;
  /** The icon URL, if any. */
  readonly icon?: string;
  /** Action buttons as ntfy parsed them (without their random ids). */
  readonly actions?: readonly ParsedAction[];
  /** Whether the message is Markdown. */
  readonly markdown: boolean;
  /** The delay as sent, if any. */
  readonly delay?: string;
  /** The attachment URL, if any. */
  readonly attach?: string;
  /** The attachment file name as sent, if any. */
  readonly filename?: string;
  /** The e-mail address, if any. */
  readonly email?: string;
  /** The sequence id the server took (never on a server without sequence ids). */
  readonly sequenceId?: string;
  /** The HTTP method. */
  readonly method: string;
  /** The request path (without query). */
  readonly path: string;
  /** The query parameters. */
  readonly query: Readonly<Record<string, string>>;
  /** The request headers, names in lower case, values as sent (still encoded). */
  readonly headers: Readonly<Record<string, string>>;
  /** The `Authorization` value used: the header, or the one decoded from `auth=`. */
  readonly authorization?: string;
  /** The authenticated user name, or `token` for a bearer token. */
  readonly user?: string;
  /** `performance.now()` when the message was recorded. */
  readonly receivedAt: number;
}
