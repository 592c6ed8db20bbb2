/**
 * `claude-ntfy init`: writes a commented config file with a private topic and, with
 * `--install-hooks`, registers the hook in Claude Code's settings.json.
 *
 * @module
 */

import { type CliIo, type Command, ExitCode } from "../io.ts";
import { projectDirOf } from "../project_dir.ts";
import { readCommandLine, usageError } from "../command_line.ts";
import { configTemplate } from "../../core/config/config_template.ts";
import { globalConfigPath, projectConfigPath } from "../../core/config/config_paths.ts";
import { generateReplyTopic, generateTopic } from "../../core/config/generate_topic.ts";
import { enableApproval } from "../install/enable_approval.ts";
import { writePrivateFile } from "../../core/config/write_private_file.ts";
import { loadConfig } from "../../core/config/load_config.ts";
import { findHookLauncher, type FoundLauncher } from "../install/hook_launcher.ts";
import { hookCommandLine } from "../install/hook_command_line.ts";
import { type LastingLauncher, useDenoLauncher } from "../install/deno_launcher.ts";
import {
  describeInstall,
  EVENT_NAME_PATTERN,
  eventIsOn,
  eventsToRegister,
  hookTimeouts,
  installHooks,
} from "../install/install_hooks.ts";
import { settingsPath } from "../install/settings_file.ts";
import { HOOKED_EVENTS } from "../install/hooked_events.ts";
import { readPluginStates } from "../install/claude_plugins.ts";
import { errorMessage } from "../../protocol/error_message.ts";

const HELP = `Usage: claude-ntfy init [--global] [--force] [--project DIR] [--server URL]
                        [--approval] [--install-hooks [--events E1,E2]]

Writes a commented config.toml with a new private topic (mode 0600) and shows how to
subscribe to it.

With --install-hooks it also registers "claude-ntfy hook" in Claude Code's settings.json
(the project's .claude/settings.json, or ~/.claude/settings.json with --global), keeping
an existing config file. Other settings and other tools' hooks stay as they are; an
existing settings.json is backed up (settings.json.bak-<time>) before it changes, and
running it again changes nothing. "claude-ntfy uninstall-hooks" takes the entries out.

Which events: the same ones claude-ntfy's Claude Code plugin (ntfy-notifier) hooks:
session start and end, prompts, tool calls, permission requests, notifications,
subagents, compaction and Stop; plus any other event the config turns on, plus --events.
Which of them notify is up to the config (hooks.events); the daemon also follows the
activity events, which tell it you are back at the terminal (a held notification is then
dropped). If the plugin is enabled, this refuses: the plugin already runs the hook, and
both would notify twice.

The hook command is the fastest one found: dist/claude-ntfy.js (from "deno task build"),
else a compiled claude-ntfy (next to the bundle or on PATH), else cli/main.ts from source
(slower; a warning says so). Deno is started through ~/.claude/ntfy-service/bin/
claude-ntfy-deno, a small sh script written here, which finds a Deno each time (this one
first, while it exists; then deno on PATH, ~/.deno/bin/deno, or one it installs with npm
into ~/.claude/ntfy-service/runtime), so that the hook keeps working when this Deno goes
(e.g. the one "npx deno" runs, which "npm cache clean" deletes).

Options:
  --global          write ~/.claude/ntfy-service/config.toml (default: the project's
                    .claude/ntfy-service/config.toml) and ~/.claude/settings.json
  --project DIR     the project (default: $CLAUDE_PROJECT_DIR, else the current folder)
  --server URL      the ntfy server (default: https://ntfy.sh)
  --force           replace an existing config file
  --approval        answer permission requests from the phone: the config turns
                    [approval] on with a new random reply topic (see the README's
                    security notes: whoever reads your topic can answer too)
  --install-hooks   register the hook in Claude Code's settings.json
  --events E1,E2    register these events too (with --install-hooks)
  -h, --help        show this help
`;

function settingsSnippet(): string {
  const entry = (timeout: number) =>
    `[{ "hooks": [{ "type": "command", "command": "claude-ntfy hook", "timeout": ${timeout} }] }]`;
  return `{\n  "hooks": {\n${
    HOOKED_EVENTS.map(({ event, timeoutSecs }) => `    "${event}": ${entry(timeoutSecs)}`)
      .join(",\n")
  }\n  }\n}`;
}

/** What `init` uses from its surroundings; tests replace it. */
export interface InitDependencies {
  /** Chooses the hook command's launcher. @default {findHookLauncher} */
  findLauncher?: () => FoundLauncher;
  /** The current time, for backup names. @default {() => new Date()} */
  now?: () => Date;
}

