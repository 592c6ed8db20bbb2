/**
 * `claude-ntfy config`: shows, reads and changes the configuration.
 *
 * @module
 */

import { stringify } from "smol-toml";
import { type CliIo, type Command, ExitCode } from "../io.ts";
import { projectDirOf } from "../project_dir.ts";
import { readCommandLine, usageError } from "../command_line.ts";
import type { FlagSpecs, FlagValues } from "../parse_flags.ts";
import { ConfigError } from "../../core/config/config_error.ts";
import { globalConfigPath, projectConfigPath } from "../../core/config/config_paths.ts";
import {
  configKeys,
  type ConfigValue,
  getConfigValue,
  isSecretKey,
  parseConfigValue,
} from "../../core/config/config_value.ts";
import { CONFIG_ENV_VARS } from "../../core/config/env_config.ts";
import { loadConfig, parseConfigText, readTextFileOrNull } from "../../core/config/load_config.ts";
import { maskSecrets } from "../../core/config/mask_secrets.ts";
import { SECRET_MASK } from "../../core/secret_mask.ts";
import { tomlValue, writeConfigValue } from "../../core/config/write_config_value.ts";
import { errorMessage } from "../../protocol/error_message.ts";
import { enableApproval } from "../install/enable_approval.ts";

const HELP = `Usage: claude-ntfy config <action> [options]

Actions:
  show [--json]                 the effective configuration (secrets masked) and the
                                files it came from
  get KEY [--reveal]            one value (secrets masked unless --reveal)
  set KEY VALUE [--global]      change one value in the project's (or with --global the
                                global) config.toml, keeping its comments
  hook EVENT [--topic T] [--priority P] [--filter TOOL]... [--clear-filters]
             [--enable | --disable] [--global]
                                per-event settings: [hooks.topics], [hooks.priorities],
                                [hooks.filters] (added to the list; "!Tool" excludes) and
                                [hooks.events]

Options:
  --project DIR   the project (default: $CLAUDE_PROJECT_DIR, else the current folder)
  --global        write ~/.claude/ntfy-service/config.toml instead of the project's
  -h, --help      show this help

Precedence, lowest first: defaults, global file, project file, environment, flags.
Lists are comma-separated ("!Read,!Grep"); priorities are 1-5 or min, low, default,
high, max.

Keys:
${configKeys().map((key) => `  ${key}`).join("\n")}

Environment variables:
${
  CONFIG_ENV_VARS.map((variable) =>
    `  ${variable.name.padEnd(24)} ${variable.key}: ${variable.description}`
  ).join("\n")
}
`;

const EVENT_NAME = /^([A-Za-z][A-Za-z0-9_]{0,63}|\*)$/;

class UsageError extends Error {}

interface Context {
  io: CliIo;
  projectDir: string;
  homeDir: string | undefined;
}

/** `--project`, which every action takes. */
const PROJECT_FLAG = { project: { type: "string" } } as const;

/** An action: the flags it takes besides `--project`, and what it does with them. */
type Action = (io: CliIo, name: string, args: string[]) => number;

function action<const S extends FlagSpecs>(
  flags: S,
  run: (context: Context, flags: FlagValues<S>, positionals: string[]) => number,
): Action {
  return (io, name, args) => {
    const parsed = readCommandLine(args, io, {
      command: `config ${name}`,
      help: HELP,
      flags: { ...PROJECT_FLAG, ...flags },
      positionals: true,
      // The help lists every key: too long to repeat after each mistake.
      onUsageError: { exitCode: ExitCode.Usage, showHelp: false },
    });
    if (typeof parsed === "number") return parsed;
    const context: Context = {
      io,
      projectDir: projectDirOf(io, parsed.flags.project as string | undefined),
      homeDir: homeOf(io),
    };
    return run(context, parsed.flags as FlagValues<S>, parsed.positionals);
  };
}

