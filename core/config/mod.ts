/**
 * claude-ntfy's configuration: the `Config` type and its defaults, loading the global
 * and project `config.toml` files with the environment and flags over them, and the
 * helpers behind `init` and `config`.
 *
 * Hot-path code (the hook) should import the files it needs directly rather than this
 * module, to keep the bundle small.
 *
 * @example
 * ```ts
 * import { loadConfig } from "./mod.ts";
 *
 * const { config } = loadConfig({ homeDir: "/nonexistent", env: () => undefined });
 * console.log(config.ntfy.server_url); // https://ntfy.sh
 * ```
 *
 * @module
 */

export * from "./config.ts";
export * from "./config_error.ts";
export * from "./config_paths.ts";
export * from "./config_template.ts";
export * from "./config_value.ts";
export * from "./env_config.ts";
export * from "./generate_topic.ts";
export * from "./load_config.ts";
export * from "./mask_secrets.ts";
export * from "./topic_url.ts";
export * from "./write_config_value.ts";
export * from "./write_private_file.ts";
