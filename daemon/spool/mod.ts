/**
 * The spool: hooks drop task files here when the daemon's socket cannot be reached
 * ({@linkcode writeSpoolFile}); the daemon takes them in ({@linkcode SpoolIngester}).
 *
 * @example
 * ```ts
 * import { SpoolIngester } from "./mod.ts";
 * import { writeSpoolFile } from "../../core/spool/write_spool_file.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await writeSpoolFile(dir, {
 *   target: { serverUrl: "https://ntfy.sh", topic: "alerts" },
 *   message: { body: "hi" },
 *   origin: { event: "test", createdAt: 0 },
 * });
 * const ingester = new SpoolIngester(dir);
 * console.log((await ingester.ingestAll(async () => {})).ingested); // 1
 * await ingester.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */

export * from "./spool_ingester.ts";
export * from "./admit_spooled_tasks.ts";
