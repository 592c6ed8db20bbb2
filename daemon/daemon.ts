/**
 * The daemon: takes its state folder, listens on the socket, answers requests, delivers
 * tasks, reloads on request or SIGHUP, and shuts down gracefully on SIGINT, SIGTERM or a
 * `shutdown` request.
 *
 * @module
 */

import type { DaemonStatus, NotificationTask, Request, Response } from "../protocol/mod.ts";
import { type ConnectionLimits, DEFAULT_CONNECTION_LIMITS } from "./connection.ts";
import { HostPermissions } from "./host_permissions.ts";
import { acquireInstance } from "./instance.ts";
import type { Logger, LogLevel } from "./log.ts";
import type { DaemonPaths } from "../client/paths.ts";
import { DEFAULT_SERVER_LIMITS, type ServerLimits, UnixServer } from "./server.ts";
import { DaemonStats } from "./stats/daemon_stats.ts";
import { type Durability, DurableQueue, type QueueDelivery } from "./queue/mod.ts";
import { registerTaskSecrets } from "./register_task_secrets.ts";
import { statusSnapshot } from "./status_snapshot.ts";
import { SpoolIngester } from "./spool/mod.ts";

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
  readonly delivery: QueueDelivery;
  /** Lifetime limits. @default {DEFAULT_DAEMON_LIMITS} */
  readonly limits?: DaemonLimits;
  /** Whether to install SIGINT/SIGTERM/SIGHUP handlers. @default {true} */
  readonly handleSignals?: boolean;
  /** How submits are made durable before they are acknowledged; only benchmarks change it. @default {"fsync"} */
  readonly durability?: Durability;
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
  let queue: DurableQueue;
  try {
    queue = await DurableQueue.open({
      journalDir: paths.journalDir,
      deadLetterPath: paths.deadLetterPath,
      durability: options.durability,
      delivery: options.delivery,
      settings,
      concurrency: limits.concurrency,
      log,
    });
  } catch (error) {
    instance.release();
    throw error;
  }
  const hosts = new HostPermissions();

  function admit(task: NotificationTask, id?: string): Promise<string> {
    return queue.admit(task, id);
  }

  function checkHost(task: NotificationTask): void {
    hosts.check(task);
  }

  function secretsOf(task: NotificationTask): void {
    registerTaskSecrets(log, task);
  }

  function status(): DaemonStatus {
    return statusSnapshot({ version: options.version, socketPath: paths.socketPath, stats, queue });
  }

  function reload(): void {
    settings = options.loadSettings();
    log.setLevel(settings.logLevel);
    queue.configure(settings);
    hosts.clear();
    log.info("configuration reloaded", {
      logLevel: settings.logLevel,
      maxQueueSize: settings.maxQueueSize,
      retryAttempts: settings.retryAttempts,
    });
  }

  function listQueue(id: number): Response {
    return { type: "queue", id, ...queue.list() };
  }

  /** Queues dead letters again (all when `ids` is undefined). */
  async function retryDead(id: number, ids: readonly string[] | undefined): Promise<Response> {
    return { type: "ok", id, count: await queue.retryDeadLetters(ids) };
  }

  async function submit(id: number, task: NotificationTask): Promise<Response> {
    secretsOf(task);
    checkHost(task);
    const taskId = await admit(task);
    log.debug("accepted", { id: taskId, topic: task.target.topic, event: task.origin.event });
    return { type: "ok", id, taskId };
  }

  function handle(request: Exclude<Request, { type: "hello" }>): Response | Promise<Response> {
    switch (request.type) {
      case "ping":
        return { type: "ok", id: request.id };
      case "submit":
        return submit(request.id, request.task);
      case "status":
        return { type: "status", id: request.id, status: status() };
      case "reload":
        reload();
        return { type: "ok", id: request.id };
      case "shutdown":
        return { type: "ok", id: request.id };
      case "queue":
        return listQueue(request.id);
      case "retry":
        return retryDead(request.id, request.all ? undefined : request.taskIds ?? []);
      case "purge":
        return queue.purgeDeadLetters().then((count) => ({ type: "ok", id: request.id, count }));
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

  // Tasks hooks spooled while no daemon answered: ingest them now and as they appear.
  const spool = new SpoolIngester(paths.spoolDir, {
    onWarning: (message) => log.warn("spool", { warning: message }),
  });
  const ingested = spool.watch(async (task, fileName) => {
    const id = `spool-${fileName.replace(/\.task$/, "")}`;
    if (queue.has(id)) return;
    secretsOf(task);
    try {
      checkHost(task);
    } catch (error) {
      return { reject: (error as Error).message };
    }
    await admit(task, id);
    log.debug("ingested a spooled task", { id, topic: task.target.topic });
    return undefined;
  });
  ingested.then((summary) => {
    if (summary.ingested > 0 || summary.rejected > 0) log.info("spool ingested", { ...summary });
  }, (error) => log.error("spool ingest failed", { error: (error as Error).message }));

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
      log.info("shutting down", { reason, queued: queue.size });
      queue.stopAccepting();
      await server.close(1_000);
      await spool.close();
      await queue.close(limits.drainTimeoutMs);
      for (const [signal, handler] of signalHandlers) Deno.removeSignalListener(signal, handler);
      instance.release();
      const { delivered, failed } = queue.counts();
      log.info("daemon stopped", { delivered, failed });
      resolveFinished();
    })();
    return shuttingDown;
  }

  return { finished, shutdown, status };
}
