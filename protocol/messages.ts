/**
 * The typed messages of the claude-ntfy protocol: requests from a client to the daemon and
 * the daemon's responses. Every request carries an `id`; its response echoes it, so many
 * requests can be in flight on one connection and answers may come back in any order.
 *
 * @module
 */

import type { ErrorCode } from "./errors.ts";
import type { NotificationTask } from "./task.ts";
import type { PermissionDecision } from "./permission_decision.ts";

/**
 * The protocol version spoken by this module. Version 2 added the `event` request (a raw
 * hook event the daemon resolves) and `skipped` on `ok`.
 */
export const PROTOCOL_VERSION = 2;

/**
 * The oldest protocol version a daemon of this module still serves: a version 1 client
 * (for example a program using an older published client) never sends `event`.
 */
export const MIN_PROTOCOL_VERSION = 1;

/** The largest request id; ids are unsigned 32-bit integers, 0 is reserved. */
export const MAX_REQUEST_ID = 0xffff_ffff;

/** Request id used for errors that cannot be tied to any request (e.g. a garbled frame). */
export const CONNECTION_ERROR_ID = 0;

/** First message on every connection: the protocol version and the daemon's token. */
export interface HelloRequest {
  /** Discriminator. */
  readonly type: "hello";
  /** Request id, echoed by the response. */
  readonly id: number;
  /** The client's protocol version. */
  readonly version: number;
  /** The daemon's access token, read from its 0600 token file. */
  readonly token?: string;
  /** A free-form client name for the daemon's logs. */
  readonly client?: string;
}

/** Hand a notification task to the daemon for delivery. */
export interface SubmitRequest {
  /** Discriminator. */
  readonly type: "submit";
  /** Request id, echoed by the response. */
  readonly id: number;
  /** The resolved notification. */
  readonly task: NotificationTask;
}

/**
 * What only the hook process knows about an event: how it was started and where. The
 * daemon combines it with the raw payload and its own configuration.
 */
export interface HookContext {
  /** The hook's `--hook-name` flag or `$CLAUDE_HOOK`, for payloads without `hook_event_name`. */
  readonly hookName?: string;
  /** The hook's `--project` flag or `$CLAUDE_PROJECT_DIR`. */
  readonly projectDir?: string;
  /** The hook process's working directory. */
  readonly cwd: string;
  /**
   * The hook's configuration variables (`CLAUDE_NTFY_*`, `NTFY_*`): they override the
   * config files, as they would for a command run in that shell.
   */
  readonly env: Readonly<Record<string, string>>;
  /** When the hook read the event, in milliseconds since the Unix epoch. */
  readonly receivedAt: number;
  /** Whether stdin was cut at its size limit or its deadline. */
  readonly truncated?: boolean;
  /**
   * An id the hook gives the event, unique on this machine: when the hook cannot tell
   * whether the daemon took the event (no answer in time) it also spools it, and the
   * daemon takes an event id once.
   */
  readonly eventId?: string;
  /**
   * The bytes of `<project>/.claude/ntfy-service/config.toml` when it exists: the daemon
   * may not read arbitrary project folders, so the hook sends the file along.
   */
  readonly projectConfig?: Uint8Array;
  /**
   * How long the hook waits for its answer, in milliseconds, when it can take a decision
   * back to Claude Code (a `PermissionRequest`): the daemon may then ask the phone and
   * answer with `decision` before this runs out. Absent: answer at once.
   */
  readonly decisionWaitMs?: number;
}

/**
 * A raw Claude Code hook event for the daemon to parse, filter, render and queue;
 * answered with `ok` carrying the task id, or `skipped` with the reason nothing is sent.
 */
export interface EventRequest {
  /** Discriminator. */
  readonly type: "event";
  /** Request id, echoed by the response. */
  readonly id: number;
  /** The hook's stdin, unparsed (JSON, but possibly malformed or cut). */
  readonly payload: Uint8Array;
  /** What the hook process knows. */
  readonly context: HookContext;
}

