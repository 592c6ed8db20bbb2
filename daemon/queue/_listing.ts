// How held tasks and dead letters are shown by a `queue` request: credentials masked, the
// body cut to a preview.

import type { DeadTask, HeldTask, HeldTaskState, NotificationTask } from "../../protocol/mod.ts";
import type { EngineTaskState, QueuedTask } from "../delivery/delivery_engine.ts";
import type { DeadLetterRecord } from "./dead_letters.ts";
import { maskTask } from "./mask_task.ts";

/** Longest message body shown; longer ones are cut with an ellipsis. */
const PREVIEW_CHARS = 200;

/** A task as listed: credentials masked, body cut to a preview. */
function forListing(task: NotificationTask): NotificationTask {
  const masked = maskTask(task);
  const body = masked.message.body;
  return body.length <= PREVIEW_CHARS ? masked : {
    ...masked,
    message: { ...masked.message, body: `${body.slice(0, PREVIEW_CHARS)}…` },
  };
}

/**
 * A held task as listed. One held until later is listed as `queued` (the protocol's states
 * predate holding); its task's `notBefore` tells the two apart.
 */
export function listedTask(entry: QueuedTask, state: EngineTaskState): HeldTask {
  const listed: HeldTaskState = state === "held" ? "queued" : state;
  return {
    id: entry.id,
    state: listed,
    attempts: entry.attempts,
    ...(entry.lastError === undefined ? {} : { lastError: entry.lastError }),
    task: forListing(entry.task),
  };
}

/** A dead letter as listed. */
export function listedDeadLetter(letter: DeadLetterRecord): DeadTask {
  return { ...letter, task: forListing(letter.task) };
}
