/**
 * The configuration for each event, cached: the global file is re-read when it changes (a
 * `stat` per event), the project file comes with the event, and the hook's variables
 * override both. So `claude-ntfy config set` takes effect on the next event, with no
 * restart and no broad read permission for the daemon.
 *
 * @module
 */

import type { HookContext } from "../protocol/mod.ts";
import { globalConfigPath, projectConfigPath } from "../core/config/config_paths.ts";
import { loadConfig, type LoadedConfig, readTextFileOrNull } from "../core/config/load_config.ts";

/** Options for {@linkcode EventConfigCache}. */
export interface EventConfigCacheOptions {
  /** The home directory, for the global config file. */
  readonly homeDir: string;
  /** Most configurations kept (one per project, file version and environment). @default {64} */
  readonly maxEntries?: number;
  /** Identifies the global file's version: `null` when it does not exist. @default {a Deno.statSync stamp} */
  readonly stamp?: (path: string) => string | null;
  /** Reads the global file. @default {readTextFileOrNull} */
  readonly readTextFile?: (path: string) => string | null;
}

function statStamp(path: string): string | null {
  try {
    const info = Deno.statSync(path);
    return `${info.mtime?.getTime() ?? 0}:${info.size}:${info.ino ?? 0}`;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

const decoder = new TextDecoder();

/**
 * Loads and caches the configuration an event resolves with.
 *
 * @example The hook's variables override the files
 * ```ts
 * import { EventConfigCache } from "./config_cache.ts";
 *
 * const cache = new EventConfigCache({ homeDir: "/home/me", stamp: () => null });
 * const context = { cwd: "/src/app", env: { CLAUDE_NTFY_TOPIC: "alerts" }, receivedAt: 0 };
 * console.log(cache.configFor("/src/app", context).config.ntfy.default_topic); // "alerts"
 * ```
 */
export class EventConfigCache {
  readonly #homeDir: string;
  readonly #globalPath: string;
  readonly #maxEntries: number;
  readonly #stamp: (path: string) => string | null;
  readonly #read: (path: string) => string | null;
  readonly #entries = new Map<string, LoadedConfig>();
  #globalText: { stamp: string | null; text: string | null } | undefined;

  /** Creates an empty cache. */
  constructor(options: EventConfigCacheOptions) {
    this.#homeDir = options.homeDir;
    this.#globalPath = globalConfigPath(options.homeDir);
    this.#maxEntries = options.maxEntries ?? 64;
    this.#stamp = options.stamp ?? statStamp;
    this.#read = options.readTextFile ?? readTextFileOrNull;
  }

  /** How many configurations are cached. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The configuration for an event of `projectDir`, from the cache when nothing changed.
   *
   * @param projectDir The event's project.
   * @param context The hook's context: its variables and the project's config file.
   * @returns The loaded configuration; treat it as read-only, it is shared.
   * @throws {ConfigError} when a file or variable is invalid.
   */
  configFor(projectDir: string | undefined, context: HookContext): LoadedConfig {
    const stamp = this.#stamp(this.#globalPath);
    const projectText = context.projectConfig === undefined
      ? null
      : decoder.decode(context.projectConfig);
    const env = Object.entries(context.env).sort(([a], [b]) => (a < b ? -1 : 1));
    const key = JSON.stringify([stamp, projectDir ?? null, projectText, env]);
    const cached = this.#entries.get(key);
    if (cached !== undefined) {
      // Most recently used last, so the oldest is the first to go.
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached;
    }
    const projectPath = projectDir === undefined ? undefined : projectConfigPath(projectDir);
    const loaded = loadConfig({
      homeDir: this.#homeDir,
      projectDir,
      env: (name) => context.env[name],
      readTextFile: (path) =>
        path === this.#globalPath ? this.#global(stamp) : path === projectPath ? projectText : null,
    });
    this.#entries.set(key, loaded);
    if (this.#entries.size > this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    return loaded;
  }

  #global(stamp: string | null): string | null {
    if (this.#globalText?.stamp !== stamp) {
      this.#globalText = { stamp, text: stamp === null ? null : this.#read(this.#globalPath) };
    }
    return this.#globalText.text;
  }
}
