/**
 * `claude-ntfy queue`: what the daemon holds (queued, in flight, retrying), its dead
 * letters, and retrying or purging them. Credentials are always masked.
 *
 * @module
 */

import { type CliIo, type Command, ExitCode } from "../io.ts";
import { readCommandLine, usageError } from "../command_line.ts";
import { type CliContext, resolveContext } from "../context.ts";
import type { DaemonClient } from "../../client/client.ts";
import { withDaemon } from "../with_daemon.ts";
import { countSpoolFiles } from "../../core/spool/spool_files.ts";
import type { DeadTask, HeldTask } from "../../protocol/mod.ts";
import { errorLine } from "../hook/one_line.ts";

const HELP = `Usage: claude-ntfy queue [list] [--json]
       claude-ntfy queue retry (ID... | --all)
       claude-ntfy queue purge

  list     Tasks the daemon holds (queued, in flight, retrying) and its dead letters
  retry    Queue dead letters again: the ids given, or --all
  purge    Delete every dead letter

Options:
  --json             Machine-readable output
  --project DIR      Project directory
  --state-dir DIR    The daemon's state folder
  -h, --help         Show this help

Exit codes: 0 ok, 1 error, 3 daemon not running.
`;

function age(ms: number): string {
  const secs = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (secs < 60) return `${secs}s ago`;
  if (secs < 3600) return `${Math.round(secs / 60)}m ago`;
  if (secs < 86_400) return `${Math.round(secs / 3600)}h ago`;
  return `${Math.round(secs / 86_400)}d ago`;
}

function describeHeld(task: HeldTask): string {
  const { target, message, origin, notBefore } = task.task;
  const error = task.lastError ? `\n      last error: ${task.lastError}` : "";
  const state = notBefore !== undefined && notBefore > Date.now()
    ? `held until ${new Date(notBefore).toLocaleTimeString("en-GB")}`
    : task.state.padEnd(9);
  return `  ${task.id}  ${state}  ${origin.event}  → ${target.topic}  ` +
    `"${message.title ?? message.body.slice(0, 40)}"  attempts ${task.attempts}${error}`;
}

function describeDead(task: DeadTask): string {
  const { target, message, origin } = task.task;
  return `  ${task.id}  ${origin.event}  → ${target.topic}  "${
    message.title ?? message.body.slice(0, 40)
  }"  ${age(task.failedAt)}, ${task.attempts} attempts\n      reason: ${task.reason}`;
}

function withQueueDaemon(
  io: CliIo,
  context: CliContext,
  json: boolean,
  work: (client: DaemonClient) => Promise<number>,
): Promise<number> {
  return withDaemon(context, "queue", {
    notRunning() {
      const spooled = countSpoolFiles(context.paths.spoolDir);
      if (json) io.stdout(JSON.stringify({ isRunning: false, spooled }) + "\n");
      else {
        io.stderr(
          `claude-ntfy queue: the daemon is not running; ${spooled} spooled task(s) wait for it ` +
            `(start it: claude-ntfy daemon start --detach)\n`,
        );
      }
    },
    work,
  });
}

async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = readCommandLine(args, io, {
    command: "queue",
    help: HELP,
    flags: {
      json: { type: "boolean" },
      all: { type: "boolean" },
      project: { type: "string" },
      "state-dir": { type: "string" },
    },
    positionals: true,
  });
  if (typeof parsed === "number") return parsed;
  const { flags: values, positionals } = parsed;
  const [action = "list", ...ids] = positionals;
  const json = values.json ?? false;
  try {
    const context = resolveContext(io, {
      projectDir: values.project,
      stateDir: values["state-dir"],
    });
    switch (action) {
      case "list":
        return await withQueueDaemon(io, context, json, async (client) => {
          const { tasks, dead } = await client.queue();
          const spooled = countSpoolFiles(context.paths.spoolDir);
          if (json) {
            io.stdout(JSON.stringify({ isRunning: true, tasks, dead, spooled }) + "\n");
            return ExitCode.Ok;
          }
          io.stdout(`Held by the daemon: ${tasks.length}\n`);
          for (const task of tasks) io.stdout(describeHeld(task) + "\n");
          io.stdout(`Dead letters: ${dead.length}\n`);
          for (const task of dead) io.stdout(describeDead(task) + "\n");
          if (spooled > 0) io.stdout(`Spooled, not yet ingested: ${spooled}\n`);
          if (dead.length > 0) {
            io.stdout(
              `Retry with "claude-ntfy queue retry ID" or "--all"; delete with "claude-ntfy queue purge".\n`,
            );
          }
          return ExitCode.Ok;
        });
      case "retry":
        if (!values.all && ids.length === 0) {
          return usageError(io, "queue retry", "name dead-letter ids or pass --all");
        }
        return await withQueueDaemon(io, context, json, async (client) => {
          const count = await client.retry(values.all ? "all" : ids);
          io.stdout(
            json
              ? JSON.stringify({ retried: count }) + "\n"
              : `Queued ${count} dead letter(s) again\n`,
          );
          return ExitCode.Ok;
        });
      case "purge":
        return await withQueueDaemon(io, context, json, async (client) => {
          const count = await client.purge();
          io.stdout(
            json ? JSON.stringify({ purged: count }) + "\n" : `Deleted ${count} dead letter(s)\n`,
          );
          return ExitCode.Ok;
        });
      default:
        io.stderr(`claude-ntfy queue: unknown action "${action}"\n\n${HELP}`);
        return ExitCode.Usage;
    }
  } catch (error) {
    io.stderr(`claude-ntfy queue ${action}: ${errorLine(error)}\n`);
    return ExitCode.Error;
  }
}

/** The `queue` command. */
export const queueCommand: Command = {
  name: "queue",
  summary: "list queued and dead tasks; retry or purge dead letters",
  run,
};
