/**
 * Keeps a task's credentials out of the daemon's log.
 *
 * @module
 */

import type { NotificationTask } from "../protocol/mod.ts";
import type { Logger } from "./log.ts";

/**
 * Registers the bearer token or basic password a task carries with the logger, which then
 * redacts it from every line. Called for each task the daemon takes in or replays.
 *
 * @example Redacting a task's token
 * ```ts
 * import { registerTaskSecrets } from "./register_task_secrets.ts";
 * import { Logger } from "./log.ts";
 *
 * const lines: string[] = [];
 * const log = new Logger({ level: "info", sink: (line) => lines.push(line) });
 * registerTaskSecrets(log, {
 *   target: { serverUrl: "https://ntfy.sh", topic: "t", auth: { type: "bearer", token: "tk_1234" } },
 *   message: { body: "hi" },
 *   origin: { event: "test", createdAt: 0 },
 * });
 * log.warn("publish failed", { error: "bad token tk_1234" });
 * console.log(lines[0]?.includes("tk_1234")); // false
 * ```
 */
export function registerTaskSecrets(
  log: Pick<Logger, "addSecret">,
  task: NotificationTask,
): void {
  const auth = task.target.auth;
  if (auth?.type === "bearer") log.addSecret(auth.token);
  else if (auth?.type === "basic") log.addSecret(auth.password);
}
