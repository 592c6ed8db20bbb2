/**
 * `claude-ntfy hook`: the command Claude Code runs on every hook event. It reads the event
 * from stdin and forwards the raw bytes, with what only this process knows (flags, the
 * configuration variables of its environment, the project's config file), to the daemon,
 * which parses, filters, renders and queues. No config parsing or rendering happens here:
 * this runs on every event, so it does as little as it can and loads as little code.
 *
 * The slow paths (`--dry-run`, `--no-daemon`, a daemon that cannot be reached or is too
 * old) live in `cli/hook/hook_fallback.ts`, loaded only when needed.
 *
 * It must never block or break Claude Code: it never exits with 2 (Claude Code's
 * "blocking error"), never hangs on stdin, and prints nothing on stdout unless asked to
 * (`--dry-run`), since Claude Code adds a hook's stdout to the model's context for some
 * events. The one exception is a `PermissionRequest` answered from the phone (see
 * `cli/hook/permission_decision.ts`): it prints the decision Claude Code reads.
 *
 * @module
 */

import { type CliIo, type Command, ExitCode } from "../io.ts";
import { readCommandLine } from "../command_line.ts";
import { readHookStdin } from "../hook/read_hook_stdin.ts";
import { hookContext } from "../hook/hook_context.ts";
import { fitEventPayload } from "../hook/fit_event_payload.ts";
import { daemonPathsFor } from "../daemon_paths.ts";
import { sendEventOnce } from "../../client/send_event.ts";
import { daemonConnectOptions } from "../connect_daemon.ts";
import { errorLine, oneLine } from "../hook/one_line.ts";
import { HOOK_FLAGS, type HookFlags } from "../hook/hook_flags.ts";
import { isPermissionRequest } from "../hook/is_permission_request.ts";

const HELP = `Usage: claude-ntfy hook [options] < event.json

Reads a Claude Code hook event (JSON) on stdin and hands it to the daemon, which sends the
notification it calls for. The Claude Code plugin (ntfy-notifier) runs it, or register it
in .claude/settings.json with "claude-ntfy init --install-hooks" (not both).

Options:
  --hook-name NAME   Event name when the payload has no hook_event_name (else $CLAUDE_HOOK)
  --project DIR      Project directory (else $CLAUDE_PROJECT_DIR, else the payload's cwd)
  --state-dir DIR    The daemon's state folder
  --dry-run          Print what would be sent, send nothing
  --no-daemon        Publish directly instead of through the daemon
  -v, --verbose      Say on stderr why an event was skipped and where it went
  -h, --help         Show this help

For a PermissionRequest with approvals on ([approval] in the config), the hook waits for
the answer from the phone and prints Claude Code's decision JSON; with no answer it prints
nothing.

Exit codes: 0 sent or skipped; 1 not sent (the reason is on stderr). Never 2.
`;

const NO_FLAGS: HookFlags = {};

/** Largest stdin accepted; longer input is cut and its long fields truncated. */
export const HOOK_STDIN_MAX_BYTES = 1024 * 1024;
/** Longest wait for stdin to end (`CLAUDE_NTFY_STDIN_TIMEOUT_MS` may shorten it). */
export const HOOK_STDIN_TIMEOUT_MS = 2_000;

function stdinTimeoutMs(io: CliIo): number {
  const wanted = Number(io.env("CLAUDE_NTFY_STDIN_TIMEOUT_MS"));
  return Number.isFinite(wanted) && wanted > 0
    ? Math.min(wanted, HOOK_STDIN_TIMEOUT_MS)
    : HOOK_STDIN_TIMEOUT_MS;
}

async function runHook(args: string[], io: CliIo): Promise<number> {
  // No arguments is how Claude Code runs it: nothing to parse.
  const parsed = args.length === 0 ? { flags: NO_FLAGS } : readCommandLine(args, io, {
    command: "hook",
    help: HELP,
    flags: HOOK_FLAGS,
    onUsageError: { exitCode: ExitCode.Error, showHelp: false },
  });
  if (typeof parsed === "number") return parsed;
  const { flags } = parsed;
  // A terminal on stdin means nothing was piped in: do not wait for input that never comes.
  const stdin = io.stdinIsTerminal
    ? { bytes: new Uint8Array(), truncated: false, timedOut: false }
    : await readHookStdin(io.stdinReader ?? io.stdin, {
      maxBytes: HOOK_STDIN_MAX_BYTES,
      timeoutMs: stdinTimeoutMs(io),
    });
  const gathered = hookContext(stdin, {
    hookName: flags["hook-name"] || io.env("CLAUDE_HOOK"),
    projectDir: flags.project || io.env("CLAUDE_PROJECT_DIR"),
    cwd: io.cwd,
    env: io.environment?.() ?? {},
  }, Date.now());
  const projectDir = gathered.projectDir;
  // One frame holds the event with its context: a payload near 1 MiB is cut to fit.
  const { payload, context } = fitEventPayload(stdin.bytes, gathered.context);
  const fallback = () => import("../hook/hook_fallback.ts");
  const job = { io, flags, payload, context, projectDir };
  if (flags["dry-run"] || flags["no-daemon"]) return await (await fallback()).resolveHere(job);
  const paths = daemonPathsFor(io, {
    projectDir,
    projectHasStateDir: gathered.projectHasStateDir,
    stateDir: flags["state-dir"],
  });
  if (isPermissionRequest(payload, context.hookName)) {
    // The one event that may wait for an answer from the phone.
    return await (await import("../hook/permission_decision.ts")).askForDecision(job, paths);
  }
  let answer;
  try {
    answer = await sendEventOnce(daemonConnectOptions(paths, "hook"), { payload, context });
  } catch (error) {
    return await (await fallback()).whenDaemonFailed(job, paths, error);
  }
  if (flags.verbose) {
    io.stderr(
      answer.skipped !== undefined
        ? `claude-ntfy hook: skipped: ${oneLine(answer.skipped)}\n`
        : `claude-ntfy hook: queued by the daemon as ${answer.taskId}\n`,
    );
  }
  return ExitCode.Ok;
}

async function run(args: string[], io: CliIo): Promise<number> {
  try {
    return await runHook(args, io);
  } catch (error) {
    io.stderr(`claude-ntfy hook: not sent: ${errorLine(error)}\n`);
    return ExitCode.Error;
  }
}

/** The `hook` command. */
export const hookCommand: Command = {
  name: "hook",
  summary: "hand a Claude Code hook event from stdin to the daemon (what Claude Code runs)",
  run,
};
