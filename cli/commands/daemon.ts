/**
 * `claude-ntfy daemon start|stop|status|reload|ping|run`: manage the background daemon.
 *
 * @module
 */

import { type CliIo, type Command, ExitCode } from "../io.ts";
import { readCommandLine } from "../command_line.ts";
import type { FlagValues } from "../parse_flags.ts";
import { type CliContext, resolveContext } from "../context.ts";
import type { DaemonClient } from "../../client/client.ts";
import { connectDaemon } from "../connect_daemon.ts";
import { ClientError } from "../../client/errors.ts";
import { daemonProgram, preparePrivateDirs, stopOlderDaemon } from "../daemon_launch.ts";
import { readPidFile } from "../../core/state_dir.ts";
import { formatStatus } from "./status_format.ts";
import { withDaemon } from "../with_daemon.ts";
import { errorLine } from "../hook/one_line.ts";

const HELP = `Usage: claude-ntfy daemon <action> [options]

Actions:
  start [--detach] [--verbose]
                       Start the daemon (in the foreground unless --detach);
                       logs go to stderr, or to daemon.log_path when detached
  stop                 Stop it gracefully (drains the queue first)
  status [--json] [--watch [--interval SECS]]
                       Show uptime, queue, deliveries, latency and connections
  reload               Re-read the configuration
  ping                 Check that it answers; prints the round trip

Options:
  --project DIR        Project directory (default: $CLAUDE_PROJECT_DIR or the working directory)
  --state-dir DIR      State folder (default: <project>/.claude/ntfy-service if it exists,
                       else ~/.claude/ntfy-service)
  --json               Machine-readable output
  -h, --help           Show this help

Exit codes: 0 ok, 1 error, 3 daemon not running (status, ping, stop, reload).
`;

