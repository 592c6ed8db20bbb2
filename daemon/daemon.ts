/**
 * The daemon, composed: takes its state folder, opens the durable queue, answers requests
 * on the socket, takes in spooled tasks, reloads on request or SIGHUP, and shuts down
 * gracefully when its one abort signal fires (SIGINT, SIGTERM, a `shutdown` request or
 * {@linkcode RunningDaemon.shutdown}).
 *
 * @module
 */

import { createTaskAcceptor } from "./accept_task.ts";
import { type DaemonOptions, DEFAULT_DAEMON_LIMITS, type RunningDaemon } from "./daemon_options.ts";
import { HostPermissions } from "./host_permissions.ts";
import { acquireInstance } from "./instance.ts";
import type { Logger } from "./log.ts";
import { DurableQueue } from "./queue/mod.ts";
import { createRequestHandler } from "./request_handler.ts";
import { UnixServer } from "./server.ts";
import { admitSpooledTasks } from "./spool/mod.ts";
import { DaemonStats } from "./stats/daemon_stats.ts";
import { statusSnapshot } from "./status_snapshot.ts";
import { EventConfigCache } from "./config_cache.ts";
import { TakenEvents } from "./taken_events.ts";
import { type EventIntake, type TakeEvent, takeEvent as takeEventWith } from "./event_intake.ts";
import { SessionTracker } from "./sessions/mod.ts";
import type { ConfigForEvent } from "../core/events/resolve_hook_event.ts";
import { errorMessage } from "../protocol/error_message.ts";
import { ApprovalDesk } from "./approval/mod.ts";
import type { HookContext } from "../protocol/mod.ts";

export * from "./daemon_options.ts";

/**
 * Starts the daemon and returns once it is listening.
 *
 * @throws {InstanceError} when another daemon holds the state folder or the socket.
 */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const { paths, log, version } = options;
  const limits = options.limits ?? DEFAULT_DAEMON_LIMITS;
  const settings = options.loadSettings();
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
  const acceptTask = createTaskAcceptor({ queue, hosts, log });
  const sessions = new SessionTracker();
  // Notifications a restart found held: activity in their sessions can still cancel them.
  sessions.adopt(queue.heldTasks());
  const approvals = new ApprovalDesk({
    acceptTask,
    cancelTask: (id) => queue.cancel(id),
    log,
    stateDir: paths.stateDir,
    ...options.approvals,
  });
  const intake: EventIntake = {
    configFor: options.configFor ?? configOverHome(),
    acceptTask,
    log,
    sessions,
    cancelTask: (id) => queue.cancel(id),
    observe: (event) => approvals.observe(event),
    taken: new TakenEvents(),
  };
  const takeEvent: TakeEvent = (payload, context, id) =>
    takeEventWith(payload, context, intake, id);
  // A hook that waits for a decision may get one from the phone, until it goes away.
  const answerEvent = (payload: Uint8Array, context: HookContext, hookGone?: AbortSignal) => {
    const waitLimitMs = context.decisionWaitMs;
    if (hookGone === undefined || waitLimitMs === undefined) return takeEvent(payload, context);
    return takeEventWith(payload, context, {
      ...intake,
      approve: (toSend) => approvals.ask({ ...toSend, waitLimitMs, signal: hookGone }),
    });
  };
  const stopping = new AbortController();
  const status = () =>
    statusSnapshot({
      version,
      socketPath: paths.socketPath,
      stats,
      queue,
      sessions: sessions.size,
    });
  function reload(): void {
    const next = options.loadSettings();
    log.setLevel(next.logLevel);
    queue.configure(next);
    hosts.clear();
    log.info("configuration reloaded", {
      logLevel: next.logLevel,
      maxQueueSize: next.maxQueueSize,
      retryAttempts: next.retryAttempts,
      digestAfter: next.digestAfter ?? 0,
    });
  }
  const handle = createRequestHandler({
    acceptTask,
    takeEvent: answerEvent,
    queue,
    status,
    reload,
    shutdown: stopping,
  });

  let server: UnixServer;
  try {
    const context = {
      token: instance.token,
      version,
      handle,
      stats,
      log,
      limits: limits.connection,
    };
    server = new UnixServer(paths.socketPath, context, limits.server);
    instance.markListening();
  } catch (error) {
    await queue.close(0);
    instance.release();
    throw error;
  }
  // Tasks hooks spooled while no daemon answered: now and as they appear. The socket
  // already listens (hooks connecting now wait in its backlog), but requests are served only
  // after the spool's first pass, so that notifications keep the order their events came in
  // and sessions see the spooled events before any a hook sends now.
  const { spool, firstPass } = admitSpooledTasks(paths.spoolDir, {
    acceptTask,
    takeEvent,
    queue,
    log,
  });
  await firstPass;
  const served = server.serve(stopping.signal);
  const removeSignalListeners = options.handleSignals ?? true
    ? listenForSignals(stopping, reload, log)
    : () => {};
  log.info("daemon listening", { socket: paths.socketPath, pid: Deno.pid, version });

  async function stop(): Promise<void> {
    log.info("shutting down", { reason: String(stopping.signal.reason), queued: queue.size });
    // Waiting hooks get their answer (no decision) and the notifications' clears are queued.
    await approvals.close();
    queue.stopAccepting();
    await served;
    await spool.close();
    await queue.close(limits.drainTimeoutMs);
    removeSignalListeners();
    instance.release();
    const { delivered, failed } = queue.counts();
    log.info("daemon stopped", { delivered, failed });
  }
  const finished = new Promise<void>((resolve) => {
    stopping.signal.addEventListener("abort", () => resolve(stop()), { once: true });
  });
  return {
    finished,
    shutdown(reason) {
      stopping.abort(reason);
      return finished;
    },
    status,
  };
}

/** Event configurations from `$HOME`'s config file, cached. */
function configOverHome(): ConfigForEvent {
  const cache = new EventConfigCache({ homeDir: Deno.env.get("HOME") ?? "/" });
  return (projectDir, context) => cache.configFor(projectDir, context);
}

/**
 * SIGINT and SIGTERM abort `stopping`; SIGHUP reloads. Returns a function that removes
 * the listeners.
 */
function listenForSignals(stopping: AbortController, reload: () => void, log: Logger): () => void {
  const listeners: Array<[Deno.Signal, () => void]> = [
    ["SIGINT", () => stopping.abort("SIGINT")],
    ["SIGTERM", () => stopping.abort("SIGTERM")],
    ["SIGHUP", () => {
      try {
        reload();
      } catch (error) {
        log.error("reload failed", { error: errorMessage(error) });
      }
    }],
  ];
  for (const [signal, listener] of listeners) Deno.addSignalListener(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
  };
}
