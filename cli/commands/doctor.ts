/**
 * `claude-ntfy doctor`: checks the setup end to end (config, topic, secrets, daemon,
 * permissions, registered hooks, bundle and, with `--send`, ntfy itself) and says how to
 * fix each problem.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type CliIo, type Command, ExitCode } from "../io.ts";
import { type CliContext, resolveContext } from "../context.ts";
import { submitTask } from "../submit_task.ts";
import { connect } from "../../client/client.ts";
import { RemoteError } from "../../client/errors.ts";
import { ErrorCode, PROTOCOL_VERSION } from "../../protocol/mod.ts";
import { DaemonNotRunningError } from "../../client/errors.ts";
import { parseConfigText } from "../../core/config/load_config.ts";
import { splitTopicUrl } from "../../core/config/topic_url.ts";
import { resolveProjectDir } from "../../core/events/resolve_project_dir.ts";
import { dirname } from "../../client/paths.ts";
import { NtfyError } from "../../core/ntfy/errors.ts";
import { check, type CheckStatus, type DoctorCheck } from "../install/doctor_check.ts";
import { bundleCheck, installedHookChecks } from "../install/install_checks.ts";
import { approvalChecks } from "../install/approval_checks.ts";
import { topicWeakness } from "../install/topic_strength.ts";
import { pluginOptionEnv, readPluginStates } from "../install/claude_plugins.ts";
import { homeDirectory } from "../daemon_paths.ts";
import { buildTestTask } from "./test.ts";

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
not in a cache that gets emptied (npm's npx cache, /tmp); the bundle dist/claude-ntfy.js
exists and is current (not needed when only the plugin runs the hook).

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

/** Options for {@linkcode runDoctorChecks}. */
export interface DoctorOptions {
  /** The project directory. */
  readonly projectDir?: string;
  /** Publish a test notification. */
  readonly send?: boolean;
}

const GLYPHS: Record<CheckStatus, string> = { ok: "✓", warn: "!", fail: "✗", skip: "-" };

function modeOf(path: string): number | undefined {
  try {
    return (Deno.statSync(path).mode ?? 0) & 0o777;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}

/** Shows enough of a topic to recognise it, not enough to subscribe to it. */
function maskTopic(topic: string): string {
  return topic.length <= 12 ? topic : `${topic.slice(0, 8)}…(${topic.length} chars)`;
}

function configChecks(context: CliContext): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  checks.push(
    context.configFiles.length === 0
      ? check("config", "ok", "Config loads: built-in defaults only (no config file)", {
        details: [`looked for ${[...new Set(context.candidateConfigFiles)].join(" and ")}`],
      })
      : check("config", "ok", `Config loads: ${context.configFiles.join(", ")}`),
  );
  if (context.warnings.length > 0) {
    checks.push(
      check("config-warnings", "warn", `Config has ${context.warnings.length} warning(s)`, {
        details: [...context.warnings],
        fix: 'edit the key each warning names; "claude-ntfy config show" shows the result',
      }),
    );
  }
  if (!context.config.hooks.enabled) {
    checks.push(
      check("enabled", "warn", "Notifications are off (hooks.enabled = false)", {
        fix: '"claude-ntfy config set hooks.enabled true" (and check CLAUDE_NTFY_ENABLED)',
      }),
    );
  }
  return checks;
}

