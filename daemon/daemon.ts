/**
 * The daemon: takes its state folder, listens on the socket, answers requests, delivers
 * tasks, reloads on request or SIGHUP, and shuts down gracefully on SIGINT, SIGTERM or a
 * `shutdown` request.
 *
 * @module
 */

import {
  type DaemonStatus,
  ErrorCode,
  type NotificationTask,
  type Request,
  type Response,
} from "../protocol/mod.ts";
import { type ConnectionLimits, DEFAULT_CONNECTION_LIMITS } from "./connection.ts";
import { DeliveryEngine, type DeliveryEngineOptions } from "./delivery/delivery_engine.ts";
import { DaemonError } from "./errors.ts";
import { acquireInstance } from "./instance.ts";
import type { Logger, LogLevel } from "./log.ts";
import type { DaemonPaths } from "./paths.ts";
import { DEFAULT_SERVER_LIMITS, type ServerLimits, UnixServer } from "./server.ts";
import { DaemonStats } from "./stats/daemon_stats.ts";

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
  readonly delivery: Pick<DeliveryEngineOptions, "publish" | "classify"> & {
    retryDelayMs(attempt: number, error: unknown, baseDelayMs: number): number | null;
  };
  /** Lifetime limits. @default {DEFAULT_DAEMON_LIMITS} */
  readonly limits?: DaemonLimits;
  /** Whether to install SIGINT/SIGTERM/SIGHUP handlers. @default {true} */
  readonly handleSignals?: boolean;
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

/** Whether the daemon's permissions allow connecting to the host of `serverUrl`. */
function hostPermitted(serverUrl: string, cache: Map<string, boolean>): boolean {
  let allowed = cache.get(serverUrl);
  if (allowed === undefined) {
    const url = new URL(serverUrl);
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    const host = `${url.hostname}:${port}`;
    allowed = Deno.permissions.querySync({ name: "net", host }).state === "granted";
    cache.set(serverUrl, allowed);
  }
  return allowed;
}

