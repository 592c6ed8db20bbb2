/**
 * What the daemon is started with ({@linkcode DaemonOptions}), its settings and limits, and
 * what a started daemon offers ({@linkcode RunningDaemon}).
 *
 * @module
 */

import type { ConfigForEvent } from "../core/events/resolve_hook_event.ts";
import type { ApprovalDeskOptions } from "./approval/approval_desk.ts";
import type { DaemonStatus } from "../protocol/mod.ts";
import type { DaemonPaths } from "../client/paths.ts";
import { type ConnectionLimits, DEFAULT_CONNECTION_LIMITS } from "./connection.ts";
import type { Logger, LogLevel } from "./log.ts";
import type { Durability, QueueDelivery } from "./queue/durable_queue_options.ts";
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from "./server.ts";

/** Settings the daemon reads from config and re-reads on reload. */
export interface DaemonSettings {
  /** Log level. */
  readonly logLevel: LogLevel;
  /** Most tasks held at once. */
  readonly maxQueueSize: number;
  /** Retries before a task goes to the dead letters. */
  readonly retryAttempts: number;
  /** Base delay of the exponential backoff, in seconds. */
  readonly retryDelaySecs: number;
  /** Notifications to one topic sent alone within the window; more go as a digest. @default {0} */
  readonly digestAfter?: number;
  /** The digest window, in seconds. @default {10} */
  readonly digestWindowSecs?: number;
}

/** Settings fixed for the daemon's lifetime. */
export interface DaemonLimits {
  /** Deliveries at once. */
  readonly concurrency: number;
  /** How long shutdown waits for the queue to drain. */
  readonly drainTimeoutMs: number;
  /** Server limits. */
  readonly server: ServerLimits;
  /** Per-connection limits. */
  readonly connection: ConnectionLimits;
}

/** Default lifetime limits. */
export const DEFAULT_DAEMON_LIMITS: DaemonLimits = {
  concurrency: 8,
  drainTimeoutMs: 5_000,
  server: DEFAULT_SERVER_LIMITS,
  connection: DEFAULT_CONNECTION_LIMITS,
};

/** Everything the daemon needs. */
export interface DaemonOptions {
  /** Where its files live. */
  readonly paths: DaemonPaths;
  /** The software version reported in `hello` and `status`. */
  readonly version: string;
  /** Reads the settings; called at start and on every reload. */
  loadSettings(): DaemonSettings;
  /** The logger. */
  readonly log: Logger;
  /** How tasks are published, classified and retried. */
  readonly delivery: QueueDelivery;
  /** Lifetime limits. @default {DEFAULT_DAEMON_LIMITS} */
  readonly limits?: DaemonLimits;
  /**
   * The configuration a hook event resolves with.
   * @default {an EventConfigCache over `$HOME`'s config file}
   */
  readonly configFor?: ConfigForEvent;
  /** Whether to install SIGINT/SIGTERM/SIGHUP handlers. @default {true} */
  readonly handleSignals?: boolean;
  /**
   * How submits are made durable before they are acknowledged; only benchmarks use anything
   * but `fsync`. @default {"fsync"}
   */
  readonly durability?: Durability;
  /** Approval timing and I/O, for tests. @default {the real clock, fetch and timings} */
  readonly approvals?: Partial<
    Pick<ApprovalDeskOptions, "fetch" | "lingerMs" | "now" | "random" | "subscription">
  >;
}

/** A started daemon. */
export interface RunningDaemon {
  /** Resolves when the daemon has shut down and removed its files. */
  readonly finished: Promise<void>;
  /** Starts a graceful shutdown (idempotent). */
  shutdown(reason: string): Promise<void>;
  /** The current status. */
  status(): DaemonStatus;
}
