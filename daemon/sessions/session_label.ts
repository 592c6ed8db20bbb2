/**
 * A session's short label, for notification titles.
 *
 * @module
 */

/** The longest label, in characters. */
export const MAX_LABEL_CHARS = 24;

/**
 * A short label from a session's first prompt: its first words, on one line, without
 * Markdown or leading slash commands, cut at a word boundary to at most
 * {@linkcode MAX_LABEL_CHARS} characters with "…". `undefined` when nothing is left.
 *
 * @example
 * ```ts
 * import { labelFromPrompt } from "./session_label.ts";
 *
 * console.log(labelFromPrompt("Fix the **login form** validation, then run the tests")); // Fix the login form…
 * ```
 */
export function labelFromPrompt(prompt: string): string | undefined {
  const words = prompt
    .replace(/```[\s\S]*?(```|$)/g, " ")
    .replace(/[*_`#>~[\]()]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .split(" ")
    .filter((word) => word !== "");
  if (words[0]?.startsWith("/")) return undefined;
  let label = "";
  for (const word of words) {
    const next = label === "" ? word : `${label} ${word}`;
    if (next.length > MAX_LABEL_CHARS) {
      if (label === "") return `${[...word].slice(0, MAX_LABEL_CHARS - 1).join("")}…`;
      return `${label.replace(/[,.;:!?-]+$/, "")}…`;
    }
    label = next;
  }
  return label === "" ? undefined : label;
}
