/**
 * `claude-ntfy test`: sends a notification with the effective configuration, to check
 * that the topic, server and credentials work end to end.
 *
 * @module
 */

import { type NotificationTask, type Priority, TOPIC_PATTERN } from "../../protocol/mod.ts";
import { parsePriority } from "../../core/ntfy/priority.ts";
import { targetFromConfig } from "../../core/events/resolve_notification.ts";
import { type CliIo, type Command, ExitCode } from "../io.ts";
import { readCommandLine, usageError } from "../command_line.ts";
import type { Config } from "../../core/config/config.ts";
import { ConfigError } from "../../core/config/config_error.ts";
import { splitTopicUrl } from "../../core/config/topic_url.ts";
import { resolveContext } from "../context.ts";
import { projectDirOf } from "../project_dir.ts";
import { submitTask } from "../submit_task.ts";
import { connectDaemon } from "../connect_daemon.ts";
import { DaemonNotRunningError } from "../../client/errors.ts";
import type { CliContext } from "../context.ts";
import { errorLine, oneLine } from "../hook/one_line.ts";

/** The message `test` sends when none is given. */
export const DEFAULT_TEST_MESSAGE = "Test notification from claude-ntfy";

const HELP = `Usage: claude-ntfy test [MESSAGE] [options]

Sends a test notification with the effective configuration (server, topic, credentials,
send format, timeout): through the daemon when it runs, else straight to ntfy (a test
does not start the daemon, so that ntfy's answer shows whether the setup works). Prints
the daemon's task id, or ntfy's message id for a direct publish.

Options:
  --title T        the title (default: "claude-ntfy test")
  --priority P     1-5 or min, low, default, high, max, urgent (default: ntfy.default_priority)
  --topic T        a topic name, or a full topic URL that also picks the server
                   (default: ntfy.default_topic)
  --tags a,b       tags (emoji short codes such as "tada"), before ntfy.default_tags
  --click URL      URL opened when the notification is tapped
  --markdown       render MESSAGE as Markdown
  --no-daemon      publish directly, even when the daemon runs
  --project DIR    the project (default: $CLAUDE_PROJECT_DIR, else the current folder)
  -h, --help       show this help

MESSAGE defaults to "${DEFAULT_TEST_MESSAGE}".
`;

/** What a test notification says; unset fields come from the config or defaults. */
export interface TestMessage {
  /** The body. */
  readonly body: string;
  /** The title. @default {"claude-ntfy test"} */
  readonly title?: string;
  /** The priority. @default {config.ntfy.default_priority} */
  readonly priority?: Priority;
  /** A topic name or URL. @default {config.ntfy.default_topic} */
  readonly topic?: string;
  /** Tags, placed before `ntfy.default_tags`. */
  readonly tags?: readonly string[];
  /** The click URL. */
  readonly click?: string;
  /** Whether the body is Markdown. */
  readonly markdown?: boolean;
}

/**
 * Builds the task for a test notification: target from the config (a topic URL picks the
 * server), message from `message`, origin event `test`.
 *
 * @throws {ConfigError} `CONFIG_NO_TOPIC` when neither `message.topic` nor the config
 * names a topic; `CONFIG_INVALID` when the topic is not a valid ntfy topic.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultConfig } from "../../core/config/config.ts";
 * import { buildTestTask } from "./test.ts";
 *
 * const config = defaultConfig();
 * const task = buildTestTask(config, { body: "hi", topic: "https://ntfy.example.com/alerts-x7q2" }, { now: 0 });
 * assert.deepEqual(task.target.serverUrl, "https://ntfy.example.com");
 * assert.deepEqual(task.target.topic, "alerts-x7q2");
 * assert.deepEqual(task.origin.event, "test");
 * ```
 */