function homeOf(io: CliIo): string | undefined {
  const home = io.env("HOME") ?? io.env("USERPROFILE");
  return home === "" ? undefined : home;
}

function targetPath(context: Context, global: boolean): string {
  if (!global) return projectConfigPath(context.projectDir);
  if (context.homeDir === undefined) {
    throw new UsageError("cannot find the home folder: HOME is not set");
  }
  return globalConfigPath(context.homeDir);
}

function load(context: Context) {
  const loaded = loadConfig({
    projectDir: context.projectDir,
    homeDir: context.homeDir ?? "",
    env: context.io.env,
  });
  for (const warning of loaded.warnings) context.io.stderr(`warning: ${warning}\n`);
  return loaded;
}

const show = action({ json: { type: "boolean" } }, (context, values) => {
  const { config, files } = load(context);
  // A JSON round trip drops unset optional keys, which TOML cannot represent.
  const masked = JSON.parse(JSON.stringify(maskSecrets(config)));
  if (values.json) {
    context.io.stdout(`${JSON.stringify({ files, config: masked }, null, 2)}\n`);
    return ExitCode.Ok;
  }
  const sources = files.length === 0
    ? ["#   (none: built-in defaults)"]
    : files.map((file) => `#   ${file}`);
  context.io.stdout(
    `# Config files read, lowest precedence first:\n${sources.join("\n")}\n` +
      `# Environment variables apply on top. Secrets are masked.\n\n${stringify(masked)}\n`,
  );
  return ExitCode.Ok;
});

