/**
 * A small strict flag parser for the hook's hot path. `node:util`'s `parseArgs` would do,
 * but importing `node:util` loads Deno's Node compatibility layer, which costs the hook
 * 2-4 ms on every Claude Code event. Other commands use `parseArgs`.
 *
 * @module
 */

/** How one flag is read. */
export interface FlagSpec {
  /** `string` takes a value (`--name value` or `--name=value`); `boolean` does not. */
  readonly type: "string" | "boolean";
  /** A one-letter alias (`-v`). */
  readonly short?: string;
}

/** The values read, by flag name. */
export type ParsedFlags = Record<string, string | boolean | undefined>;

/**
 * Parses `args` against `specs`; positionals are not allowed.
 *
 * @throws {TypeError} on an unknown flag, a missing value, a value given to a boolean, or
 * a positional argument, with a message naming it.
 *
 * @example
 * ```ts
 * import { parseFlags } from "./parse_flags.ts";
 *
 * const flags = parseFlags(["--hook-name=Stop", "-v"], {
 *   "hook-name": { type: "string" },
 *   verbose: { type: "boolean", short: "v" },
 * });
 * console.log(flags); // { "hook-name": "Stop", verbose: true }
 * ```
 */
export function parseFlags(args: readonly string[], specs: Record<string, FlagSpec>): ParsedFlags {
  const values: ParsedFlags = {};
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) if (spec.short) byShort.set(spec.short, name);
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith("--") && arg.length > 2) {
      const equals = arg.indexOf("=");
      name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
      inline = equals === -1 ? undefined : arg.slice(equals + 1);
    } else if (/^-[A-Za-z]$/.test(arg)) {
      name = byShort.get(arg.slice(1));
      if (name === undefined) throw new TypeError(`Unknown option "${arg}"`);
    } else {
      throw new TypeError(`Unexpected argument "${arg}"`);
    }
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (spec === undefined) throw new TypeError(`Unknown option "--${name}"`);
    if (spec.type === "boolean") {
      if (inline !== undefined) throw new TypeError(`Option "--${name}" does not take a value`);
      values[name] = true;
      continue;
    }
    const value = inline ?? args[++index];
    if (value === undefined) throw new TypeError(`Option "--${name}" needs a value`);
    values[name] = value;
  }
  return values;
}
