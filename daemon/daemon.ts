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
import { HostPermissions } from "./host_permissions.ts";
import { acquireInstance } from "./instance.ts";
import type { Logger, LogLevel } from "./log.ts";
import type { DaemonPaths } from "../client/paths.ts";
import { DEFAULT_SERVER_LIMITS, type ServerLimits, UnixServer } from "./server.ts";
import { DaemonStats } from "./stats/daemon_stats.ts";
import { DeadLetterStore, Journal, type JournalEntry, maskTask, QueueError } from "./queue/mod.ts";
import { MemoryJournal, type TaskJournal } from "./delivery/memory_journal.ts";
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
  readonly delivery: Pick<DeliveryEngineOptions, "publish" | "classify"> & {
    retryDelayMs(attempt: number, error: unknown, baseDelayMs: number): number | null;
  };
  /** Lifetime limits. @default {DEFAULT_DAEMON_LIMITS} */
  readonly limits?: DaemonLimits;
  /** Whether to install SIGINT/SIGTERM/SIGHUP handlers. @default {true} */
  readonly handleSignals?: boolean;
  /**
   * How submits are made durable before they are acknowledged: `fsync` (the journal is
   * synced to disk), `write` (written, not synced: survives a crash of the daemon but not
   * of the machine) or `memory` (the old in-memory queue; a crash loses everything). Only
   * benchmarks use anything but `fsync`. @default {"fsync"}
   */
  readonly durability?: "fsync" | "write" | "memory";
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

/** Most tasks (and dead letters) listed by a `queue` request, to keep the answer small. */
export const MAX_LISTED = 500;

/** A task as listed: credentials masked, body cut to a preview. */
function forListing(task: NotificationTask): NotificationTask {
  const masked = maskTask(task);
  const body = masked.message.body;
  return body.length <= 200
    ? masked
    : { ...masked, message: { ...masked.message, body: `${body.slice(0, 200)}…` } };
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
  let journal: TaskJournal;
  let deadLetters: DeadLetterStore;
  let replayed: JournalEntry[] = [];
  try {
    const durability = options.durability ?? "fsync";
    const fsync = durability === "fsync";
    if (durability === "memory") journal = new MemoryJournal();
    else {
      const opened = await Journal.open(paths.journalDir, {
        fsync,
        onWarning: (message) => log.warn(message),
      });
      journal = opened.journal;
      replayed = opened.pending;
      for (const warning of opened.warnings) log.warn("journal", { warning });
    }
    const dead = await DeadLetterStore.open(paths.deadLetterPath, { fsync });
    deadLetters = dead.store;
    for (const warning of dead.warnings) log.warn("dead letters", { warning });
  } catch (error) {
    instance.release();
    throw error;
  }
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
      if (event.type === "delivered") {
        journal.markDone(entry.id);
        log.debug("delivered", { ...fields, ntfyId: event.ntfyId });
      } else if (event.type === "retry") {
        journal.markAttempt(entry.id, entry.attempts, event.error);
        log.warn("delivery failed, will retry", {
          ...fields,
          attempt: entry.attempts,
          delayMs: Math.round(event.delayMs),
          error: event.error,
        });
      } else {
        log.error("delivery failed for good", { ...fields, reason: event.reason });
        // Dead letter first, then the journal: a crash in between repeats, never loses.
        deadLetters.add({
          id: entry.id,
          task: entry.task,
          reason: event.reason,
          attempts: entry.attempts,
        }).then(
          () => journal.markDead(entry.id, event.reason),
          (error) => log.error("cannot write dead letter", { id: entry.id, error: error.message }),
        );
      }
    },
  });
  const hosts = new HostPermissions();
  for (const entry of replayed) {
    secretsOf(entry.task);
    engine.submit(entry.task, { id: entry.id, attempts: entry.attempts, admitted: true });
  }
  if (replayed.length > 0) {
    log.info("replayed undelivered tasks from the journal", { count: replayed.length });
  }
  let admitting = 0;

  /** Makes a task durable, then queues it; resolves with its id. */
  async function admit(task: NotificationTask, id?: string): Promise<string> {
    engine.checkCapacity(admitting + 1);
    admitting += 1;
    const taskId = id ?? engine.nextId();
    try {
      await journal.add({ id: taskId, task });
    } catch (error) {
      if (error instanceof QueueError) {
        throw new DaemonError(
          ErrorCode.Internal,
          `Cannot store the task durably: ${error.message}`,
          true,
          { cause: error },
        );
      }
      throw error;
    } finally {
      admitting -= 1;
    }
    engine.submit(task, { id: taskId, admitted: true });
    return taskId;
  }

  function checkHost(task: NotificationTask): void {
    hosts.check(task);
  }

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
      dead: deadLetters.size,
      connectionsTotal: stats.connectionsTotal,
      connectionsActive: stats.connectionsActive,
      requests: stats.requests,
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
    hosts.clear();
    log.info("configuration reloaded", {
      logLevel: settings.logLevel,
      maxQueueSize: settings.maxQueueSize,
      retryAttempts: settings.retryAttempts,
    });
  }

  function listQueue(id: number): Response {
    const tasks = engine.list(MAX_LISTED).map(({ entry, state }) => ({
      id: entry.id,
      state,
      attempts: entry.attempts,
      ...(entry.lastError === undefined ? {} : { lastError: entry.lastError }),
      task: forListing(entry.task),
    }));
    const dead = deadLetters.list().slice(-MAX_LISTED).map((letter) => ({
      id: letter.id,
      reason: letter.reason,
      attempts: letter.attempts,
      failedAt: letter.failedAt,
      task: forListing(letter.task),
    }));
    return { type: "queue", id, tasks, dead };
  }

  /** Queues dead letters again (all when `ids` is undefined); journal first, then remove. */
  async function retryDead(id: number, ids: readonly string[] | undefined): Promise<Response> {
    const letters = ids === undefined ? deadLetters.list() : ids.map((taskId) => {
      const letter = deadLetters.get(taskId);
      if (letter === undefined) {
        throw new DaemonError(ErrorCode.InvalidTask, `No dead letter with id "${taskId}"`);
      }
      return letter;
    });
    engine.checkCapacity(letters.length);
    for (const letter of letters) {
      await admit(letter.task, letter.id);
      await deadLetters.remove(letter.id);
    }
    log.info("retrying dead letters", { count: letters.length });
    return { type: "ok", id, count: letters.length };
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
        return deadLetters.purge().then((count) => {
          log.info("purged dead letters", { count });
          return { type: "ok", id: request.id, count };
        });
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
    if (journal.has(id)) return;
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
      log.info("shutting down", { reason, queued: engine.size });
      engine.stopAccepting();
      await server.close(1_000);
      await spool.close();
      const drained = await engine.drain(limits.drainTimeoutMs);
      const undelivered = engine.size;
      engine.stop();
      if (!drained || undelivered > 0) {
        log.warn("shutdown deadline passed: undelivered tasks stay in the journal", {
          undelivered,
        });
      }
      await journal.close();
      await deadLetters.close();
      for (const [signal, handler] of signalHandlers) Deno.removeSignalListener(signal, handler);
      instance.release();
      log.info("daemon stopped", { delivered: engine.delivered, failed: engine.failed });
      resolveFinished();
    })();
    return shuttingDown;
  }

  return { finished, shutdown, status };
}