/** Liveness check; answered with `ok`. */
export interface PingRequest {
  /** Discriminator. */
  readonly type: "ping";
  /** Request id, echoed by the response. */
  readonly id: number;
}

/** Ask for the daemon's statistics; answered with `status`. */
export interface StatusRequest {
  /** Discriminator. */
  readonly type: "status";
  /** Request id, echoed by the response. */
  readonly id: number;
}

/** Re-read the daemon's configuration; answered with `ok`. */
export interface ReloadRequest {
  /** Discriminator. */
  readonly type: "reload";
  /** Request id, echoed by the response. */
  readonly id: number;
}

/** Stop the daemon gracefully; answered with `ok` before the daemon goes away. */
export interface ShutdownRequest {
  /** Discriminator. */
  readonly type: "shutdown";
  /** Request id, echoed by the response. */
  readonly id: number;
}

/** List the tasks the daemon holds and its dead letters; answered with `queue`. */
export interface QueueRequest {
  /** Discriminator. */
  readonly type: "queue";
  /** Request id, echoed by the response. */
  readonly id: number;
}

/** Move dead letters back into the queue; answered with `ok` and a `count`. */
export interface RetryRequest {
  /** Discriminator. */
  readonly type: "retry";
  /** Request id, echoed by the response. */
  readonly id: number;
  /** The dead letters to retry; empty or absent with `all` for every one. */
  readonly taskIds?: readonly string[];
  /** Retry every dead letter. */
  readonly all?: boolean;
}

/** Delete every dead letter; answered with `ok` and a `count`. */
export interface PurgeRequest {
  /** Discriminator. */
  readonly type: "purge";
  /** Request id, echoed by the response. */
  readonly id: number;
}

/** Any request a client may send. */
export type Request =
  | HelloRequest
  | SubmitRequest
  | EventRequest
  | PingRequest
  | StatusRequest
  | ReloadRequest
  | ShutdownRequest
  | QueueRequest
  | RetryRequest
  | PurgeRequest;

/** The `type` of a request. */
export type RequestType = Request["type"];

/** All request types, in a stable order. */
export const REQUEST_TYPES: readonly RequestType[] = [
  "hello",
  "submit",
  "event",
  "ping",
  "status",
  "reload",
  "shutdown",
  "queue",
  "retry",
  "purge",
];

/** Success. For `submit`, `taskId` names the queued task. */
export interface OkResponse {
  /** Discriminator. */
  readonly type: "ok";
  /** The id of the request answered. */
  readonly id: number;
  /** The id the daemon gave a submitted task. */
  readonly taskId?: string;
  /** How many tasks a `retry` or `purge` acted on. */
  readonly count?: number;
  /** Why an `event` sends no notification (a filter, a switched-off event, …). */
  readonly skipped?: string;
  /**
   * For an `event` whose context set `decisionWaitMs`: the answer given from the phone to
   * a permission request. Absent when there is none (no answer in time, answered at the
   * terminal, approvals off): Claude Code then decides as it would without the hook.
   */
  readonly decision?: PermissionDecision;
}

/** Failure, with a stable code. */
export interface ErrorResponse {
  /** Discriminator. */
  readonly type: "error";
  /** The id of the request answered, or {@linkcode CONNECTION_ERROR_ID}. */
  readonly id: number;
  /** A stable code from `ErrorCode`. */
  readonly code: ErrorCode | string;
  /** A human-readable explanation. */
  readonly message: string;
  /** Whether trying the same request later may succeed. */
  readonly retryable?: boolean;
}

/** Latency percentiles in microseconds. */
export interface LatencySummary {
  /** Number of samples. */
  readonly count: number;
  /** Median. */
  readonly p50: number;
  /** 90th percentile. */
  readonly p90: number;
  /** 99th percentile. */
  readonly p99: number;
  /** Largest sample. */
  readonly max: number;
}

