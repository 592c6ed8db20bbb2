/**
 * The software version, read from `deno.json` (its one source) so the CLI, the daemon's
 * `hello` and `status`, and the published package never disagree.
 *
 * @module
 */

import denoJson from "../deno.json" with { type: "json" };

/**
 * The claude-ntfy version, e.g. `0.1.0`.
 *
 * @example
 * ```ts
 * import { VERSION } from "./version.ts";
 *
 * console.log(/^\d+\.\d+\.\d+/.test(VERSION)); // true
 * ```
 */
export const VERSION: string = denoJson.version;
