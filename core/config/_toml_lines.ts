/**
 * A line scanner for TOML text: finds where tables and keys are, so that errors can name
 * a line and `config set` can edit one line and keep every comment. It only needs to be
 * right for the plain files people write by hand; anything it cannot place is reported
 * as "not found" and callers fall back.
 *
 * @module
 */

/** A table header, an active key, or a commented-out key (`# key = value`). */
export interface TomlLine {
  readonly type: "table" | "key" | "commented_key";
  /** The full dotted path, table included. */
  readonly path: readonly string[];
  /** 0-based index of the first line. */
  readonly start: number;
  /** 0-based index of the last line (a value may span lines). */
  readonly end: number;
}

const KEY_PART = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const DOTTED_KEY = String.raw`${KEY_PART}(?:\s*\.\s*${KEY_PART})*`;
const HEADER = new RegExp(String.raw`^\[\[?\s*(${DOTTED_KEY})\s*\]\]?\s*(?:#.*)?$`);
const KEY_LINE = new RegExp(String.raw`^(${DOTTED_KEY})\s*=(.*)$`);
const COMMENTED_KEY_LINE = new RegExp(String.raw`^#\s*(${DOTTED_KEY})\s*=`);

/** Splits a dotted key (`a."b.c".d`) into its parts. */
export function splitDottedKey(text: string): string[] {
  const parts: string[] = [];
  const pattern = new RegExp(KEY_PART, "g");
  for (const match of text.matchAll(pattern)) {
    const part = match[0];
    if (part.startsWith('"')) {
      try {
        parts.push(JSON.parse(part));
      } catch {
        parts.push(part.slice(1, -1));
      }
    } else if (part.startsWith("'")) parts.push(part.slice(1, -1));
    else parts.push(part);
  }
  return parts;
}

/** The characters of a TOML value outside its strings, with their index (a comment's `#` too). */
export function* outsideStrings(value: string): Generator<[number, string]> {
  let quote = "";
  for (let index = 0; index < value.length; index++) {
    const char = value[index]!;
    if (quote) {
      if (char === "\\" && quote === '"') index++;
      else if (char === quote) quote = "";
    } else if (char === '"' || char === "'") quote = char;
    else yield [index, char];
  }
}

/** Counts unbalanced `[` and `{` in a value, ignoring brackets inside strings and comments. */
function openBrackets(value: string): number {
  let depth = 0;
  for (const [, char] of outsideStrings(value)) {
    if (char === "#") break;
    if (char === "[" || char === "{") depth++;
    else if (char === "]" || char === "}") depth--;
  }
  return depth;
}

/** The delimiter of a multi-line string left open on this line, if any. */
function openMultiline(value: string): string | undefined {
  for (const delimiter of ['"""', "'''"]) {
    const count = value.split(delimiter).length - 1;
    if (count % 2 === 1) return delimiter;
  }
  return undefined;
}

/** Scans TOML text into its table headers and keys. */
export function scanToml(text: string): TomlLine[] {
  const lines = text.split("\n");
  const found: TomlLine[] = [];
  let table: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      const commented = COMMENTED_KEY_LINE.exec(line);
      if (commented) {
        const path = [...table, ...splitDottedKey(commented[1])];
        found.push({ type: "commented_key", path, start: index, end: index });
      }
      continue;
    }
    const header = HEADER.exec(line);
    if (header) {
      table = splitDottedKey(header[1]);
      found.push({ type: "table", path: table, start: index, end: index });
      continue;
    }
    const key = KEY_LINE.exec(line);
    if (!key) continue;
    const start = index;
    const value = key[2];
    const delimiter = openMultiline(value);
    if (delimiter) {
      while (index + 1 < lines.length) {
        index++;
        if (lines[index].includes(delimiter)) break;
      }
    } else {
      let depth = openBrackets(value);
      while (depth > 0 && index + 1 < lines.length) {
        index++;
        depth += openBrackets(lines[index]);
      }
    }
    found.push({ type: "key", path: [...table, ...splitDottedKey(key[1])], start, end: index });
  }
  return found;
}

function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => part === path[index]);
}

/**
 * The 1-based line where `path` is set, or else where its nearest enclosing key or table
 * is; `undefined` when nothing matches.
 */
export function findKeyLine(text: string, path: readonly string[]): number | undefined {
  let best: TomlLine | undefined;
  for (const entry of scanToml(text)) {
    if (entry.type === "commented_key" || !isPrefix(entry.path, path)) continue;
    if (entry.path.length === path.length && entry.type === "key") return entry.start + 1;
    if (best === undefined || entry.path.length > best.path.length) best = entry;
  }
  return best === undefined ? undefined : best.start + 1;
}
