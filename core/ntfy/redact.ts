/**
 * Keeps tokens and passwords out of error messages.
 *
 * @module
 */

import { SECRET_MASK } from "../secret_mask.ts";

/**
 * Replaces every occurrence of each secret in `text` with `********`. Each secret is also
 * looked for in its percent-encoded form, the shape it takes inside a URL. Empty secrets
 * are skipped; short ones are not, so a message may come out garbled rather than leak a
 * short password. Callers pass every form a secret is sent in (for example the whole
 * `Authorization` value and the base64 of `user:pass`).
 *
 * @example
 * ```ts
 * import { redactSecrets } from "./redact.ts";
 *
 * const text = redactSecrets("GET https://ntfy.example/?token=tk_abc failed", ["tk_abc"]);
 * console.log(text); // "GET https://ntfy.example/?token=******** failed"
 * ```
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    needles.add(secret);
    needles.add(encodeURIComponent(secret));
  }
  // Longest first, so that a secret containing another is replaced whole.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  let result = text;
  for (const needle of ordered) result = result.replaceAll(needle, SECRET_MASK);
  return result;
}
