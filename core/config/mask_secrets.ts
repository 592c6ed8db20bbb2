/**
 * Hiding secrets before configuration is shown.
 *
 * @module
 */

import type { Config } from "./config.ts";

/** What a secret is replaced with. */
export const MASK = "********";

/**
 * Returns a copy of the configuration with `ntfy.auth_token`, `ntfy.password` and
 * `approval.reply_token` replaced by {@linkcode MASK} (when set), for `config show` and logs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultConfig } from "./config.ts";
 * import { maskSecrets } from "./mask_secrets.ts";
 *
 * const config = defaultConfig();
 * config.ntfy.auth_token = "tk_secret";
 * assert.deepEqual(maskSecrets(config).ntfy.auth_token, "********");
 * assert.deepEqual(config.ntfy.auth_token, "tk_secret");
 * ```
 */
export function maskSecrets(config: Config): Config {
  const copy = structuredClone(config);
  if (copy.ntfy.auth_token !== undefined) copy.ntfy.auth_token = MASK;
  if (copy.ntfy.password !== undefined) copy.ntfy.password = MASK;
  if (copy.approval.reply_token !== undefined) copy.approval.reply_token = MASK;
  return copy;
}
