/**
 * The durable queue: the task journal that makes an acknowledged submit survive a crash,
 * and the dead-letter store for tasks given up on.
 *
 * @example
 * ```ts
 * import { DeadLetterStore, Journal } from "./mod.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const { journal, pending } = await Journal.open(`${dir}/journal`);
 * const { store } = await DeadLetterStore.open(`${dir}/dead-letters.jsonl`);
 * console.log(pending.length, store.size); // 0 0
 * await journal.close();
 * await store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */

export * from "./journal.ts";
export * from "./journal_entry.ts";
export * from "./journal_options.ts";
export * from "./dead_letters.ts";
export * from "./mask_task.ts";
export * from "./queue_error.ts";
export * from "./durable_queue.ts";
export * from "./durable_queue_options.ts";