const FLAGS = {
  project: { type: "string" },
  "state-dir": { type: "string" },
  json: { type: "boolean" },
  detach: { type: "boolean", short: "d" },
  foreground: { type: "boolean" },
  watch: { type: "boolean", short: "w" },
  interval: { type: "string" },
  "log-file": { type: "string" },
  replace: { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
} as const;

type DaemonFlags = FlagValues<typeof FLAGS>;

/** Runs `fn` with a connected client; maps "not running" to exit code 3. */
function withClient(
  io: CliIo,
  context: CliContext,
  json: boolean,
  fn: (client: DaemonClient) => Promise<number>,
): Promise<number> {
  return withDaemon(context, "cli", {
    notRunning() {
      if (json) {
        io.stdout(
          JSON.stringify({ isRunning: false, socketPath: context.paths.socketPath }) + "\n",
        );
      } else io.stderr(`claude-ntfy: daemon is not running (socket ${context.paths.socketPath})\n`);
    },
    work: fn,
  });
}

/**
 * Waits until the daemon with process id `pid` answers on the socket. Another daemon
 * answering (one that won a start race) does not count.
 */
async function waitUntilAnswering(
  context: CliContext,
  pid: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      const client = await connectDaemon(context.paths, "cli");
      const answering = client.daemon.pid;
      await client.close();
      if (answering === pid) return true;
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

/** The pid of a daemon already answering on the socket, if any. */
async function runningDaemonPid(context: CliContext): Promise<number | undefined> {
  try {
    const client = await connectDaemon(context.paths, "cli");
    const pid = client.daemon.pid;
    await client.close();
    return pid;
  } catch (error) {
    if (error instanceof ClientError) return undefined;
    throw error;
  }
}

async function start(io: CliIo, context: CliContext, flags: DaemonFlags): Promise<number> {
  const running = await runningDaemonPid(context);
  if (running !== undefined) {
    io.stderr(
      `claude-ntfy: a daemon is already running (pid ${running}, socket ${context.paths.socketPath})\n`,
    );
    return ExitCode.Error;
  }
  // The daemon may not create folders above its state folder: do it here.
  preparePrivateDirs(context);
  if (!flags.detach) {
    const [program, args] = daemonProgram(context, flags.verbose ? ["--verbose"] : []);
    const child = new Deno.Command(program, {
      args,
      stdin: "null",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
    // The terminal sends SIGINT to the whole group; let the child shut down, then exit.
    const forward = (signal: Deno.Signal) => () => {
      try {
        child.kill(signal);
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
      }
    };
    const handlers: Array<[Deno.Signal, () => void]> = [
      ["SIGINT", () => {}],
      ["SIGTERM", forward("SIGTERM")],
      ["SIGHUP", forward("SIGHUP")],
    ];
    for (const [signal, handler] of handlers) Deno.addSignalListener(signal, handler);
    const status = await child.status;
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
    return status.code === 0 ? ExitCode.Ok : ExitCode.Error;
  }
  const logFile = flags["log-file"] ?? context.paths.logPath;
  const [program, args] = daemonProgram(context, [
    `--log-file=${logFile}`,
    ...(flags.verbose ? ["--verbose"] : []),
  ]);
  const child = new Deno.Command(program, {
    args,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    detached: true,
  }).spawn();
  const exited = child.status.then((status) => status);
  const ready = waitUntilAnswering(context, child.pid, 5_000);
  const first = await Promise.race([
    ready.then((ok) => ok ? "ready" as const : "late" as const),
    exited,
  ]);
  if (first === "ready") {
    child.stderr.cancel();
    child.unref();
    const pid = child.pid;
    if (flags.json) {
      io.stdout(
        JSON.stringify({ started: true, pid, socketPath: context.paths.socketPath }) + "\n",
      );
    } else {
      io.stdout(`claude-ntfy daemon started (pid ${pid}, socket ${context.paths.socketPath})\n`);
    }
    return ExitCode.Ok;
  }
  if (first === "late") {
    // Still starting after 5 s: leave it be, but say so.
    child.stderr.cancel();
    child.unref();
    io.stderr(
      `claude-ntfy: the daemon (pid ${child.pid}) did not answer within 5 s; see ${logFile}\n`,
    );
    return ExitCode.Error;
  }
  const errorText = await new Response(child.stderr).text().catch(() => "");
  const status = await exited;
  io.stderr(
    `claude-ntfy: the daemon did not start (exit code ${status.code})\n${errorText.trim()}\n`,
  );
  return ExitCode.Error;
}

async function stop(io: CliIo, context: CliContext, json: boolean): Promise<number> {
  return await withClient(io, context, json, async (client) => {
    const pid = client.daemon.pid;
    await client.shutdown();
    // Wait for the PID file to go: the daemon removes it last.
    const deadline = performance.now() + 15_000;
    while (performance.now() < deadline && readPidFile(context.paths.pidPath) === pid) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const stopped = readPidFile(context.paths.pidPath) !== pid;
    if (json) io.stdout(JSON.stringify({ stopped, pid }) + "\n");
    else if (stopped) io.stdout(`claude-ntfy daemon stopped (pid ${pid})\n`);
    else io.stderr(`claude-ntfy: the daemon (pid ${pid}) acknowledged but is still running\n`);
    return stopped ? ExitCode.Ok : ExitCode.Error;
  });
}

async function status(io: CliIo, context: CliContext, flags: DaemonFlags): Promise<number> {
  return await withClient(io, context, flags.json ?? false, async (client) => {
    const intervalMs = Math.max(200, Number(flags.interval ?? "1") * 1000);
    do {
      const current = await client.status();
      if (flags.json) io.stdout(JSON.stringify(current) + "\n");
      else {
        if (flags.watch && io.isTerminal) io.stdout("\x1b[H\x1b[2J");
        io.stdout(formatStatus(current, { color: io.isTerminal }));
      }
      if (flags.watch) await new Promise((resolve) => setTimeout(resolve, intervalMs));
    } while (flags.watch);
    return ExitCode.Ok;
  });
}

async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = readCommandLine(args, io, {
    command: "daemon",
    help: HELP,
    flags: FLAGS,
    positionals: true,
  });
  if (typeof parsed === "number") return parsed;
  const { flags } = parsed;
  const [action] = parsed.positionals;
  if (action === undefined) {
    io.stderr(HELP);
    return ExitCode.Usage;
  }
  try {
    const context = resolveContext(io, {
      projectDir: flags.project,
      stateDir: flags["state-dir"],
    });
    switch (action) {
      case "start":
        return await start(io, context, flags);
      case "run": {
        // Loaded only here: the daemon's code stays off the hook's hot path.
        const { runDaemon } = await import("../../daemon/main.ts");
        if (flags.replace) await stopOlderDaemon(context.paths);
        return await runDaemon({
          paths: context.paths,
          logFile: flags["log-file"],
          stderr: io.stderr,
          verbose: flags.verbose,
          loadConfig: () =>
            resolveContext(io, { projectDir: flags.project, stateDir: flags["state-dir"] }).config,
        });
      }
      case "stop":
        return await stop(io, context, flags.json ?? false);
      case "status":
        return await status(io, context, flags);
      case "reload":
        return await withClient(io, context, flags.json ?? false, async (client) => {
          await client.reload();
          io.stdout(flags.json ? '{"reloaded":true}\n' : "claude-ntfy daemon reloaded\n");
          return ExitCode.Ok;
        });
      case "ping":
        return await withClient(io, context, flags.json ?? false, async (client) => {
          const ms = await client.ping();
          io.stdout(
            flags.json
              ? JSON.stringify({ ok: true, roundTripMs: ms, pid: client.daemon.pid }) + "\n"
              : `pong from pid ${client.daemon.pid} in ${ms.toFixed(3)} ms\n`,
          );
          return ExitCode.Ok;
        });
      default:
        io.stderr(`claude-ntfy daemon: unknown action "${action}"\n\n${HELP}`);
        return ExitCode.Usage;
    }
  } catch (error) {
    io.stderr(`claude-ntfy daemon ${action}: ${errorLine(error)}\n`);
    return ExitCode.Error;
  }
}

/** The `daemon` command. */
export const daemonCommand: Command = {
  name: "daemon",
  summary: "start, stop, inspect or reload the delivery daemon",
  run,
};
