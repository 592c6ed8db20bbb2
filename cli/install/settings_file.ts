/**
 * Reading and rewriting a Claude Code settings.json: parse, edit the text in place (so
 * the user's formatting and comments stay), back up, write.
 *
 * @module
 */

import { writeTextFileAtomicSync } from "../../core/fs/atomic_write.ts";
import { dirname } from "../../client/paths.ts";
import { parseJsonc } from "./jsonc_edit.ts";

/** Which settings.json: the user's (`~/.claude`) or a project's. */
export type SettingsScope = "user" | "project" | "local";

/**
 * The settings.json for a scope: `~/.claude/settings.json`, `<project>/.claude/settings.json`
 * or `<project>/.claude/settings.local.json`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { settingsPath } from "./settings_file.ts";
 *
 * assert.deepEqual(settingsPath("user", "/home/me"), "/home/me/.claude/settings.json");
 * assert.deepEqual(settingsPath("local", "/src/app/"), "/src/app/.claude/settings.local.json");
 * ```
 */
export function settingsPath(scope: SettingsScope, dir: string): string {
  const base = dir.replace(/\/+$/, "");
  return `${base}/.claude/${scope === "local" ? "settings.local.json" : "settings.json"}`;
}

/** A settings file as read. */
export interface SettingsFile {
  /** Its path. */
  readonly path: string;
  /** Whether it exists. */
  readonly exists: boolean;
  /** Its text, without a byte order mark; `{}` when it does not exist or is blank. */
  readonly text: string;
  /** Its contents, parsed (comments and trailing commas allowed). */
  readonly value: unknown;
  /** A byte order mark the file starts with, kept when it is written back. */
  readonly bom: string;
}

/**
 * Reads and parses a settings file. A missing or blank file reads as `{}`.
 *
 * @throws {SyntaxError} naming the file, line and column when it is not valid JSON.
 */
export function readSettingsFile(path: string): SettingsFile {
  let raw: string;
  try {
    raw = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { path, exists: false, text: "{}\n", value: {}, bom: "" };
    }
    throw error;
  }
  const bom = raw.startsWith("\uFEFF") ? "\uFEFF" : "";
  const text = raw.trim() === "" ? "{}\n" : raw.slice(bom.length);
  try {
    return { path, exists: true, text, value: parseJsonc(text), bom };
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new SyntaxError(`Cannot read ${path}: ${error.message}`, { cause: error });
  }
}

/** Options for {@linkcode editSettingsFile}. */
export interface EditSettingsOptions {
  /** The time used to name the backup. @default {new Date()} */
  now?: Date;
}

/** What {@linkcode editSettingsFile} did. */
export interface SettingsEdit<T> {
  /** What the edit function returned. */
  readonly result: T;
  /** Whether the file was written. */
  readonly written: boolean;
  /** Whether the file was created (it did not exist). */
  readonly created: boolean;
  /** The copy of the previous file, when an existing file was changed. */
  readonly backupPath?: string;
}

function backupStamp(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
}

/** Copies `path` to a new `<path>.bak-<UTC time>` (with `-2`, `-3`… if taken). */
function writeBackup(path: string, now: Date): string {
  const bytes = Deno.readFileSync(path);
  const mode = (Deno.statSync(path).mode ?? 0o644) & 0o777;
  const base = `${path}.bak-${backupStamp(now)}`;
  for (let attempt = 1;; attempt++) {
    const candidate = attempt === 1 ? base : `${base}-${attempt}`;
    try {
      Deno.writeFileSync(candidate, bytes, { createNew: true, mode });
      Deno.chmodSync(candidate, mode);
      return candidate;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
  }
}

/** Writes beside the file, then renames over it, keeping its mode. */
function writeAtomically(path: string, text: string, mode: number | undefined): void {
  writeTextFileAtomicSync(path, text, mode === undefined ? {} : { mode });
}

/**
 * Reads a settings file, lets `edit` change its text, and writes it back only when the
 * text changed: first a backup of the old file, then the new text written atomically,
 * keeping the file's mode. A symlinked settings.json (dotfiles) is written through to its
 * target. A missing file, and its `.claude` folder, are created only when there is
 * something to write.
 *
 * @param path The settings file.
 * @param edit Given the file's text and parsed value, returns the new text and a result.
 * @param options The time that names the backup.
 * @returns What `edit` returned, and what was written.
 * @throws {SyntaxError} when the file is not valid JSON; nothing is written.
 * @throws whatever `edit` throws; nothing is written.
 */
export function editSettingsFile<T>(
  path: string,
  edit: (text: string, value: unknown) => { text: string; result: T },
  options: EditSettingsOptions = {},
): SettingsEdit<T> {
  const file = readSettingsFile(path);
  const edited = edit(file.text, file.value);
  const result = edited.result;
  if (edited.text === file.text) return { result, written: false, created: false };
  const text = file.bom + edited.text;
  if (!file.exists) {
    Deno.mkdirSync(dirname(path), { recursive: true });
    writeAtomically(path, text, undefined);
    return { result, written: true, created: true };
  }
  const backupPath = writeBackup(path, options.now ?? new Date());
  const target = Deno.realPathSync(path);
  writeAtomically(target, text, (Deno.statSync(target).mode ?? 0o644) & 0o777);
  return { result, written: true, created: false, backupPath };
}