function topicChecks(context: CliContext): DoctorCheck[] {
  const { ntfy, hooks } = context.config;
  const located = [ntfy.default_topic, ...Object.values(hooks.topics)]
    .filter((topic) => topic !== "")
    .map((topic) => splitTopicUrl(topic) ?? { serverUrl: ntfy.server_url, topic });
  if (ntfy.default_topic === "") {
    return [
      check("topic", "fail", "No topic set (ntfy.default_topic is empty)", {
        fix: 'run "claude-ntfy init" (or set CLAUDE_NTFY_TOPIC)',
      }),
    ];
  }
  const checks = [
    check(
      "topic",
      "ok",
      `Topic set: ${located.map((at) => `${at.serverUrl}/${maskTopic(at.topic)}`)[0]}`,
      {
        details: Object.keys(hooks.topics).length === 0
          ? []
          : [`per-event topics for ${Object.keys(hooks.topics).join(", ")}`],
      },
    ),
  ];
  const weak = [...new Set(located.map((at) => at.topic))]
    .map((topic) => ({ topic, why: topicWeakness(topic) }))
    .filter((entry) => entry.why !== undefined);
  checks.push(
    weak.length === 0 ? check("topic-strength", "ok", "Topic is not guessable") : check(
      "topic-strength",
      "warn",
      "Topic looks guessable: anyone who guesses it reads your notifications",
      {
        details: weak.map((entry) => `"${entry.topic}": ${entry.why}`),
        fix: '"claude-ntfy init --force" writes a new random topic (then subscribe to it again)',
      },
    ),
  );
  return checks;
}

function secretFileChecks(context: CliContext): DoctorCheck[] {
  const exposed: string[] = [];
  let holding = 0;
  for (const file of context.configFiles) {
    let text: string;
    try {
      text = Deno.readTextFileSync(file);
    } catch {
      continue;
    }
    const { ntfy, approval } = parseConfigText(text, file).layer;
    if (!ntfy?.auth_token && !ntfy?.password && !approval?.reply_token) continue;
    holding++;
    const mode = modeOf(file);
    if (mode !== undefined && (mode & 0o077) !== 0) exposed.push(`${file} (mode ${octal(mode)})`);
  }
  if (exposed.length > 0) {
    return [
      check("secrets", "warn", "A config file with a token or password is readable by others", {
        details: exposed,
        fix: exposed.map((entry) => `chmod 600 "${entry.replace(/ \(mode \d+\)$/, "")}"`)
          .join("; "),
      }),
    ];
  }
  return [
    check(
      "secrets",
      "ok",
      holding === 0
        ? "No token or password in config files"
        : "Config files holding a token or password are private",
    ),
  ];
}

/** How many tasks hooks left in the spool for a daemon to deliver. */
function spooledTasks(spoolDir: string): number {
  try {
    return [...Deno.readDirSync(spoolDir)].filter((entry) => entry.name.endsWith(".task")).length;
  } catch {
    return 0;
  }
}

async function daemonCheck(context: CliContext): Promise<DoctorCheck> {
  if (!context.config.daemon.enabled) {
    return check(
      "daemon",
      "skip",
      "Daemon not used (daemon.enabled = false): hooks publish directly",
    );
  }
  let client;
  try {
    client = await connect({
      socketPath: context.paths.socketPath,
      tokenPath: context.paths.tokenPath,
      connectTimeoutMs: 1_000,
      requestTimeoutMs: 2_000,
      clientName: "claude-ntfy-doctor",
    });
  } catch (error) {
    if (error instanceof DaemonNotRunningError) {
      const waiting = spooledTasks(context.paths.spoolDir);
      const autostart = context.config.daemon.autostart;
      return check(
        "daemon",
        autostart ? "warn" : "fail",
        autostart
          ? "Daemon not running (the next hook starts it)"
          : "Daemon not running and daemon.autostart is off: hook notifications wait in the spool",
        {
          details: [
            error.message,
            ...(waiting === 0
              ? []
              : [`${waiting} notification(s) wait in ${context.paths.spoolDir}`]),
          ],
          fix: autostart
            ? '"claude-ntfy daemon start --detach" to start it now'
            : '"claude-ntfy daemon start --detach", or "claude-ntfy config set daemon.autostart true"',
        },
      );
    }
    if (error instanceof RemoteError && error.code === ErrorCode.UnsupportedVersion) {
      return check(
        "daemon",
        "fail",
        `The running daemon is older than this CLI (it refuses protocol ${PROTOCOL_VERSION}): ` +
          "hooks spool their events until it is replaced",
        { fix: '"claude-ntfy daemon stop", then "claude-ntfy daemon start --detach"' },
      );
    }
    return check("daemon", "fail", `Daemon does not answer: ${(error as Error).message}`, {
      fix:
        `"claude-ntfy daemon stop", then "claude-ntfy daemon start --detach"; see ${context.paths.logPath}`,
    });
  }
  try {
    const roundTrip = await client.ping();
    const status = await client.status();
    const title = `Daemon running: pid ${client.daemon.pid}, version ${client.daemon.version}, ` +
      `ping ${roundTrip.toFixed(1)} ms`;
    const details = [
      `socket ${context.paths.socketPath}`,
      `delivered ${status.delivered}, failed ${status.failed}, dead ${status.dead}, queued ${status.queueSize}`,
    ];
    if (status.failed > 0 || status.dead > 0) {
      return check("daemon", "warn", `${title}; some deliveries failed`, {
        details,
        fix: `see ${context.paths.logPath}; "claude-ntfy doctor --send" tests the server`,
      });
    }
    return check("daemon", "ok", title, { details });
  } catch (error) {
    if (error instanceof RemoteError && error.code === ErrorCode.UnsupportedVersion) {
      return check(
        "daemon",
        "fail",
        `The running daemon is older than this CLI (it refuses protocol ${PROTOCOL_VERSION}): ` +
          "hooks spool their events until it is replaced",
        { fix: '"claude-ntfy daemon stop", then "claude-ntfy daemon start --detach"' },
      );
    }
    return check("daemon", "fail", `Daemon does not answer: ${(error as Error).message}`, {
      fix:
        `"claude-ntfy daemon stop", then "claude-ntfy daemon start --detach"; see ${context.paths.logPath}`,
    });
  } finally {
    await client.close();
  }
}

