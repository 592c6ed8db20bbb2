/**
 * Answers every authenticated request but `hello` (which the connection answers itself).
 * One entry per request type in a table: a new request type is a new entry, and the table
 * does not compile until every type in the protocol has one.
 *
 * @module
 */

import type { DaemonStatus, HookContext, Request, Response } from "../protocol/mod.ts";
import type { AcceptTask } from "./accept_task.ts";
import type { EventOutcome } from "./event_intake.ts";
import type { DurableQueue } from "./queue/durable_queue.ts";

/** A request the handler answers. */
export type HandledRequest = Exclude<Request, { type: "hello" }>;

/**
 * Answers one request, at once or later. `connectionClosed` aborts when the client's
 * connection closes: an answer that waits (a permission decision) stops waiting then. For
 * a `submit`, `encodedTask` may give its task's msgpack bytes, read during the call only
 * (see {@linkcode AcceptTask}).
 */
export type RequestHandler = (
  request: HandledRequest,
  connectionClosed?: AbortSignal,
  encodedTask?: Uint8Array,
) => Response | Promise<Response>;

/** What the handler needs from the daemon. */
export interface RequestHandlerDeps {
  /** Takes a resolved task in. */
  readonly acceptTask: AcceptTask;
  /**
   * Resolves a raw hook event and takes its task in; for a hook that waits for a decision
   * (`context.decisionWaitMs`), until `hookGone` aborts.
   */
  readonly takeEvent: (
    payload: Uint8Array,
    context: HookContext,
    hookGone?: AbortSignal,
  ) => Promise<EventOutcome>;
  /** The queue's listing and dead letters. */
  readonly queue: Pick<DurableQueue, "list" | "retryDeadLetters" | "purgeDeadLetters">;
  /** The daemon's status now. */
  status(): DaemonStatus;
  /** Re-reads the configuration; throws when it cannot. */
  reload(): void;
  /** Aborted, with the reason `"shutdown request"`, to shut the daemon down. */
  readonly shutdown: Pick<AbortController, "abort">;
}

type Answer<T extends HandledRequest["type"]> = (
  request: Extract<HandledRequest, { type: T }>,
  deps: RequestHandlerDeps,
  connectionClosed?: AbortSignal,
  encodedTask?: Uint8Array,
) => Response | Promise<Response>;

/** How each request is answered. Requests answered at once stay synchronous. */
const ANSWERS: { readonly [T in HandledRequest["type"]]: Answer<T> } = {
  ping: ({ id }) => ({ type: "ok", id }),
  // A reaction, not an async function: the path of every pipelined Submit.
  submit: ({ id, task }, deps, _connectionClosed, encodedTask) =>
    deps.acceptTask(task, undefined, encodedTask).then((taskId): Response => ({
      type: "ok",
      id,
      taskId,
    })),
  event: async ({ id, payload, context }, deps, connectionClosed) => ({
    type: "ok",
    id,
    ...(await deps.takeEvent(payload, context, connectionClosed)),
  }),
  status: ({ id }, deps) => ({ type: "status", id, status: deps.status() }),
  reload: ({ id }, deps) => {
    deps.reload();
    return { type: "ok", id };
  },
  shutdown: ({ id }, deps) => {
    // The answer is still written: the server lets open connections flush before closing.
    deps.shutdown.abort("shutdown request");
    return { type: "ok", id };
  },
  queue: ({ id }, deps) => ({ type: "queue", id, ...deps.queue.list() }),
  retry: async ({ id, all, taskIds }, deps) => ({
    type: "ok",
    id,
    count: await deps.queue.retryDeadLetters(all ? undefined : taskIds ?? []),
  }),
  purge: async ({ id }, deps) => ({
    type: "ok",
    id,
    count: await deps.queue.purgeDeadLetters(),
  }),
};

/**
 * Builds the daemon's request handler.
 *
 * @example Answering a submit
 * ```ts
 * import { createRequestHandler } from "./request_handler.ts";
 *
 * const handle = createRequestHandler({
 *   acceptTask: () => Promise.resolve("t-1"),
 *   takeEvent: () => Promise.resolve({ skipped: "not enabled" }),
 *   queue: {
 *     list: () => ({ tasks: [], dead: [] }),
 *     retryDeadLetters: () => Promise.resolve(0),
 *     purgeDeadLetters: () => Promise.resolve(0),
 *   },
 *   status: () => {
 *     throw new Error("not asked");
 *   },
 *   reload: () => {},
 *   shutdown: new AbortController(),
 * });
 * const task = {
 *   target: { serverUrl: "https://ntfy.sh", topic: "t" },
 *   message: { body: "hi" },
 *   origin: { event: "test", createdAt: 0 },
 * };
 * console.log(await handle({ type: "submit", id: 1, task })); // { type: "ok", id: 1, taskId: "t-1" }
 * ```
 */
export function createRequestHandler(deps: RequestHandlerDeps): RequestHandler {
  return (request, connectionClosed, encodedTask) =>
    (ANSWERS[request.type] as Answer<typeof request.type>)(
      request,
      deps,
      connectionClosed,
      encodedTask,
    );
}
