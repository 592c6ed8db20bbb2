/**
 * `claude-ntfy doctor`: checks the setup end to end (config, topic, secrets, daemon,
 * permissions, registered hooks, bundle and, with `--send`, ntfy itself) and says how to
 * fix each problem. The checks are in `cli/doctor/`.
 *
 * @module
 */

import { type CliIo, type Command, ExitCode } from "../io.ts";
import { projectDirOf } from "../project_dir.ts";
import { readCommandLine } from "../command_line.ts";
import { runDoctorChecks } from "../doctor/run_doctor_checks.ts";
import { formatChecks } from "../doctor/format_checks.ts";

export type { CheckStatus, DoctorCheck } from "../install/doctor_check.ts";

const HELP = `Usage: claude-ntfy doctor [--send] [--json] [--project DIR]

Checks the setup and prints a checklist: ✓ fine, ! works but should be fixed,
✗ broken, - not checked. Each problem comes with a line saying how to fix it.

Checked: the config loads (files, warnings); a topic is set and is not guessable;
approvals from the phone (when on) are not open to anyone on a public server;
config files holding a token are private (0600); the daemon answers a ping; the state
folder, socket and token file are private (0700/0600); the claude-ntfy Claude Code
plugin is enabled, or claude-ntfy's hooks are registered in ~/.claude/settings.json and
the project's .claude/settings.json and settings.local.json (which events), but not both,
since every event would notify twice; the Deno the settings.json hooks run exists and is
not in a cache that gets emptied (npm's npx cache, /tmp); the bundles (dist/claude-ntfy.js,
dist/hook/claude-ntfy-hook.js) exist and are current (not needed when only the plugin
runs the hook).

Nothing goes over the network unless --send is given: then a test notification is
published straight to ntfy (not through the daemon, so that the answer shows ntfy is
reachable) and ntfy's message id is printed.

Options:
  --send          publish a test notification and report ntfy's message id
  --json          print the checks as JSON
  --project DIR   the project (default: $CLAUDE_PROJECT_DIR, else the current folder)
  -h, --help      show this help

Exit codes: 0 no ✗, 1 at least one ✗.
`;

async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = readCommandLine(args, io, {
    command: "doctor",
    help: HELP,
    flags: { send: { type: "boolean" }, json: { type: "boolean" }, project: { type: "string" } },
  });
  if (typeof parsed === "number") return parsed;
  const values = parsed.flags;
  const projectDir = projectDirOf(io, values.project);
  const checks = await runDoctorChecks(io, { projectDir, send: values.send });
  const ok = checks.every((entry) => entry.status !== "fail");
  if (values.json) io.stdout(`${JSON.stringify({ ok, checks }, null, 2)}\n`);
  else io.stdout(formatChecks(checks));
  return ok ? ExitCode.Ok : ExitCode.Error;
}

/** The `doctor` command. */
export const doctorCommand: Command = {
  name: "doctor",
  summary: "check the setup and say how to fix what is wrong (--send: test ntfy)",
  run,
};