function permissionCheck(context: CliContext): DoctorCheck {
  const { stateDir, socketPath, tokenPath } = context.paths;
  const dirMode = modeOf(stateDir);
  if (dirMode === undefined) {
    return check("permissions", "ok", `State folder not created yet (${stateDir})`);
  }
  const problems: string[] = [];
  const fixes: string[] = [];
  const want = (path: string, mode: number | undefined, wanted: number) => {
    if (mode !== undefined && (mode & 0o077) !== 0) {
      problems.push(`${path} is ${octal(mode)}, should be ${octal(wanted)}`);
      fixes.push(`chmod ${wanted.toString(8)} "${path}"`);
    }
  };
  want(stateDir, dirMode, 0o700);
  const socketDir = dirname(socketPath);
  if (socketDir !== stateDir) want(socketDir, modeOf(socketDir), 0o700);
  want(socketPath, modeOf(socketPath), 0o600);
  want(tokenPath, modeOf(tokenPath), 0o600);
  if (problems.length > 0) {
    return check("permissions", "warn", "Daemon files are open to other users", {
      details: problems,
      fix: fixes.join("; "),
    });
  }
  return check("permissions", "ok", `State folder, socket and token are private (${stateDir})`);
}

function sendFix(error: unknown): string {
  if (!(error instanceof NtfyError)) return 'check the config with "claude-ntfy config show"';
  switch (error.kind) {
    case "http":
      if (error.httpStatus === 401 || error.httpStatus === 403) {
        return "check ntfy.auth_token (or NTFY_TOKEN) or ntfy.username/password for this topic";
      }
      if (error.httpStatus === 429) return "ntfy is rate limiting you: wait, then try again";
      return "check ntfy.server_url and the topic name";
    case "timeout":
      return "check the server is up, or raise ntfy.timeout_secs";
    case "network":
      return "check ntfy.server_url and your network connection";
    case "permission":
      return "run claude-ntfy with network access to the server (--allow-net)";
    default:
      return "try again";
  }
}

