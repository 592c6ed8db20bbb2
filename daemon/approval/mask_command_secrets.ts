/**
 * Masking the obvious secrets in a command line before it is shown on a phone: an
 * approval notification quotes the command Claude wants to run, and that command may hold
 * a key (`API_KEY=… curl …`, `curl -H "Authorization: Bearer …"`, `mysql -pS3cret`).
 *
 * @module
 */

/** What a masked secret becomes. */
export const MASKED = "***";

/** Names that hold a secret: `*_TOKEN`, `DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY`, `X-Api-Key`… */
const SECRET_NAME = String
  .raw`[A-Za-z0-9_.-]*(?:TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|API[_-]?KEY|ACCESS[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIALS?)[A-Za-z0-9_.-]*`;

/** A value: quoted, or up to the next blank, quote or shell operator. */
const VALUE = String.raw`(?:"[^"]*"|'[^']*'|[^\s;&|)'"]+)`;

/** Applied in order: each later pattern sees what the earlier ones left. */
const PATTERNS: readonly [RegExp, string][] = [
  // user:password@ in URLs.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s/@]+@/gi, `$1${MASKED}@`],
  // Authorization: Bearer/Basic/Token <credential>.
  [/\b(Bearer|Basic|Token)(\s+)[A-Za-z0-9._~+/=-]{6,}/g, `$1$2${MASKED}`],
  // NAME=value and NAME: value (environment, config lines, headers such as X-Api-Key:).
  [new RegExp(String.raw`\b(${SECRET_NAME})(\s*[=:]\s*)(?!\*\*\*)${VALUE}`, "gi"), `$1$2${MASKED}`],
  // --password value, --token=value, --api-key value.
  [new RegExp(String.raw`(--?${SECRET_NAME})(=|\s+)(?!-)${VALUE}`, "gi"), `$1$2${MASKED}`],
  // mysql -pSECRET (the password glued to -p).
  [/(\s-p)(?![\s*])[^\s;&|]{3,}/g, `$1${MASKED}`],
  // Tokens recognisable by their prefix.
  [
    /\b(?:sk-(?:ant-)?[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|tk_[a-z0-9]{20,}|glpat-[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{30,})/g,
    MASKED,
  ],
];

/**
 * Replaces the values of what looks like a secret in `text` with `***`: `NAME=value` for
 * names holding TOKEN, SECRET, PASSWORD, KEY and the like, `--password value` style
 * flags, `Bearer`/`Basic` credentials, passwords in URLs, `-pPASSWORD`, and tokens with a
 * well-known prefix (`sk-…`, `ghp_…`, `xoxb-…`, `AKIA…`, `tk_…`). It errs on the side of
 * masking; what it cannot recognise stays as it is.
 *
 * @param text A command line or any text quoting one.
 * @returns The text with secrets masked.
 *
 * @example
 * ```ts
 * import { maskCommandSecrets } from "./mask_command_secrets.ts";
 *
 * console.log(maskCommandSecrets('API_TOKEN=abc123 curl -H "Authorization: Bearer eyJhbGciOi" https://x'));
 * // API_TOKEN=*** curl -H "Authorization: Bearer ***" https://x
 * ```
 */
export function maskCommandSecrets(text: string): string {
  let masked = text;
  for (const [pattern, replacement] of PATTERNS) masked = masked.replace(pattern, replacement);
  return masked;
}
