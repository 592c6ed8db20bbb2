/**
 * Masking secrets in notification text: a pure redactor with built-in rules for the
 * shapes secrets take in commands, config files, URLs and replies, plus extra patterns.
 *
 * @example
 * ```ts
 * import { SecretRedactor } from "./mod.ts";
 *
 * console.log(new SecretRedactor().redact("export API_KEY=abc123def")); // export API_KEY=***
 * ```
 *
 * @module
 */

export * from "./secret_redactor.ts";
