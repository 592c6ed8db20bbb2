/**
 * `doctor`'s checklist as text: a glyph a line, details and fixes indented, a summary.
 *
 * @module
 */

import type { CheckStatus, DoctorCheck } from "../install/doctor_check.ts";

const GLYPHS: Record<CheckStatus, string> = { ok: "✓", warn: "!", fail: "✗", skip: "-" };

/** The checklist as text, with a summary line. */
export function formatChecks(checks: readonly DoctorCheck[]): string {
  const lines = checks.flatMap((entry) => [
    `${GLYPHS[entry.status]} ${entry.title}`,
    ...(entry.details ?? []).map((detail) => `    ${detail}`),
    ...(entry.fix === undefined ? [] : [`    fix: ${entry.fix}`]),
  ]);
  const failed = checks.filter((entry) => entry.status === "fail").length;
  const warned = checks.filter((entry) => entry.status === "warn").length;
  const summary = failed === 0 && warned === 0
    ? "All checks passed."
    : `${failed} problem(s), ${warned} warning(s).`;
  return `${lines.join("\n")}\n\n${summary}\n`;
}
