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
import { type HookHandOver, makeHookEvent, readEventStdin } from "../hook/hook_event.ts";
import { reviveError } from "../hook/revive_error.ts";
import { daemonPathsFor } from "../daemon_paths.ts";
import { sendEventOnce } from "../../client/send_event.ts";
import { daemonConnectOptions } from "../daemon_connect_options.ts";
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

/** Everything after reading stdin, or after the fast path handed over. */
async function runHook(args: string[], io: CliIo, handOver?: HookHandOver): Promise<number> {
  // No arguments is how Claude Code runs it: nothing to parse.
  const parsed = args.length === 0 ? { flags: NO_FLAGS } : readCommandLine(args, io, {
    command: "hook",
    help: HELP,
    flags: HOOK_FLAGS,
    onUsageError: { exitCode: ExitCode.Error, showHelp: false },
  });
  if (typeof parsed === "number") return parsed;
  const { flags } = parsed;
  const stdin = handOver?.stdin ?? await readEventStdin(io);
  const event = handOver?.event ?? makeHookEvent(stdin, flags, io, Date.now());
  const { payload, context, projectDir } = event;
  const fallback = () => import("../hook/hook_fallback.ts");
  const job = { io, flags, payload, context, projectDir };
  if (flags["dry-run"] || flags["no-daemon"]) return await (await fallback()).resolveHere(job);
  const paths = daemonPathsFor(io, {
    projectDir,
    projectHasStateDir: event.projectHasStateDir,
    stateDir: flags["state-dir"],
  });
  if (isPermissionRequest(payload, context.hookName)) {
    // The one event that may wait for an answer from the phone.
    return await (await import("../hook/permission_decision.ts")).askForDecision(job, paths);
  }
  // The fast path tried the daemon already: on to what follows its failure.
  if (handOver?.sendFailure) {
    // Made by the fast path's bundle: as this bundle's errors, for `instanceof` to work.
    const error = reviveError(handOver.sendFailure.error);
    return await (await fallback()).whenDaemonFailed(job, paths, error);
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

/**
 * Runs the hook command: with `handOver`, from where the hook's fast path stopped. Never
 * throws: an error is said on stderr, with exit code 1 (never 2, which blocks a tool).
 *
 * @param args The hook's arguments.
 * @param io The process's I/O.
 * @param handOver What the fast path read and did, when it ran first (it runs only with no
 * arguments, so `args` is then empty).
 * @returns The exit code.
 *
 * @example `--help`
 * ```ts
 * import assert from "node:assert/strict";
 * import { runHookCommand } from "./hook.ts";
 *
 * let printed = "";
 * const io = { stdout: (text: string) => void (printed += text), env: () => undefined } as never;
 * assert.equal(await runHookCommand(["--help"], io), 0);
 * assert.match(printed, /^Usage: claude-ntfy hook/);
 * ```
 */
export async function runHookCommand(
  args: string[],
  io: CliIo,
  handOver?: HookHandOver,
): Promise<number> {
  try {
    return await runHook(args, io, handOver);
  } catch (error) {
    io.stderr(`claude-ntfy hook: not sent: ${errorLine(error)}\n`);
    return ExitCode.Error;
  }
}

/** The `hook` command. */
export const hookCommand: Command = {
  name: "hook",
  summary: "hand a Claude Code hook event from stdin to the daemon (what Claude Code runs)",
  run: (args, io) => runHookCommand(args, io),
};
