/**
 * Which files in the spool folder are spooled work: raw events (`.event`) and resolved
 * tasks (`.task`), not hidden temp files or the `rejected/` folder.
 *
 * @module
 */

import { SPOOL_EVENT_EXTENSION, SPOOL_TASK_EXTENSION } from "./write_spool_file.ts";

/**
 * Whether a file in the spool folder holds spooled work.
 *
 * @param name The file's name.
 * @returns True for a `.event` or `.task` file that is not hidden (a temp file is).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isSpoolFileName } from "./spool_files.ts";
 *
 * assert.equal(isSpoolFileName("000001700000000-42-abcd1234.event"), true);
 * assert.equal(isSpoolFileName(".000001700000000-42-abcd1234.event.5f3a9c2e.tmp"), false);
 * ```
 */
export function isSpoolFileName(name: string): boolean {
  return (name.endsWith(SPOOL_TASK_EXTENSION) || name.endsWith(SPOOL_EVENT_EXTENSION)) &&
    !name.startsWith(".");
}

/**
 * How many events and tasks wait in the spool folder for a daemon.
 *
 * @param spoolDir The spool folder.
 * @returns The count; 0 when the folder does not exist or cannot be read.
 *
 * @example
 * ```ts
 * import { countSpoolFiles } from "./spool_files.ts";
 *
 * console.log(countSpoolFiles("/nonexistent/spool")); // 0
 * ```
 */
export function countSpoolFiles(spoolDir: string): number {
  try {
    let count = 0;
    for (const entry of Deno.readDirSync(spoolDir)) {
      if (entry.isFile && isSpoolFileName(entry.name)) count++;
    }
    return count;
  } catch {
    return 0;
  }
}
