/**
 * The CLI's flag parser: strict (an unknown flag is an error), with typed results. Not
 * `node:util`'s `parseArgs`: importing `node:util` loads Deno's Node compatibility layer,
 * which costs the hook 2-4 ms on every Claude Code event, and every command shares the
 * hook's prologue (see `command_line.ts`).
 *
 * @module
 */

/** How one flag is read. */
export interface FlagSpec {
  /** `string` takes a value (`--name value` or `--name=value`); `boolean` does not. */
  readonly type: "string" | "boolean";
  /** A one-letter alias (`-v`). */
  readonly short?: string;
  /** A string flag that may be given more than once: its values are collected in order. */
  readonly multiple?: boolean;
}

/** A command's flags, by name (without the leading `--`). */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** The values read, by flag name: absent when the flag was not given. */
export type FlagValues<S extends FlagSpecs> = {
  -readonly [K in keyof S]?: S[K]["type"] extends "boolean" ? boolean
    : S[K]["multiple"] extends true ? string[]
    : string;
};

/** Options for {@linkcode parseFlags}. */
export interface ParseFlagsOptions {
  /** Whether words that are not flags are allowed (and collected). @default {false} */
  readonly allowPositionals?: boolean;
}

/** What {@linkcode parseFlags} read. */
export interface ParsedArgs<S extends FlagSpecs> {
  /** The flags given. */
  readonly flags: FlagValues<S>;
  /** The other words, in order; everything after `--` is one. */
  readonly positionals: string[];
}

/**
 * Parses `args` against `specs`. Reads `--name value`, `--name=value`, `-v`, grouped
 * short booleans (`-dv`), repeated `multiple` flags, and `--` (the rest are positionals).
 *
 * @param args The arguments after the command's name.
 * @param specs The flags the command takes.
 * @param options Whether positionals are allowed.
 * @returns The flags given and the positionals.
 * @throws {TypeError} on an unknown flag, a missing value, a value given to a boolean, or
 * a positional argument where none is allowed, with a message naming it.
 *
 * @example Flags and a positional
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./parse_flags.ts";
 *
 * const { flags, positionals } = parseFlags(["--hook-name=Stop", "-v", "extra"], {
 *   "hook-name": { type: "string" },
 *   verbose: { type: "boolean", short: "v" },
 * }, { allowPositionals: true });
 * assert.deepEqual(flags, { "hook-name": "Stop", verbose: true });
 * assert.deepEqual(positionals, ["extra"]);
 * ```
 */
export function parseFlags<const S extends FlagSpecs>(
  args: readonly string[],
  specs: S,
  options: ParseFlagsOptions = {},
): ParsedArgs<S> {
  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) if (spec.short) byShort.set(spec.short, name);
  const positional = (arg: string) => {
    if (!options.allowPositionals) throw new TypeError(`Unexpected argument "${arg}"`);
    positionals.push(arg);
  };
  const specOf = (name: string, shown: string): FlagSpec => {
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (spec === undefined) throw new TypeError(`Unknown option "${shown}"`);
    return spec;
  };
  const set = (name: string, spec: FlagSpec, value: string | true) => {
    if (spec.multiple && typeof value === "string") {
      const list = values[name];
      values[name] = Array.isArray(list) ? [...list, value] : [value];
    } else values[name] = value;
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "--") {
      for (const rest of args.slice(index + 1)) positional(rest);
      break;
    }
    if (arg.startsWith("--")) {
      const equals = arg.indexOf("=");
      const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
      const inline = equals === -1 ? undefined : arg.slice(equals + 1);
      const spec = specOf(name, `--${name}`);
      if (spec.type === "boolean") {
        if (inline !== undefined) throw new TypeError(`Option "--${name}" does not take a value`);
        set(name, spec, true);
        continue;
      }
      const value = inline ?? args[++index];
      if (value === undefined) throw new TypeError(`Option "--${name}" needs a value`);
      set(name, spec, value);
      continue;
    }
    if (!/^-[A-Za-z]/.test(arg)) {
      positional(arg);
      continue;
    }
    // One or more short flags: `-v`, `-dv`; a string one takes the rest, or the next word.
    for (let at = 1; at < arg.length; at++) {
      const name = byShort.get(arg[at]!);
      if (name === undefined) throw new TypeError(`Unknown option "-${arg[at]}"`);
      const spec = specs[name]!;
      if (spec.type === "boolean") {
        set(name, spec, true);
        continue;
      }
      const value = at + 1 < arg.length ? arg.slice(at + 1) : args[++index];
      if (value === undefined) throw new TypeError(`Option "-${arg[at]}" needs a value`);
      set(name, spec, value);
      break;
    }
  }
  return { flags: values as FlagValues<S>, positionals };
}
