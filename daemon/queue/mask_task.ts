/**
 * Hides secrets in a task before it is shown (`queue list`, logs, status).
 *
 * @module
 */

import type { NotificationTask, NtfyAction } from "../../protocol/mod.ts";
import { SECRET_MASK } from "../../core/secret_mask.ts";

const SECRET_HEADER = /authorization|cookie|token|secret|password|api[-_]?key/i;

function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password && !parsed.username) return url;
    if (parsed.password) parsed.password = SECRET_MASK;
    return parsed.toString();
  } catch {
    return url;
  }
}

function maskAction(action: NtfyAction): NtfyAction {
  if (!action.headers) return action;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(action.headers)) {
    headers[name] = SECRET_HEADER.test(name) ? SECRET_MASK : value;
  }
  return { ...action, headers };
}

/**
 * A copy of `task` fit for display: the bearer token or basic password in `target.auth`,
 * a password in the server URL, and secret-looking action headers read `********`.
 *
 * @example
 * ```ts
 * import { maskTask } from "./mask_task.ts";
 *
 * const masked = maskTask({
 *   target: { serverUrl: "https://ntfy.sh", topic: "t", auth: { type: "bearer", token: "tk_1" } },
 *   message: { body: "hi" },
 *   origin: { event: "test", createdAt: 0 },
 * });
 * console.log(masked.target.auth); // { type: "bearer", token: "********" }
 * ```
 */
export function maskTask(task: NotificationTask): NotificationTask {
  const { auth } = task.target;
  const target = {
    ...task.target,
    serverUrl: maskUrl(task.target.serverUrl),
    ...(auth === undefined ? {} : {
      auth: auth.type === "bearer"
        ? { type: "bearer" as const, token: SECRET_MASK }
        : { type: "basic" as const, username: auth.username, password: SECRET_MASK },
    }),
  };
  const message = task.message.actions
    ? { ...task.message, actions: task.message.actions.map(maskAction) }
    : task.message;
  return { ...task, target, message };
}