/** The daemon's state and statistics. */
export interface DaemonStatus {
  /** Always true in a live answer. */
  readonly isRunning: boolean;
  /** The daemon's process id. */
  readonly pid: number;
  /** The daemon's software version. */
  readonly version: string;
  /** Seconds since start. */
  readonly uptimeSecs: number;
  /** The socket the daemon listens on. */
  readonly socketPath: string;
  /** Tasks waiting for delivery (not counting those in flight), held ones included. */
  readonly queueSize: number;
  /** Of those, tasks held until a later time (absent from older daemons). */
  readonly held?: number;
  /** Held tasks cancelled before they were sent, since start (absent from older daemons). */
  readonly cancelled?: number;
  /** Claude Code sessions the daemon is tracking (absent from older daemons). */
  readonly sessions?: number;
  /** Tasks being delivered right now. */
  readonly inFlight: number;
  /** Tasks waiting for a retry. */
  readonly retrying: number;
  /** Tasks delivered since start. */
  readonly delivered: number;
  /** Tasks that failed for good since start. */
  readonly failed: number;
  /** Retries scheduled since start (absent from older daemons). */
  readonly retries?: number;
  /** Tasks in the dead-letter store. */
  readonly dead: number;
  /** Connections accepted since start. */
  readonly connectionsTotal: number;
  /** Connections open now. */
  readonly connectionsActive: number;
  /** Connections refused because the limit was reached (absent from older daemons). */
  readonly connectionsRefused?: number;
  /** Requests handled since start, by type. */
  readonly requests: Readonly<Record<string, number>>;
  /** Frames or messages rejected since start. */
  readonly protocolErrors: number;
  /** Bytes read from clients. */
  readonly bytesIn: number;
  /** Bytes written to clients. */
  readonly bytesOut: number;
  /** Time from a request's arrival to its answer being queued, in microseconds. */
  readonly requestLatencyMicros: LatencySummary;
  /** Time from submit to accepted by ntfy, in microseconds. */
  readonly deliveryLatencyMicros: LatencySummary;
}

/** The daemon's statistics. */
export interface StatusResponse {
  /** Discriminator. */
  readonly type: "status";
  /** The id of the request answered. */
  readonly id: number;
  /** The statistics. */
  readonly status: DaemonStatus;
}

/** Answer to `hello`: the daemon's protocol and software versions. */
export interface HelloResponse {
  /** Discriminator. */
  readonly type: "hello";
  /** The id of the request answered. */
  readonly id: number;
  /** The daemon's protocol version. */
  readonly version: number;
  /** The daemon's software version. */
  readonly daemonVersion: string;
  /** The daemon's process id. */
  readonly pid: number;
}

/** Where a held task is in its delivery. */
export type HeldTaskState = "queued" | "in-flight" | "retrying";

/** A task the daemon holds, with credentials masked. */
export interface HeldTask {
  /** The task's id. */
  readonly id: string;
  /** Where it is in its delivery. */
  readonly state: HeldTaskState;
  /** Failed attempts so far. */
  readonly attempts: number;
  /** The last delivery error. */
  readonly lastError?: string;
  /** The task, with credentials masked. */
  readonly task: NotificationTask;
}

/** A task given up on, with credentials masked. */
export interface DeadTask {
  /** The task's id. */
  readonly id: string;
  /** Why it was given up. */
  readonly reason: string;
  /** Attempts made. */
  readonly attempts: number;
  /** When it was given up, in ms since the Unix epoch. */
  readonly failedAt: number;
  /** The task, with credentials masked. */
  readonly task: NotificationTask;
}

/** The tasks the daemon holds and its dead letters. */
export interface QueueResponse {
  /** Discriminator. */
  readonly type: "queue";
  /** The id of the request answered. */
  readonly id: number;
  /** Queued, in-flight and retrying tasks. */
  readonly tasks: readonly HeldTask[];
  /** Dead letters, oldest first. */
  readonly dead: readonly DeadTask[];
}

/** Any response the daemon may send. */
export type Response =
  | OkResponse
  | ErrorResponse
  | StatusResponse
  | HelloResponse
  | QueueResponse;

/** The `type` of a response. */
export type ResponseType = Response["type"];