export function buildTestTask(
  config: Config,
  message: TestMessage,
  origin: { readonly project?: string; readonly now: number },
): NotificationTask {
  let serverUrl = config.ntfy.server_url;
  let topic = message.topic ?? config.ntfy.default_topic;
  const location = splitTopicUrl(topic);
  if (location !== undefined) ({ serverUrl, topic } = location);
  if (topic === "") {
    throw new ConfigError(
      "CONFIG_NO_TOPIC",
      'No ntfy topic configured: run "claude-ntfy init" (or pass --topic)',
      { key: "ntfy.default_topic" },
    );
  }
  if (!TOPIC_PATTERN.test(topic)) {
    throw new ConfigError(
      "CONFIG_INVALID",
      `Invalid topic "${topic}": use letters, digits, - and _ (at most 64), or a topic URL`,
      { key: "ntfy.default_topic" },
    );
  }
  const tags = [...new Set([...(message.tags ?? []), ...config.ntfy.default_tags])]
    .filter((tag) => tag !== "");
  return {
    target: targetFromConfig(config, { serverUrl, topic }),
    message: {
      title: message.title ?? "claude-ntfy test",
      body: message.body,
      priority: message.priority ?? config.ntfy.default_priority,
      tags,
      ...(message.click === undefined ? {} : { click: message.click }),
      ...(message.markdown ? { markdown: true } : {}),
    },
    origin: {
      event: "test",
      ...(origin.project === undefined ? {} : { project: origin.project }),
      createdAt: origin.now,
    },
  };
}

/** Whether a daemon answers on the socket; only "nothing listens" counts as not running. */
async function daemonRunning(context: CliContext): Promise<boolean> {
  if (!context.config.daemon.enabled) return false;
  try {
    const client = await connectDaemon(context.paths, "test");
    await client.close();
    return true;
  } catch (error) {
    if (error instanceof DaemonNotRunningError) return false;
    // Anything else (a wrong token, a hung daemon) is for submitTask to report or spool.
    return true;
  }
}

async function runTest(args: string[], io: CliIo): Promise<number> {
  const parsed = readCommandLine(args, io, {
    command: "test",
    help: HELP,
    flags: {
      title: { type: "string" },
      priority: { type: "string" },
      topic: { type: "string" },
      tags: { type: "string" },
      click: { type: "string" },
      markdown: { type: "boolean" },
      "no-daemon": { type: "boolean" },
      project: { type: "string" },
    },
    positionals: true,
  });
  if (typeof parsed === "number") return parsed;
  const { flags: values, positionals } = parsed;
  const priority = values.priority === undefined ? undefined : parsePriority(values.priority);
  if (values.priority !== undefined && priority === undefined) {
    return usageError(
      io,
      "test",
      `--priority must be 1-5 or min, low, default, high, max, urgent, got "${values.priority}"`,
    );
  }
  if (values.click !== undefined && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(values.click)) {
    return usageError(io, "test", `--click must be a URL, got "${values.click}"`);
  }
  const body = positionals.join(" ").trim() || DEFAULT_TEST_MESSAGE;
  const projectDir = projectDirOf(io, values.project);
  try {
    const context = resolveContext(io, { projectDir });
    for (const warning of context.warnings) io.stderr(`warning: ${oneLine(warning)}\n`);
    const task = buildTestTask(context.config, {
      body,
      ...(values.title === undefined ? {} : { title: values.title }),
      ...(priority === undefined ? {} : { priority }),
      ...(values.topic === undefined ? {} : { topic: values.topic }),
      ...(values.tags === undefined ? {} : { tags: values.tags.split(",").map((t) => t.trim()) }),
      ...(values.click === undefined ? {} : { click: values.click }),
      markdown: values.markdown ?? false,
    }, { project: context.projectDir, now: Date.now() });
    const where = `${task.target.serverUrl}/${task.target.topic}`;
    const useDaemon = !values["no-daemon"] && await daemonRunning(context);
    const outcome = await submitTask(task, context, { noDaemon: !useDaemon, autostart: false });
    if (outcome.via === "daemon") {
      io.stdout(`Queued by the daemon as task ${outcome.id} for ${where}\n`);
    } else if (outcome.via === "spool") {
      io.stdout(`Spooled as ${outcome.id} for ${where}: the daemon delivers it once it runs\n`);
      io.stderr(`note: the daemon did not take it: ${oneLine(outcome.fallbackReason ?? "")}\n`);
    } else {
      io.stdout(`Published to ${where}: ntfy message id ${outcome.id}\n`);
      if (!values["no-daemon"] && context.config.daemon.enabled) {
        io.stderr("note: sent directly: the daemon is not running\n");
      }
    }
    return ExitCode.Ok;
  } catch (error) {
    io.stderr(`claude-ntfy test: not sent: ${errorLine(error)}\n`);
    return ExitCode.Error;
  }
}

/** The `test` command. */
export const testCommand: Command = {
  name: "test",
  summary: "send a test notification with the current configuration",
  run: runTest,
};
