/**
 * `config set`: changing one value in a config file while keeping its comments.
 *
 * @module
 */

import { parse, stringify } from "smol-toml";
import { parseConfigText, readTextFileOrNull } from "./load_config.ts";
import { outsideStrings, scanToml } from "./_toml_lines.ts";
import type { ConfigValue } from "./config_value.ts";
import { writePrivateFile } from "./write_private_file.ts";

/** What {@linkcode writeConfigValue} did. */
export interface WriteConfigResult {
  /** The file did not exist before. */
  created: boolean;
  /**
   * The line-based edit was not possible (e.g. the key lives in an inline table) and the
   * file was re-serialised: values are kept, comments are lost.
   */
  rewritten: boolean;
}

const ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  '"': '\\"',
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\f": "\\f",
  "\r": "\\r",
};

function tomlString(text: string): string {
  const escaped = text.replace(
    // Control characters must be escaped in TOML basic strings.
    // deno-lint-ignore no-control-regex
    /[\\"\u0000-\u001f\u007f]/g,
    (char) => ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `"${escaped}"`;
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

/**
 * Renders a value as TOML.
 *
 * @example
 * ```ts
 * import { tomlValue } from "./write_config_value.ts";
 *
 * console.log(tomlValue(["!Read", "Bash"])); // ["!Read", "Bash"]
 * ```
 */
export function tomlValue(value: ConfigValue): string {
  if (Array.isArray(value)) return `[${value.map(tomlString).join(", ")}]`;
  if (typeof value === "string") return tomlString(value);
  return String(value);
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}

/** The comment after a value on one line (`  # why`), or `""`. */
function trailingComment(value: string): string {
  for (const [index, char] of outsideStrings(value)) {
    if (char === "#") return `  ${value.slice(index).trimEnd()}`;
  }
  return "";
}

/** Edits the TOML text line by line; the result still has to be verified. */
function editText(text: string, path: readonly string[], value: ConfigValue): string {
  const lines = text === "" ? [] : text.split("\n");
  const entries = scanToml(text);
  const assignment = `${tomlKey(path[path.length - 1])} = ${tomlValue(value)}`;
  const exact = entries.find((entry) => entry.type === "key" && samePath(entry.path, path));
  if (exact !== undefined) {
    const original = lines[exact.start];
    const equals = original.indexOf("=");
    const head = original.slice(0, equals).trimEnd();
    const comment = exact.start === exact.end ? trailingComment(original.slice(equals + 1)) : "";
    lines.splice(
      exact.start,
      exact.end - exact.start + 1,
      `${head} = ${tomlValue(value)}${comment}`,
    );
    return lines.join("\n");
  }
  const table = path.slice(0, -1);
  const headerIndex = entries.findIndex((entry) =>
    entry.type === "table" && samePath(entry.path, table)
  );
  if (headerIndex >= 0) {
    const header = entries[headerIndex];
    const next = entries.slice(headerIndex + 1).find((entry) => entry.type === "table");
    const regionEnd = next?.start ?? lines.length;
    const inRegion = (start: number) => start > header.start && start < regionEnd;
    const commented = entries.find((entry) =>
      entry.type === "commented_key" && samePath(entry.path, path) && inRegion(entry.start)
    );
    if (commented !== undefined) {
      const indent = /^\s*/.exec(lines[commented.start])?.[0] ?? "";
      lines[commented.start] = indent + assignment;
      return lines.join("\n");
    }
    const keys = entries.filter((entry) => entry.type === "key" && inRegion(entry.start));
    const after = keys.length > 0 ? keys[keys.length - 1].end : header.start;
    lines.splice(after + 1, 0, assignment);
    return lines.join("\n");
  }
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  if (lines.length > 0) lines.push("");
  lines.push(`[${table.map(tomlKey).join(".")}]`, assignment, "");
  return lines.join("\n");
}

function lookup(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const part of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function assign(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = root;
  for (const part of path.slice(0, -1)) {
    const child = node[part];
    node = (typeof child === "object" && child !== null && !Array.isArray(child))
      ? child as Record<string, unknown>
      : (node[part] = {}) as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/**
 * Sets one key in a config file and writes it back with mode 0600 (creating the file and
 * its 0700 folder if needed). The edit is line-based: the key's line is replaced (or a
 * commented-out `# key = ...` line in the right table is, or a line is added to the
 * table, or the table is appended), so comments and layout survive. Only when that does
 * not give the intended document (inline tables, dotted keys in odd places) is the file
 * re-serialised, which drops comments; the result says so. The new file is checked like
 * any config file before it is written.
 *
 * `key` is `section.key` or `section.table.Name` (e.g. `hooks.topics.Stop`); the value
 * should come from `parseConfigValue`.
 *
 * @throws {ConfigError} when the existing file is invalid or the new value is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeConfigValue } from "./write_config_value.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/config.toml`;
 * Deno.writeTextFileSync(path, "[ntfy]\n# the server\nserver_url = \"https://ntfy.sh\"\n");
 * writeConfigValue(path, "ntfy.timeout_secs", 20);
 * assert.deepEqual(
 *   Deno.readTextFileSync(path),
 *   "[ntfy]\n# the server\nserver_url = \"https://ntfy.sh\"\ntimeout_secs = 20\n",
 * );
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function writeConfigValue(path: string, key: string, value: ConfigValue): WriteConfigResult {
  const existing = readTextFileOrNull(path);
  const text = existing ?? "";
  const original = text.trim() === "" ? {} : (parseConfigText(text, path), parse(text));
  const parts = key.split(".");
  const keyPath = parts.length > 2 ? [parts[0], parts[1], parts.slice(2).join(".")] : parts;
  let edited = editText(text, keyPath, value);
  let rewritten = false;
  let verified = false;
  try {
    verified = JSON.stringify(lookup(parse(edited), keyPath)) === JSON.stringify(value);
  } catch {
    verified = false;
  }
  if (!verified) {
    assign(original as Record<string, unknown>, keyPath, value);
    edited = `${stringify(original)}\n`;
    rewritten = true;
  }
  parseConfigText(edited, path);
  writePrivateFile(path, edited);
  return { created: existing === null, rewritten };
}