/**
 * Starts the daemon and returns once it is listening.
 *
 * @throws {InstanceError} when another daemon holds the state folder or the socket.
 */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const { paths, log } = options;
  const limits = options.limits ?? DEFAULT_DAEMON_LIMITS;
  let settings = options.loadSettings();
  log.setLevel(settings.logLevel);

  const instance = await acquireInstance(paths);
  const stats = new DaemonStats();
  const engine = new DeliveryEngine({
    publish: options.delivery.publish,
    classify: options.delivery.classify,
    retryDelayMs: (attempt, error) =>
      options.delivery.retryDelayMs(attempt, error, settings.retryDelaySecs * 1000),
    maxQueueSize: settings.maxQueueSize,
    retryAttempts: settings.retryAttempts,
    concurrency: limits.concurrency,
    onEvent(event) {
      const { entry } = event;
      const fields = {
        id: entry.id,
        topic: entry.task.target.topic,
        event: entry.task.origin.event,
      };
      if (event.type === "delivered") log.debug("delivered", { ...fields, ntfyId: event.ntfyId });
      else if (event.type === "retry") {
        log.warn("delivery failed, will retry", {
          ...fields,
          attempt: entry.attempts,
          delayMs: Math.round(event.delayMs),
          error: event.error,
        });
      } else log.error("delivery failed for good", { ...fields, reason: event.reason });
    },
  });
  const permittedHosts = new Map<string, boolean>();

  function secretsOf(task: NotificationTask): void {
    const auth = task.target.auth;
    if (auth?.type === "bearer") log.addSecret(auth.token);
    else if (auth?.type === "basic") log.addSecret(auth.password);
  }

  function status(): DaemonStatus {
    return {
      isRunning: true,
      pid: Deno.pid,
      version: options.version,
      uptimeSecs: stats.uptimeSecs(),
      socketPath: paths.socketPath,
      queueSize: engine.queued,
      inFlight: engine.inFlight,
      retrying: engine.retrying,
      delivered: engine.delivered,
      failed: engine.failed,
      dead: engine.deadLetters.length,
      connectionsTotal: stats.connectionsTotal,
      connectionsActive: stats.connectionsActive,
      requests: { ...stats.requests },
      protocolErrors: stats.protocolErrors,
      bytesIn: stats.bytesIn,
      bytesOut: stats.bytesOut,
      requestLatencyMicros: stats.requestLatency(),
      deliveryLatencyMicros: engine.deliveryLatency().summary(),
    };
  }

  function reload(): void {
    settings = options.loadSettings();
    log.setLevel(settings.logLevel);
    engine.configure({
      maxQueueSize: settings.maxQueueSize,
      retryAttempts: settings.retryAttempts,
    });
    permittedHosts.clear();
    log.info("configuration reloaded", {
      logLevel: settings.logLevel,
      maxQueueSize: settings.maxQueueSize,
      retryAttempts: settings.retryAttempts,
    });
  }

  function handle(request: Exclude<Request, { type: "hello" }>): Response {
    switch (request.type) {
      case "ping":
        return { type: "ok", id: request.id };
      case "submit": {
        const task = request.task;
        secretsOf(task);
        if (!hostPermitted(task.target.serverUrl, permittedHosts)) {
          throw new DaemonError(
            ErrorCode.HostNotPermitted,
            `The daemon has no network permission for ${new URL(task.target.serverUrl).host}: ` +
              `add the server to the config, then restart the daemon ` +
              `(claude-ntfy daemon stop && claude-ntfy daemon start)`,
          );
        }
        const taskId = engine.submit(task);
        log.debug("accepted", { id: taskId, topic: task.target.topic, event: task.origin.event });
        return { type: "ok", id: request.id, taskId };
      }
      case "status":
        return { type: "status", id: request.id, status: status() };
      case "reload":
        reload();
        return { type: "ok", id: request.id };
      case "shutdown":
        return { type: "ok", id: request.id };
    }
  }

  let shuttingDown: Promise<void> | undefined;
  let resolveFinished!: () => void;
  const finished = new Promise<void>((resolve) => resolveFinished = resolve);

  let server: UnixServer;
  try {
    server = new UnixServer(paths.socketPath, {
      token: instance.token,
      version: options.version,
      handle,
      onShutdownRequested: () => void shutdown("shutdown request"),
      stats,
      log,
      limits: limits.connection,
    }, limits.server);
    instance.markListening();
  } catch (error) {
    instance.release();
    throw error;
  }
  server.start();

  const signalHandlers: Array<[Deno.Signal, () => void]> = [];
  if (options.handleSignals ?? true) {
    signalHandlers.push(
      ["SIGINT", () => void shutdown("SIGINT")],
      ["SIGTERM", () => void shutdown("SIGTERM")],
      ["SIGHUP", () => {
        try {
          reload();
        } catch (error) {
          log.error("reload failed", { error: (error as Error).message });
        }
      }],
    );
    for (const [signal, handler] of signalHandlers) Deno.addSignalListener(signal, handler);
  }
  log.info("daemon listening", {
    socket: paths.socketPath,
    pid: Deno.pid,
    version: options.version,
  });

  function shutdown(reason: string): Promise<void> {
    shuttingDown ??= (async () => {
      log.info("shutting down", { reason, queued: engine.size });
      engine.stopAccepting();
      await server.close(1_000);
      const drained = await engine.drain(limits.drainTimeoutMs);
      const left = engine.stop();
      if (!drained || left.length > 0) {
        log.warn("shutdown deadline passed with tasks undelivered", {
          undelivered: left.length + engine.inFlight,
        });
      }
      for (const [signal, handler] of signalHandlers) Deno.removeSignalListener(signal, handler);
      instance.release();
      log.info("daemon stopped", { delivered: engine.delivered, failed: engine.failed });
      resolveFinished();
    })();
    return shuttingDown;
  }

  return { finished, shutdown, status };
}
