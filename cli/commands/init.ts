/**
 * `claude-ntfy init`: writes a commented config file with a private topic.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type CliIo, type Command, ExitCode } from "../io.ts";
import { configTemplate } from "../config/config_template.ts";
import { globalConfigPath, projectConfigPath } from "../config/config_paths.ts";
import { generateTopic } from "../config/generate_topic.ts";
import { writePrivateFile } from "../config/write_private_file.ts";
import { resolveProjectDir } from "../hook/resolve_project_dir.ts";

const HELP = `Usage: claude-ntfy init [--global] [--force] [--project DIR] [--server URL]

Writes a commented config.toml with a new private topic (mode 0600) and shows how to
subscribe to it.

Options:
  --global        write ~/.claude/ntfy-service/config.toml (default: the project's
                  .claude/ntfy-service/config.toml)
  --project DIR   the project (default: $CLAUDE_PROJECT_DIR, else the current folder)
  --server URL    the ntfy server (default: https://ntfy.sh)
  --force         replace an existing config file
  -h, --help      show this help
`;

function settingsSnippet(): string {
  const entry =
    '[{ "hooks": [{ "type": "command", "command": "claude-ntfy hook", "timeout": 10 }] }]';
  const events = ["Notification", "PermissionRequest", "Stop", "PostToolUseFailure"];
  return `{\n  "hooks": {\n${
    events.map((event) => `    "${event}": ${entry}`).join(",\n")
  }\n  }\n}`;
}

/** `init [--global] [--force] [--project DIR] [--server URL]`. */
export const initCommand: Command = {
  name: "init",
  summary: "write a config file with a new private topic",
  run(args: string[], io: CliIo): Promise<number> {
    return Promise.resolve(runInit(args, io));
  },
};

function runInit(args: string[], io: CliIo): number {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        global: { type: "boolean", default: false },
        force: { type: "boolean", default: false },
        project: { type: "string" },
        server: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr(`claude-ntfy init: ${(error as Error).message}\n\n${HELP}`);
    return ExitCode.Usage;
  }
  if (values.help) {
    io.stdout(HELP);
    return ExitCode.Ok;
  }
  const server = (values.server ?? "https://ntfy.sh").replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(server)) {
    io.stderr(`claude-ntfy init: --server must be an http(s) URL, got "${server}"\n`);
    return ExitCode.Usage;
  }
  let path: string;
  if (values.global) {
    const home = io.env("HOME") ?? io.env("USERPROFILE");
    if (home === undefined || home === "") {
      io.stderr("claude-ntfy init: cannot find the home folder: HOME is not set\n");
      return ExitCode.Error;
    }
    path = globalConfigPath(home);
  } else {
    const project = resolveProjectDir({
      flag: values.project,
      envDir: io.env("CLAUDE_PROJECT_DIR"),
      cwd: io.cwd,
    }) as string;
    path = projectConfigPath(project);
  }
  const topic = generateTopic();
  try {
    writePrivateFile(path, configTemplate({ topic, serverUrl: server }), {
      overwrite: values.force,
    });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      io.stderr(
        `claude-ntfy init: ${path} already exists; use --force to replace it (its topic would change)\n`,
      );
      return ExitCode.Error;
    }
    io.stderr(`claude-ntfy init: cannot write ${path}: ${(error as Error).message}\n`);
    return ExitCode.Error;
  }
  const url = `${server}/${topic}`;
  const gitNote = values.global
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
      `Then register the hook in ~/.claude/settings.json (or the project's .claude/settings.json):\n` +
      `${settingsSnippet()}\n` +
      gitNote,
  );
  return ExitCode.Ok;
}
