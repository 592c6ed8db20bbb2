// The table: one row per figure, each beside a baseline measured in the same run, with
// the ratio and, where issue 6 sets one, the target and whether it was met.

/** A unit and how to print it. */
export type Unit = "ns" | "µs" | "ms" | "msg/s" | "MiB" | "count";

/** One line of the table. */
export interface Row {
  /** The section, e.g. `2 Round trip`. */
  readonly section: string;
  /** What was measured. */
  readonly figure: string;
  /** The figure, in `unit`. */
  readonly value: number;
  readonly unit: Unit;
  /** What it is compared with, measured in the same run, in the same unit. */
  readonly baseline?: { readonly name: string; readonly value: number };
  /** The target from issue 6, and whether this run met it. */
  readonly target?: { readonly text: string; readonly pass: boolean };
}

/** Prints a number in its unit, with three significant digits. */
export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return "n/a";
  if (unit === "count") return Math.round(value).toLocaleString("en-US");
  if (unit === "msg/s") return `${Math.round(value).toLocaleString("en-US")} msg/s`;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

function ratio(row: Row): string {
  if (!row.baseline || !(row.baseline.value > 0) || !Number.isFinite(row.value)) return "";
  return `${(row.value / row.baseline.value).toFixed(2)}×`;
}

/** The table as text: aligned columns, a rule under the header, a blank line per section. */
export function formatTable(rows: readonly Row[]): string {
  const header = ["Figure", "Value", "Baseline (same run)", "Base value", "Ratio", "Target", ""];
  const cells = rows.map((row) => [
    row.figure,
    formatValue(row.value, row.unit),
    row.baseline?.name ?? "",
    row.baseline ? formatValue(row.baseline.value, row.unit) : "",
    ratio(row),
    row.target?.text ?? "",
    row.target ? (row.target.pass ? "PASS" : "** MISS **") : "",
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]!.length))
  );
  const numeric = new Set([1, 3, 4]);
  const line = (values: string[]) =>
    values.map((value, column) =>
      numeric.has(column) ? value.padStart(widths[column]!) : value.padEnd(widths[column]!)
    ).join("  ").trimEnd();
  const out = [line(header), widths.map((width) => "-".repeat(width)).join("  ")];
  let section = "";
  rows.forEach((row, index) => {
    if (row.section !== section) {
      if (section !== "") out.push("");
      section = row.section;
      out.push(`[${section}]`);
    }
    out.push(line(cells[index]!));
  });
  return out.join("\n");
}

/** The targets met and missed. */
export function targetCounts(rows: readonly Row[]): { pass: number; miss: number } {
  let pass = 0;
  let miss = 0;
  for (const row of rows) {
    if (!row.target) continue;
    if (row.target.pass) pass++;
    else miss++;
  }
  return { pass, miss };
}
