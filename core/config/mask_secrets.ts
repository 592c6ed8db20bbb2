/**
 * Hiding secrets before configuration is shown.
 *
 * @module
 */

import type { Config } from "./config.ts";
import { SECRET_MASK } from "../secret_mask.ts";

/**
 * Returns a copy of the configuration with `ntfy.auth_token`, `ntfy.password` and
 * `approval.reply_token` replaced by `SECRET_MASK` (when set), for `config show` and logs.
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
  if (copy.ntfy.auth_token !== undefined) copy.ntfy.auth_token = SECRET_MASK;
  if (copy.ntfy.password !== undefined) copy.ntfy.password = SECRET_MASK;
  if (copy.approval.reply_token !== undefined) copy.approval.reply_token = SECRET_MASK;
  return copy;
}
