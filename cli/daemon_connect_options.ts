/**
 * How each part of the CLI reaches the daemon: one table of callers, each with its name in
 * the daemon's log and its patience. Apart from `connect_daemon.ts`, which loads the
 * session client: the hook needs only these options, and loads as little as it can.
 *
 * @module
 */

import type { ConnectOptions } from "../client/connect_options.ts";
import type { DaemonPaths } from "../client/paths.ts";

/** Who is calling the daemon. */
export type DaemonCaller = "hook" | "cli" | "queue" | "doctor" | "test" | "replace";

/** What a caller is called and how long it waits to connect and for each answer. */
const CALLERS: Readonly<
  Record<DaemonCaller, Pick<ConnectOptions, "clientName" | "connectTimeoutMs" | "requestTimeoutMs">>
> = {
  // Runs on every Claude Code event: it gives up early and spools instead, well within the
  // 10 s Claude Code gives it (see tests/cli/hook/hook_deadlines_test.ts).
  hook: { clientName: "claude-ntfy-hook", connectTimeoutMs: 1_000, requestTimeoutMs: 4_000 },
  cli: { clientName: "claude-ntfy-cli", connectTimeoutMs: 2_000, requestTimeoutMs: 10_000 },
  queue: { clientName: "claude-ntfy-queue", connectTimeoutMs: 2_000, requestTimeoutMs: 10_000 },
  doctor: { clientName: "claude-ntfy-doctor", connectTimeoutMs: 1_000, requestTimeoutMs: 2_000 },
  test: { clientName: "claude-ntfy-test", connectTimeoutMs: 1_000, requestTimeoutMs: 10_000 },
  replace: { clientName: "claude-ntfy-replace", connectTimeoutMs: 2_000, requestTimeoutMs: 10_000 },
};

/**
 * The options to reach the daemon at `paths` as `caller`.
 *
 * @param paths The daemon's paths (socket and token file).
 * @param caller Who is calling.
 * @param overrides Anything that differs for this call (a protocol version, a timeout).
 * @returns Options for `connect` or `requestOnce`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveDaemonPaths } from "../client/paths.ts";
 * import { daemonConnectOptions } from "./daemon_connect_options.ts";
 *
 * const options = daemonConnectOptions(resolveDaemonPaths({ homeDir: "/home/ada" }), "hook");
 * assert.equal(options.clientName, "claude-ntfy-hook");
 * assert.equal(options.tokenPath, "/home/ada/.claude/ntfy-service/daemon.token");
 * ```
 */
export function daemonConnectOptions(
  paths: DaemonPaths,
  caller: DaemonCaller,
  overrides: Partial<ConnectOptions> = {},
): ConnectOptions {
  return {
    socketPath: paths.socketPath,
    tokenPath: paths.tokenPath,
    ...CALLERS[caller],
    ...overrides,
  };
}
