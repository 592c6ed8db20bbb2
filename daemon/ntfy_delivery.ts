/**
 * How the daemon delivers to ntfy: the publisher with sequence ids where the server has
 * them, the classification of its errors (a 429 is the server's rate limit, unless it is
 * for failed logins) and the retry backoff.
 *
 * @module
 */

import { NtfyError } from "../core/ntfy/errors.ts";
import { retryDelayMs } from "../core/ntfy/retry_policy.ts";
import { publishWithSequences, SequenceSupport } from "../core/ntfy/sequence_support.ts";
import type { PublishFailure } from "./delivery/delivery_engine_options.ts";
import type { QueueDelivery } from "./queue/durable_queue_options.ts";
import { errorMessage } from "../protocol/error_message.ts";

/** ntfy's code for too many failed logins: a 429 that waiting does not fix. */
const AUTH_FAILURE_LIMIT_CODE = 42909;

/** The longest backoff between two attempts. */
const MAX_RETRY_DELAY_MS = 10 * 60 * 1000;

/** Options for {@linkcode ntfyDelivery}. */
export interface NtfyDeliveryOptions {
  /** Which servers lack sequence ids; one for the daemon's lifetime. @default {a new one} */
  readonly support?: SequenceSupport;
  /** The `fetch` requests go through. @default {globalThis.fetch} */
  readonly fetch?: typeof fetch;
}

/**
 * The daemon's delivery: publish, classify, retry delay.
 *
 * @example
 * ```ts
 * import { ntfyDelivery } from "./ntfy_delivery.ts";
 * import { NtfyError } from "../core/ntfy/errors.ts";
 *
 * const delivery = ntfyDelivery();
 * const limited = new NtfyError("ntfy rejected the message: 42901 limit reached (HTTP 429)", {
 *   kind: "http", httpStatus: 429, ntfyCode: 42901, retryable: true,
 * });
 * console.log(delivery.classify(limited).rateLimit); // {}: wait for the server, no attempt
 * ```
 */
export function ntfyDelivery(options: NtfyDeliveryOptions = {}): QueueDelivery {
  const support = options.support ?? new SequenceSupport();
  const fetch = options.fetch;
  return {
    publish: (task, signal) =>
      publishWithSequences(task, { signal, support, ...(fetch ? { fetch } : {}) }),
    classify: classifyPublishError,
    retryDelayMs(attempt, error, baseDelayMs) {
      if (!(error instanceof NtfyError)) {
        return Math.min(baseDelayMs * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
      }
      return retryDelayMs(attempt, error, { baseDelayMs, maxDelayMs: MAX_RETRY_DELAY_MS });
    },
  };
}

/** What a failed publish means for the engine. */
export function classifyPublishError(error: unknown): PublishFailure {
  if (error instanceof NtfyError) {
    const rateLimited = error.httpStatus === 429 && error.ntfyCode !== AUTH_FAILURE_LIMIT_CODE;
    const retryAfterMs = error.retryAfterMs;
    return {
      retryable: error.retryable,
      message: error.message,
      ...(rateLimited ? { rateLimit: retryAfterMs === undefined ? {} : { retryAfterMs } } : {}),
    };
  }
  return { retryable: true, message: errorMessage(error) };
}
