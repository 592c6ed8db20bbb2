/**
 * claude-ntfy: Claude Code hook events as ntfy push notifications.
 *
 * This module is the public API for other programs: the wire protocol (typed messages,
 * length-prefixed msgpack frames, the notification task) and a client for a running
 * claude-ntfy daemon. `@claude-ntfy/claude-ntfy/protocol` is the protocol alone, and
 * `@claude-ntfy/claude-ntfy/testing` a stand-in daemon to test against.
 *
 * @example Send a notification through a daemon
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveDaemonPaths, submitOnce } from "@claude-ntfy/claude-ntfy";
 * import { startFakeDaemon } from "@claude-ntfy/claude-ntfy/testing";
 *
 * // The user's daemon is at resolveDaemonPaths({ homeDir }): its socketPath and tokenPath.
 * assert.equal(resolveDaemonPaths({ homeDir: "/home/ada" }).tokenPath, "/home/ada/.claude/ntfy-service/daemon.token");
 *
 * // Here, a stand-in that keeps what it is sent.
 * await using daemon = await startFakeDaemon();
 * const id = await submitOnce(daemon.connectOptions, {
 *   target: { serverUrl: "https://ntfy.sh", topic: "claude-alerts-x7q2" },
 *   message: { title: "deploy finished", body: "All green.", tags: ["rocket"] },
 *   origin: { event: "deploy", createdAt: Date.now() },
 * });
 * assert.equal(daemon.tasks[0]?.id, id);
 * ```
 *
 * @module
 */

export * from "./protocol/mod.ts";
export {
  connect,
  type ConnectOptions,
  DaemonClient,
  type EventAck,
  type RequestBody,
  requestOnce,
  sendEventOnce,
  submitOnce,
} from "./client/client.ts";
export {
  ClientError,
  ConnectionClosedError,
  DaemonNotRunningError,
  RemoteError,
  TimeoutError,
} from "./client/errors.ts";
export {
  type DaemonPaths,
  MAX_SOCKET_PATH_BYTES,
  type PathInputs,
  resolveDaemonPaths,
} from "./client/paths.ts";