async function sendCheck(context: CliContext): Promise<DoctorCheck> {
  let task;
  try {
    task = buildTestTask(context.config, {
      title: "claude-ntfy doctor",
      body: "Test notification from claude-ntfy doctor: notifications reach you.",
    }, { project: context.projectDir, now: Date.now() });
  } catch (error) {
    return check("send", "skip", `Not sent: ${(error as Error).message}`);
  }
  const where = `${task.target.serverUrl}/${maskTopic(task.target.topic)}`;
  const started = performance.now();
  try {
    const outcome = await submitTask(task, context, { noDaemon: true });
    const ms = Math.round(performance.now() - started);
    return check(
      "send",
      "ok",
      `ntfy accepted a test notification: message id ${outcome.id} (${ms} ms)`,
      {
        details: [`sent to ${where}`],
      },
    );
  } catch (error) {
    return check(
      "send",
      "fail",
      `ntfy did not accept the test notification: ${(error as Error).message}`,
      {
        details: [`sent to ${where}`],
        fix: sendFix(error),
      },
    );
  }
}

/**
 * The I/O with the variables the enabled claude-ntfy plugin's saved options give its hooks
 * (server, topic), so that the checks see the config the hooks use.
 */
function withPluginOptions(io: CliIo, projectDir: string | undefined): CliIo {
  let homeDir: string;
  try {
    homeDir = homeDirectory(io);
  } catch {
    return io;
  }
  const project = projectDir ?? io.env("CLAUDE_PROJECT_DIR") ?? io.cwd;
  const overlay = pluginOptionEnv(
    readPluginStates({ homeDir, projectDir: project }).plugins,
    io.env,
  );
  if (Object.keys(overlay).length === 0) return io;
  return { ...io, env: (name) => overlay[name] ?? io.env(name) };
}

/**
 * Runs every check and returns them in checklist order. Makes no network request
 * unless `options.send` is set.
 */
export async function runDoctorChecks(
  io: CliIo,
  options: DoctorOptions = {},
): Promise<DoctorCheck[]> {
  let context: CliContext;
  try {
    context = resolveContext(withPluginOptions(io, options.projectDir), {
      projectDir: options.projectDir,
    });
  } catch (error) {
    return [
      check("config", "fail", `Config does not load: ${(error as Error).message}`, {
        fix: 'fix the file and key named above; "claude-ntfy config show" checks it again',
      }),
      bundleCheck(),
    ];
  }
  const hookChecks = installedHookChecks(context);
  const pluginOnly = hookChecks.some((entry) => entry.id === "plugin" && entry.status === "ok") &&
    !hookChecks.some((entry) => entry.id === "hooks");
  return [
    ...configChecks(context),
    ...topicChecks(context),
    ...approvalChecks(context.config),
    ...secretFileChecks(context),
    await daemonCheck(context),
    permissionCheck(context),
    ...hookChecks,
    pluginOnly
      ? check("bundle", "skip", "Bundle not needed: the plugin runs claude-ntfy from source")
      : bundleCheck(),
    options.send
      ? await sendCheck(context)
      : check("send", "skip", "ntfy not contacted (--send publishes a test notification)"),
  ];
}

/** The checklist as text, with a summary line. */
export function formatChecks(checks: readonly DoctorCheck[]): string {
  const lines = checks.flatMap((entry) => [
    `${GLYPHS[entry.status]} ${entry.title}`,
    ...(entry.details ?? []).map((detail) => `    ${detail}`),
    ...(entry.fix === undefined ? [] : [`    fix: ${entry.fix}`]),
  ]);
  const failed = checks.filter((entry) => entry.status === "fail").length;
  const warned = checks.filter((entry) => entry.status === "warn").length;
  const summary = failed === 0 && warned === 0
    ? "All checks passed."
    : `${failed} problem(s), ${warned} warning(s).`;
  return `${lines.join("\n")}\n\n${summary}\n`;
}

async function run(args: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        send: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        project: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr(`claude-ntfy doctor: ${(error as Error).message}\n\n${HELP}`);
    return ExitCode.Usage;
  }
  if (values.help) {
    io.stdout(HELP);
    return ExitCode.Ok;
  }
  const projectDir = resolveProjectDir({
    flag: values.project,
    envDir: io.env("CLAUDE_PROJECT_DIR"),
    cwd: io.cwd,
  });
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
