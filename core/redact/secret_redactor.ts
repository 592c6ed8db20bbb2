/**
 * Masking what looks like a secret in notification text before it leaves the machine.
 *
 * @module
 */

import { MASK, MASKED_PREFIX, SECRET_RULES } from "./_secret_rules.ts";

export { MASK as SECRET_MASK } from "./_secret_rules.ts";

/** What {@linkcode SecretRedactor} masks besides its built-in rules. */
export interface SecretRedactorOptions {
  /**
   * Extra regular expressions (JavaScript syntax); every match is masked whole.
   * @default {[]}
   */
  readonly patterns?: readonly string[];
  /** Literal secrets to mask wherever they appear (the configured ntfy credentials). */
  readonly secrets?: readonly string[];
  /**
   * Whether a masked token keeps its well-known prefix (`ghp_***`, `AKIA***`). Off, the
   * whole token becomes `***`, and so does a prefix left by an earlier pass.
   * @default {true}
   */
  readonly keepPrefixes?: boolean;
}

/**
 * Masks secrets in text. Built in: `KEY=value`, `"key": "value"` and `--key value` where the
 * name suggests a secret (TOKEN, SECRET, PASSWORD, KEY, AUTH, …); bearer and basic
 * credentials; `user:pass@` in URLs, `-u user:pass` and `-pPASSWORD`; AWS-style access key ids (AKIA…);
 * well-known token prefixes (`ghp_`, `sk-`, `xoxb-`, `glpat-`, `tk_`, JWTs, …); private
 * key blocks; and long random-looking tokens (32+ characters of mixed case and digits with
 * high entropy; hex such as commit ids is left alone). Names, user names and well-known
 * prefixes stay readable (prefixes only with `keepPrefixes`); the secret part becomes `***`.
 *
 * Pure and synchronous; patterns are compiled once, in the constructor.
 *
 * @example Masking a command
 * ```ts
 * import assert from "node:assert/strict";
 * import { SecretRedactor } from "./secret_redactor.ts";
 *
 * const redactor = new SecretRedactor({ patterns: ["INTERNAL-\\d{6}"] });
 * assert.deepEqual(
 *   redactor.redact("GITHUB_TOKEN=ghp_abcdefghijklmnop1234 curl https://bob:hunter22@example.com"),
 *   "GITHUB_TOKEN=ghp_*** curl https://bob:***@example.com",
 * );
 * assert.deepEqual(redactor.redact("ticket INTERNAL-123456"), "ticket ***");
 * ```
 */
export class SecretRedactor {
  readonly #extra: RegExp[];
  readonly #secrets: string[];
  readonly #keepPrefixes: boolean;

  /**
   * Compiles the extra patterns.
   *
   * @throws {SyntaxError} for a pattern that is not a valid regular expression.
   */
  constructor(options: SecretRedactorOptions = {}) {
    this.#extra = (options.patterns ?? []).map((source) => new RegExp(source, "g"));
    // Longest first, so a secret that contains another is masked whole.
    this.#secrets = [...new Set(options.secrets ?? [])].filter((secret) => secret.length >= 4)
      .sort((a, b) => b.length - a.length);
    this.#keepPrefixes = options.keepPrefixes ?? true;
  }

  /** `text` with every secret found masked. */
  redact(text: string): string {
    let result = text;
    for (const secret of this.#secrets) result = result.replaceAll(secret, MASK);
    for (const rule of SECRET_RULES) {
      result = result.replace(rule.pattern, rule.replace as (match: string) => string);
    }
    if (!this.#keepPrefixes) result = result.replace(MASKED_PREFIX, MASK);
    for (const pattern of this.#extra) {
      // A pattern that matches the empty string would insert masks everywhere.
      result = result.replace(pattern, (match) => match === "" ? match : MASK);
    }
    return result;
  }
}