/** Creates the `init` command with the given dependencies. */
export function createInitCommand(dependencies: InitDependencies = {}): Command {
  return {
    name: "init",
    summary: "write a config file with a new private topic (--install-hooks: register the hook)",
    run(args: string[], io: CliIo): Promise<number> {
      return Promise.resolve(runInit(args, io, dependencies));
    },
  };
}

/** `init [--global] [--force] [--project DIR] [--server URL] [--install-hooks [--events E]]`. */
export const initCommand: Command = createInitCommand();

/** Splits `--events` into names; `undefined` when one is not a valid event name. */
function parseEvents(value: string | undefined): string[] | undefined {
  if (value === undefined) return [];
  const events = value.split(",").map((event) => event.trim()).filter((event) => event !== "");
  return events.every((event) => EVENT_NAME_PATTERN.test(event)) ? events : undefined;
}

function runInit(args: string[], io: CliIo, dependencies: InitDependencies): number {
  const parsed = readCommandLine(args, io, {
    command: "init",
    help: HELP,
    flags: {
      global: { type: "boolean" },
      force: { type: "boolean" },
      project: { type: "string" },
      server: { type: "string" },
      approval: { type: "boolean" },
      "install-hooks": { type: "boolean" },
      events: { type: "string" },
    },
  });
  if (typeof parsed === "number") return parsed;
  const values = parsed.flags;
  const global = values.global ?? false;
  const installing = values["install-hooks"] ?? false;
  const extraEvents = parseEvents(values.events);
  if (values.events !== undefined && !installing) {
    return usageError(io, "init", "--events needs --install-hooks");
  }
  if (extraEvents === undefined) {
    return usageError(
      io,
      "init",
      `--events must be event names separated by commas (e.g. Stop,SessionEnd), got "${values.events}"`,
    );
  }
  const server = (values.server ?? "https://ntfy.sh").replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(server)) {
    return usageError(io, "init", `--server must be an http(s) URL, got "${server}"`);
  }
  const home = io.env("HOME") ?? io.env("USERPROFILE");
  const project = projectDirOf(io, values.project);
  let path: string;
  if (global) {
    if (home === undefined || home === "") {
      io.stderr("claude-ntfy init: cannot find the home folder: HOME is not set\n");
      return ExitCode.Error;
    }
    path = globalConfigPath(home);
  } else {
    path = projectConfigPath(project);
  }
  // Before anything is written (config, launcher, settings.json).
  if (installing) {
    const refused = refuseBesidePlugin(io, home ?? "", project);
    if (refused !== undefined) return refused;
  }
  const register = () =>
    registerHooks(io, { global, home: home ?? "", project, extraEvents, dependencies });
  const topic = generateTopic();
  const replyTopic = values.approval ? generateReplyTopic() : undefined;
  try {
    writePrivateFile(path, configTemplate({ topic, serverUrl: server, replyTopic }), {
      overwrite: values.force ?? false,
    });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists && values.approval) {
      // Kept, with approvals turned on in it.
      try {
        const current = loadConfig({
          homeDir: home ?? "",
          ...(global ? {} : { projectDir: project }),
          env: io.env,
        }).config;
        const { newReplyTopic } = enableApproval(path, current);
        io.stdout(
          `Kept ${path}; approvals are on in it${
            newReplyTopic === undefined ? "" : ` (new reply topic ${newReplyTopic})`
          }.\n`,
        );
      } catch (failure) {
        io.stderr(
          `claude-ntfy init: cannot turn approvals on in ${path}: ${errorMessage(failure)}\n`,
        );
        return ExitCode.Error;
      }
      if (!installing) return ExitCode.Ok;
      io.stdout("\n");
      return register();
    }
    if (error instanceof Deno.errors.AlreadyExists && installing) {
      io.stdout(`Kept ${path} (it exists; --force would replace it and its topic).\n\n`);
      return register();
    }
    if (error instanceof Deno.errors.AlreadyExists) {
      io.stderr(
        `claude-ntfy init: ${path} already exists; use --force to replace it (its topic would change)\n`,
      );
      return ExitCode.Error;
    }
    io.stderr(`claude-ntfy init: cannot write ${path}: ${errorMessage(error)}\n`);
    return ExitCode.Error;
  }
  const url = `${server}/${topic}`;
  const gitNote = global
    ? ""
    : "\nThe file holds your private topic: keep .claude/ntfy-service/ out of version control.\n";
  io.stdout(
    `Wrote ${path} (mode 0600).\n\n` +
      `Your private topic: ${topic}\n` +
      `Anyone who knows it can read your notifications, so keep it to yourself.\n\n` +
      `Subscribe to it:\n` +
      `  phone:    install the ntfy app (Android or iOS), tap +, enter the topic ${topic}` +
      (server === "https://ntfy.sh" ? "\n" : ` and the server ${server}\n`) +
      `  browser:  ${url}\n` +
      `  terminal: curl -s ${url}/json\n\n` +
      (replyTopic === undefined ? "" : (
        `Approvals are on: a permission request's notification has Allow and Deny buttons.\n` +
        `Answers go to the reply topic ${replyTopic} (no need to subscribe to it). Anyone\n` +
        `who can read your topic can answer too: prefer a token or your own server.\n\n`
      )) +
      (installing ? "" : (
        `Then register the hook in ~/.claude/settings.json (or the project's .claude/settings.json),\n` +
        `or let "claude-ntfy init --install-hooks" do it:\n` +
        `${settingsSnippet()}\n`
      )) +
      gitNote,
  );
  if (!installing) return ExitCode.Ok;
  io.stdout("\n");
  return register();
}

