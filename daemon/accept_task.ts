/**
 * The one way a resolved task enters the daemon, whether it came in a `submit`, from the
 * spool, or (later) resolved from a raw hook event: its credentials are kept out of the log,
 * its server is checked against the daemon's network permission, and it is admitted to the
 * durable queue (journaled, then queued).
 *
 * @module
 */

import type { NotificationTask } from "../protocol/mod.ts";
import type { HostPermissions } from "./host_permissions.ts";
import type { Logger } from "./log.ts";
import type { DurableQueue } from "./queue/durable_queue.ts";
import { registerTaskSecrets } from "./register_task_secrets.ts";

/**
 * Takes a resolved task in and resolves with its id (`id`, or a fresh one) once it is
 * durable. `encodedTask`, when given, is the task as msgpack, journaled as it is (see
 * {@linkcode DurableQueue.admit}).
 *
 * @throws {DaemonError} `HOST_NOT_PERMITTED`, or what {@linkcode DurableQueue.admit} throws.
 */
export type AcceptTask = (
  task: NotificationTask,
  id?: string,
  encodedTask?: Uint8Array,
) => Promise<string>;

/** What {@linkcode createTaskAcceptor} needs. */
export interface TaskAcceptorDeps {
  /** Where accepted tasks go. */
  readonly queue: Pick<DurableQueue, "admit">;
  /** The network permission check. */
  readonly hosts: Pick<HostPermissions, "check">;
  /** Told the task's secrets, and logs each accepted task at debug level. */
  readonly log: Pick<Logger, "addSecret" | "debug" | "enabled">;
}

/**
 * Builds the daemon's {@linkcode AcceptTask}.
 *
 * @example Accepting a task
 * ```ts
 * import { createTaskAcceptor } from "./accept_task.ts";
 * import { HostPermissions } from "./host_permissions.ts";
 * import { Logger } from "./log.ts";
 *
 * const acceptTask = createTaskAcceptor({
 *   queue: { admit: (_task, id) => Promise.resolve(id ?? "t-1") },
 *   hosts: new HostPermissions((host) => host === "ntfy.sh:443"),
 *   log: new Logger({ level: "error", sink: () => {} }),
 * });
 * const taskId = await acceptTask({
 *   target: { serverUrl: "https://ntfy.sh", topic: "t" },
 *   message: { body: "hi" },
 *   origin: { event: "test", createdAt: 0 },
 * });
 * console.log(taskId); // "t-1"
 * ```
 */
export function createTaskAcceptor(deps: TaskAcceptorDeps): AcceptTask {
  const { queue, hosts, log } = deps;
  // Not an async function: on the path of every Submit, each promise layer costs more than
  // the checks it wraps. Failures still come as a rejected promise, never a throw.
  return (task, id, encodedTask) => {
    try {
      registerTaskSecrets(log, task);
      hosts.check(task);
    } catch (error) {
      return Promise.reject(error);
    }
    const admitted = queue.admit(task, id, encodedTask);
    if (!log.enabled("debug")) return admitted;
    return admitted.then((taskId) => {
      log.debug("accepted", { id: taskId, topic: task.target.topic, event: task.origin.event });
      return taskId;
    });
  };
}
