/**
 * What a secret reads as wherever claude-ntfy shows or logs something that held one:
 * `config show`, `queue list`, `--dry-run`, the daemon's log, error messages. Always the
 * same eight stars, so the mask says nothing about the secret's length.
 *
 * @module
 */

/**
 * The mask put in place of a token or a password.
 *
 * @example
 * ```ts
 * import { SECRET_MASK } from "./secret_mask.ts";
 *
 * console.log(`Authorization: Bearer ${SECRET_MASK}`); // "Authorization: Bearer ********"
 * ```
 */
export const SECRET_MASK = "********";