function display(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

const get = action({ reveal: { type: "boolean" } }, (context, values, positionals) => {
  if (positionals.length !== 1) throw new UsageError("config get takes one KEY");
  const key = positionals[0];
  const { config } = load(context);
  const shown = values.reveal ? config : maskSecrets(config);
  const value = getConfigValue(shown, key);
  if (value === undefined) {
    context.io.stderr(`${key} is not set\n`);
    return ExitCode.Error;
  }
  context.io.stdout(`${display(value)}\n`);
  return ExitCode.Ok;
});

function overriddenBy(context: Context, key: string): string | undefined {
  const base = key === "ntfy.password" ? "ntfy.username" : key;
  return CONFIG_ENV_VARS.find((variable) =>
    variable.key === base && (context.io.env(variable.name) ?? "") !== ""
  )?.name;
}

function write(context: Context, path: string, key: string, value: ConfigValue): void {
  const result = writeConfigValue(path, key, value);
  const shown = isSecretKey(key) ? SECRET_MASK : tomlValue(value);
  context.io.stdout(`${result.created ? "Created" : "Updated"} ${path}: ${key} = ${shown}\n`);
  if (result.rewritten) {
    context.io.stderr(
      `warning: ${path} was rewritten in full to place ${key}; its comments are gone\n`,
    );
  }
  const variable = overriddenBy(context, key);
  if (variable !== undefined) {
    context.io.stderr(`note: ${variable} is set and overrides this value\n`);
  }
}

const set = action({ global: { type: "boolean" } }, (context, values, positionals) => {
  if (positionals.length !== 2) throw new UsageError("config set takes KEY VALUE");
  const [key, text] = positionals as [string, string];
  const value = parseConfigValue(key, text);
  const path = targetPath(context, values.global ?? false);
  if (key === "approval.enabled" && value === true) return approvalOn(context, path);
  write(context, path, key, value);
  return ExitCode.Ok;
});

/** `config set approval.enabled true`: also makes a reply topic, and says what else to do. */
function approvalOn(context: Context, path: string): number {
  const { config } = load(context);
  const { newReplyTopic, rewritten } = enableApproval(path, config);
  const { io } = context;
  io.stdout(`Updated ${path}: approval.enabled = true\n`);
  if (newReplyTopic !== undefined) {
    io.stdout(`Updated ${path}: approval.reply_topic = "${newReplyTopic}" (new, random)\n`);
  }
  if (rewritten) io.stderr(`warning: ${path} was rewritten in full; its comments are gone\n`);
  io.stdout(
    "Whoever can read your topic can answer too: prefer a token (ntfy.auth_token) or your own\n" +
      'server. With approval.timeout_secs over 90, run "claude-ntfy init --install-hooks"\n' +
      "again, so that Claude Code lets the PermissionRequest hook wait that long.\n",
  );
  return ExitCode.Ok;
}

const hook = action({
  topic: { type: "string" },
  priority: { type: "string" },
  filter: { type: "string", multiple: true },
  "clear-filters": { type: "boolean" },
  enable: { type: "boolean" },
  disable: { type: "boolean" },
  global: { type: "boolean" },
}, (context, values, positionals) => {
  if (positionals.length !== 1) throw new UsageError("config hook takes one EVENT");
  const event = positionals[0]!;
  if (!EVENT_NAME.test(event)) throw new UsageError(`"${event}" is not an event name`);
  if (values.enable && values.disable) throw new UsageError("--enable and --disable conflict");
  const path = targetPath(context, values.global ?? false);
  const changes: [string, ConfigValue][] = [];
  if (values.enable || values.disable) {
    changes.push([`hooks.events.${event}`, values.enable === true]);
  }
  if (values.topic !== undefined) {
    changes.push([
      `hooks.topics.${event}`,
      parseConfigValue(`hooks.topics.${event}`, values.topic),
    ]);
  }
  if (values.priority !== undefined) {
    const key = `hooks.priorities.${event}`;
    changes.push([key, parseConfigValue(key, values.priority)]);
  }
  if (values.filter !== undefined || values["clear-filters"]) {
    const key = `hooks.filters.${event}`;
    let current: string[] = [];
    if (!values["clear-filters"]) {
      const text = readTextFileOrNull(path);
      const layer = text === null ? undefined : parseConfigText(text, path).layer;
      current = layer?.hooks?.filters?.[event] ?? [];
    }
    const added = (values.filter ?? []).flatMap((entry) =>
      parseConfigValue(key, entry) as string[]
    );
    changes.push([key, [...new Set([...current, ...added])]]);
  }
  if (changes.length === 0) {
    throw new UsageError(
      "config hook needs at least one of --topic, --priority, --filter, --clear-filters, --enable, --disable",
    );
  }
  for (const [key, value] of changes) write(context, path, key, value);
  return ExitCode.Ok;
});

const ACTIONS: Readonly<Record<string, Action>> = {
  show,
  get,
  set,
  hook,
};

/** `config show|get|set|hook`. */
export const configCommand: Command = {
  name: "config",
  summary: "show, get or set configuration values",
  run(args: string[], io: CliIo): Promise<number> {
    if (args.length === 0 || args.includes("--help") || args.includes("-h")) {
      (args.length === 0 ? io.stderr : io.stdout)(HELP);
      return Promise.resolve(args.length === 0 ? ExitCode.Usage : ExitCode.Ok);
    }
    const [name, ...rest] = args as [string, ...string[]];
    const chosen = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
    if (chosen === undefined) {
      io.stderr(`claude-ntfy config: unknown action "${name}"\n\n${HELP}`);
      return Promise.resolve(ExitCode.Usage);
    }
    try {
      return Promise.resolve(chosen(io, name, rest));
    } catch (error) {
      if (error instanceof UsageError) {
        return Promise.resolve(usageError(io, `config ${name}`, error.message));
      }
      if (error instanceof ConfigError) {
        io.stderr(`claude-ntfy config ${name}: ${error.message}\n`);
        return Promise.resolve(ExitCode.Error);
      }
      if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotFound) {
        io.stderr(`claude-ntfy config ${name}: ${errorMessage(error)}\n`);
        return Promise.resolve(ExitCode.Error);
      }
      throw error;
    }
  },
};
