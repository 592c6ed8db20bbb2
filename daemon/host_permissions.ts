/**
 * Whether the daemon may reach a task's ntfy server: it runs with `--allow-net` scoped to
 * the servers its config named at start, so a task for any other server would fail on
 * every attempt. Such a task is refused up front with a message that says how to fix it.
 *
 * @module
 */

import { ErrorCode, type NotificationTask } from "../protocol/mod.ts";
import { hostPort } from "../core/ntfy/host_port.ts";
import { DaemonError } from "./errors.ts";

/** Whether the process may connect to `host` (`host:port`). */
export type NetPermissionQuery = (host: string) => boolean;

/** Asks Deno whether `net` access to `host` is granted, without prompting. */
function queryDeno(host: string): boolean {
  return Deno.permissions.querySync({ name: "net", host }).state === "granted";
}

/**
 * The host check, with its answers cached per server URL until {@linkcode HostPermissions.clear}.
 *
 * @example Refusing a task for a server the daemon may not reach
 * ```ts
 * import { HostPermissions } from "./host_permissions.ts";
 *
 * const hosts = new HostPermissions((host) => host === "ntfy.sh:443");
 * console.log(hosts.permitted("https://ntfy.sh")); // true
 * console.log(hosts.permitted("http://ntfy.example")); // false
 * ```
 */
export class HostPermissions {
  readonly #query: NetPermissionQuery;
  readonly #cache = new Map<string, boolean>();

  /** Checks with `query`. @default {Deno.permissions.querySync} */
  constructor(query: NetPermissionQuery = queryDeno) {
    this.#query = query;
  }

  /** Whether the daemon may connect to the server at `serverUrl`. */
  permitted(serverUrl: string): boolean {
    let allowed = this.#cache.get(serverUrl);
    if (allowed === undefined) {
      allowed = this.#query(hostPort(serverUrl));
      this.#cache.set(serverUrl, allowed);
    }
    return allowed;
  }

  /**
   * Throws unless the daemon may reach the task's server.
   *
   * @throws {DaemonError} `HOST_NOT_PERMITTED`, not retryable.
   */
  check(task: NotificationTask): void {
    if (!this.permitted(task.target.serverUrl)) {
      throw new DaemonError(
        ErrorCode.HostNotPermitted,
        `The daemon has no network permission for ${new URL(task.target.serverUrl).host}: ` +
          `add the server to the config, then restart the daemon ` +
          `(claude-ntfy daemon stop && claude-ntfy daemon start)`,
      );
    }
  }

  /** Forgets every answer (on reload). */
  clear(): void {
    this.#cache.clear();
  }
}
