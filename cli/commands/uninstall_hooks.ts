/**
 * `claude-ntfy uninstall-hooks`: takes claude-ntfy's entries out of Claude Code's
 * settings.json and leaves everything else there as it was.
 *
 * @module
 */

import { type CliIo, type Command, ExitCode } from "../io.ts";
import { projectDirOf } from "../project_dir.ts";
import { readCommandLine } from "../command_line.ts";
import { uninstallHooks } from "../install/install_hooks.ts";
import { settingsPath } from "../install/settings_file.ts";
import { errorMessage } from "../../protocol/error_message.ts";

const HELP = `Usage: claude-ntfy uninstall-hooks [--global] [--project DIR]

Removes claude-ntfy's hook entries from the project's .claude/settings.json (or with
--global from ~/.claude/settings.json). Other tools' hooks and all other settings stay;
a matcher group, an event or the "hooks" object is removed only when claude-ntfy's
entries were all it held. The previous file is backed up (settings.json.bak-<time>).
The config file and the daemon are left alone.

Options:
  --global        change ~/.claude/settings.json
  --project DIR   the project (default: $CLAUDE_PROJECT_DIR, else the current folder)
  -h, --help      show this help
`;

function run(args: string[], io: CliIo): number {
  const parsed = readCommandLine(args, io, {
    command: "uninstall-hooks",
    help: HELP,
    flags: { global: { type: "boolean" }, project: { type: "string" } },
  });
  if (typeof parsed === "number") return parsed;
  const values = parsed.flags;
  let path: string;
  if (values.global) {
    const home = io.env("HOME");
    if (!home) {
      io.stderr("claude-ntfy uninstall-hooks: cannot find the home folder: HOME is not set\n");
      return ExitCode.Error;
    }
    path = settingsPath("user", home);
  } else {
    const project = projectDirOf(io, values.project);
    path = settingsPath("project", project);
  }
  let report;
  try {
    report = uninstallHooks({ settingsPath: path });
  } catch (error) {
    io.stderr(
      `claude-ntfy uninstall-hooks: ${path} left unchanged: ${errorMessage(error)}\n`,
    );
    return ExitCode.Error;
  }
  if (!report.written) {
    io.stdout(`No change: ${path} has no claude-ntfy hooks\n`);
  } else {
    io.stdout(
      `Updated ${path} (backup: ${report.backupPath})\n  removed: ${report.removed.join(", ")}\n`,
    );
  }
  return ExitCode.Ok;
}

/** The `uninstall-hooks` command. */
export const uninstallHooksCommand: Command = {
  name: "uninstall-hooks",
  summary: "remove claude-ntfy's hooks from Claude Code's settings.json",
  run: (args, io) => Promise.resolve(run(args, io)),
};