/**
 * Refuses `--install-hooks` while claude-ntfy's Claude Code plugin is enabled here: it runs
 * the hook for every event already, and a settings.json entry too would notify twice.
 * Returns the exit code when it refuses.
 */
function refuseBesidePlugin(io: CliIo, home: string, project: string): number | undefined {
  const active = readPluginStates({ homeDir: home, projectDir: project }).plugins
    .filter((plugin) => plugin.active).map((plugin) => plugin.id);
  if (active.length === 0) return undefined;
  io.stderr(
    `claude-ntfy init: hooks not installed: the Claude Code plugin ${
      active.join(" and ")
    } is enabled and already runs claude-ntfy for every event; registering it in ` +
      `settings.json too would notify twice. Keep the plugin (nothing to do), or disable ` +
      `it first: ${active.map((id) => `claude plugin disable ${id}`).join("; ")}\n`,
  );
  return ExitCode.Error;
}

interface RegisterOptions {
  global: boolean;
  home: string;
  project: string;
  extraEvents: string[];
  dependencies: InitDependencies;
}

/** The `--install-hooks` step: choose events and command, then merge into settings.json. */
function registerHooks(io: CliIo, options: RegisterOptions): number {
  const prefix = "claude-ntfy init";
  if (options.global && options.home === "") {
    io.stderr(`${prefix}: cannot find the home folder: HOME is not set\n`);
    return ExitCode.Error;
  }
  let config;
  let found;
  let lasting: LastingLauncher;
  try {
    // The user's settings.json applies to every project, so only the global config counts.
    config = loadConfig({
      homeDir: options.home,
      ...(options.global ? {} : { projectDir: options.project }),
      env: io.env,
    }).config;
    found = (options.dependencies.findLauncher ?? findHookLauncher)();
    // Without a home folder there is nowhere to keep the launcher: name Deno directly.
    lasting = options.home === ""
      ? { launcher: found.launcher }
      : useDenoLauncher(found.launcher, { homeDir: options.home });
  } catch (error) {
    io.stderr(`${prefix}: hooks not installed: ${errorMessage(error)}\n`);
    return ExitCode.Error;
  }
  const events = eventsToRegister(config, options.extraEvents);
  const path = options.global
    ? settingsPath("user", options.home)
    : settingsPath("project", options.project);
  let report;
  try {
    report = installHooks({
      settingsPath: path,
      command: hookCommandLine(lasting.launcher),
      events,
      timeouts: hookTimeouts(config),
      now: (options.dependencies.now ?? (() => new Date()))(),
    });
  } catch (error) {
    io.stderr(
      `${prefix}: hooks not installed, ${path} left unchanged: ${errorMessage(error)}\n`,
    );
    return ExitCode.Error;
  }
  io.stdout(describeInstall(report));
  if (lasting.script !== undefined) {
    io.stdout(
      `  launcher:  ${lasting.script.path} (${
        lasting.script.written ? "written" : "unchanged"
      }; finds Deno each time the hook runs)\n`,
    );
  }
  if (!options.global && report.written) {
    io.stdout(
      "Note: .claude/settings.json is often shared in version control, and this command holds " +
        "paths on this machine; --global registers it for you alone.\n",
    );
  }
  if (found.warning !== undefined) io.stderr(`warning: ${found.warning}\n`);
  const off = options.extraEvents.filter((event) => !eventIsOn(config, event));
  if (off.length > 0) {
    io.stderr(
      `warning: the config turns ${off.join(", ")} off, so ${
        off.length === 1 ? "it does" : "they do"
      } not notify: enable with "claude-ntfy config hook EVENT --enable"\n`,
    );
  }
  if (!config.hooks.enabled) {
    io.stderr(
      `warning: hooks.enabled is false in the config: nothing will notify until it is true\n`,
    );
  }
  return ExitCode.Ok;
}
