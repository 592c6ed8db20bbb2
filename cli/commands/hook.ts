/**
 * `claude-ntfy hook`: the command Claude Code runs on every hook event. Reads the event
 * from stdin, resolves it into a notification and hands it to the daemon.
 *
 * It must never block or break Claude Code: it never exits with 2 (Claude Code's
 * "blocking error"), never hangs on stdin, and prints nothing on stdout unless asked to
 * (`--dry-run`), since Claude Code adds a hook's stdout to the model's context for some
 * events.
 *
 * @module
 */

import { type CliIo, type Command, ExitCode } from "../io.ts";
import { parseFlags } from "../parse_flags.ts";
import { resolveContext } from "../context.ts";
import { submitTask } from "../submit_task.ts";
import { readHookStdin } from "../hook/read_hook_stdin.ts";
import { parseHookInput } from "../../core/events/parse_hook_input.ts";
import { HookInputError } from "../../core/events/hook_input_error.ts";
import { resolveProjectDir } from "../../core/events/resolve_project_dir.ts";
import { resolveNotification } from "../../core/events/resolve_notification.ts";
import { describeTask } from "../../core/events/describe_task.ts";

const HELP = `Usage: claude-ntfy hook [options] < event.json

Reads a Claude Code hook event (JSON) on stdin and sends the notification it calls for.
Register it in .claude/settings.json (see "claude-ntfy init --install-hooks").

Options:
  --hook-name NAME   Event name when the payload has no hook_event_name (else $CLAUDE_HOOK)
  --project DIR      Project directory (else $CLAUDE_PROJECT_DIR, else the payload's cwd)
  --state-dir DIR    The daemon's state folder
  --dry-run          Print what would be sent, send nothing
  --no-daemon        Publish directly instead of through the daemon
  -v, --verbose      Say on stderr why an event was skipped and where a task went
  -h, --help         Show this help

Exit codes: 0 sent or skipped; 1 not sent (the reason is on stderr). Never 2.
`;

/** Largest stdin accepted; longer input is cut and its long fields truncated. */
export const HOOK_STDIN_MAX_BYTES = 1024 * 1024;
/** Longest wait for stdin to end. */
export const HOOK_STDIN_TIMEOUT_MS = 2_000;

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").slice(0, 500);
}

async function runHook(args: string[], io: CliIo): Promise<number> {
  let values;
  try {
    values = parseFlags(args, {
      "hook-name": { type: "string" },
      project: { type: "string" },
      "state-dir": { type: "string" },
      "dry-run": { type: "boolean" },
      "no-daemon": { type: "boolean" },
      verbose: { type: "boolean", short: "v" },
      help: { type: "boolean", short: "h" },
    }) as {
      "hook-name"?: string;
      project?: string;
      "state-dir"?: string;
      "dry-run"?: boolean;
      "no-daemon"?: boolean;
      verbose?: boolean;
      help?: boolean;
    };
  } catch (error) {
    io.stderr(`claude-ntfy hook: ${oneLine((error as Error).message)}\n`);
    return ExitCode.Error;
  }
  if (values.help) {
    io.stdout(HELP);
    return ExitCode.Ok;
  }
  // A terminal on stdin means nothing was piped in: do not wait for input that never comes.
  const stdin = io.stdinIsTerminal
    ? { bytes: new Uint8Array(), truncated: false, timedOut: false }
    : await readHookStdin(io.stdin, {
      maxBytes: HOOK_STDIN_MAX_BYTES,
      timeoutMs: HOOK_STDIN_TIMEOUT_MS,
    });
  const event = parseHookInput(stdin.bytes, {
    hookName: values["hook-name"],
    envHookName: io.env("CLAUDE_HOOK"),
    truncated: stdin.truncated || stdin.timedOut,
  });
  const projectDir = resolveProjectDir({
    flag: values.project,
    envDir: io.env("CLAUDE_PROJECT_DIR"),
    payloadCwd: event.payload.cwd,
    cwd: io.cwd,
  });
  const context = resolveContext(io, { projectDir, stateDir: values["state-dir"] });
  for (const warning of context.warnings) io.stderr(`claude-ntfy hook: ${oneLine(warning)}\n`);
  const resolution = resolveNotification(event, context.config, {
    projectDir: context.projectDir,
    now: Date.now(),
  });
  if (resolution.kind === "skip") {
    if (values.verbose || values["dry-run"]) {
      io.stderr(`claude-ntfy hook: ${event.name} skipped: ${oneLine(resolution.reason)}\n`);
    }
    return ExitCode.Ok;
  }
  for (const warning of resolution.warnings) io.stderr(`claude-ntfy hook: ${oneLine(warning)}\n`);
  if (values["dry-run"]) {
    io.stdout(describeTask(resolution.task));
    return ExitCode.Ok;
  }
  const outcome = await submitTask(resolution.task, context, { noDaemon: values["no-daemon"] });
  if (outcome.via === "spool" && outcome.daemonNotRunning && !outcome.startedDaemon) {
    // Safe on disk, but nobody will deliver it until a daemon runs: say so.
    io.stderr(
      `claude-ntfy hook: ${event.name} spooled; the daemon is not running and autostart is ` +
        `off: start it with "claude-ntfy daemon start --detach"\n`,
    );
  } else if (values.verbose) {
    const where = outcome.via === "daemon"
      ? `queued by the daemon as ${outcome.id}`
      : outcome.via === "spool"
      ? `spooled to ${outcome.id}${outcome.startedDaemon ? "; starting the daemon" : ""}`
      : `published as ${outcome.id}`;
    const why = outcome.fallbackReason ? ` (${oneLine(outcome.fallbackReason)})` : "";
    io.stderr(`claude-ntfy hook: ${event.name} ${where}${why}\n`);
  }
  return ExitCode.Ok;
}

async function run(args: string[], io: CliIo): Promise<number> {
  try {
    return await runHook(args, io);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const prefix = error instanceof HookInputError ? "bad input" : "not sent";
    io.stderr(
      `claude-ntfy hook: ${prefix}: ${oneLine((error as Error)?.message ?? String(error))}${
        typeof code === "string" ? ` [${code}]` : ""
      }\n`,
    );
    return ExitCode.Error;
  }
}

/** The `hook` command. */
export const hookCommand: Command = {
  name: "hook",
  summary: "handle a Claude Code hook event from stdin (what Claude Code runs)",
  run,
};
