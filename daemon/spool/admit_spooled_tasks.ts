/**
 * Takes the tasks hooks spooled while no daemon answered into the durable queue: the ones
 * there at start, then each as it appears.
 *
 * @module
 */

import type { AcceptTask } from "../accept_task.ts";
import type { TakeEvent } from "../event_intake.ts";
import { DaemonError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { DurableQueue } from "../queue/durable_queue.ts";
import { SpoolIngester } from "./spool_ingester.ts";
import { errorMessage } from "../../protocol/error_message.ts";

/** What {@linkcode admitSpooledTasks} needs. */
export interface SpoolAdmissionDeps {
  /** Takes a spooled task in, with the id `spool-<file name>`. */
  readonly acceptTask: AcceptTask;
  /** Resolves a spooled raw event and takes its task in, with the id `spool-<file name>`. */
  readonly takeEvent: TakeEvent;
  /** Tells whether a task with this id is already held (a file whose deletion failed). */
  readonly queue: Pick<DurableQueue, "has">;
  /** Where warnings and the first pass's summary go. */
  readonly log: Pick<Logger, "info" | "warn" | "error">;
}

/**
 * Starts watching the spool folder and returns the ingester (close it at shutdown). A
 * task for a server the daemon may not reach is moved to `rejected/`; any other failure
 * (a full queue, say) leaves the file for a later pass.
 *
 * @example Admitting spooled tasks until shutdown
 * ```ts ignore
 * const { spool, firstPass } = admitSpooledTasks(paths.spoolDir, { acceptTask, takeEvent, queue, log });
 * await firstPass; // what hooks spooled before the daemon ran is queued first
 * // …
 * await spool.close();
 * ```
 */
export function admitSpooledTasks(
  spoolDir: string,
  deps: SpoolAdmissionDeps,
): { readonly spool: SpoolIngester; readonly firstPass: Promise<void> } {
  const { acceptTask, takeEvent, queue, log } = deps;
  const spool = new SpoolIngester(spoolDir, {
    onWarning: (message) => log.warn("spool", { warning: message }),
  });
  const ingested = spool.watch(async (entry, fileName) => {
    const id = `spool-${fileName.replace(/\.(task|event)$/, "")}`;
    if (queue.has(id)) return;
    try {
      if (entry.kind === "event") {
        const { payload, context } = entry.request;
        await takeEvent(payload, context, id);
      } else {
        await acceptTask(entry.task, id);
      }
    } catch (error) {
      // A full queue or a shutdown is worth another pass; a refusal of the task or event
      // itself (a host it may not reach, bad input, a config that cannot be used) is not.
      if (error instanceof DaemonError && !error.retryable) return { reject: error.message };
      throw error;
    }
    return undefined;
  });
  const firstPass = ingested.then((summary) => {
    if (summary.ingested > 0 || summary.rejected > 0) log.info("spool ingested", { ...summary });
  }, (error) => log.error("spool ingest failed", { error: errorMessage(error) }));
  return { spool, firstPass };
}
