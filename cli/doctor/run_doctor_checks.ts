/**
 * Every check of `claude-ntfy doctor`, in checklist order.
 *
 * @module
 */

import type { CliIo } from "../io.ts";
import { type CliContext, resolveContext } from "../context.ts";
import { errorMessage } from "../../protocol/error_message.ts";
import { check, type DoctorCheck } from "../install/doctor_check.ts";
import { bundleCheck, installedHookChecks } from "../install/install_checks.ts";
import { configChecks, secretFileChecks, topicChecks } from "./config_checks.ts";
import { daemonCheck, permissionCheck } from "./daemon_checks.ts";
import { sendCheck } from "./send_check.ts";
import { approvalChecks } from "../install/approval_checks.ts";
import { pluginOptionEnv, readPluginStates } from "../install/claude_plugins.ts";
import { homeDirectory } from "../daemon_paths.ts";

/** Options for {@linkcode runDoctorChecks}. */
export interface DoctorOptions {
  /** The project directory. */
  readonly projectDir?: string;
  /** Publish a test notification. */
  readonly send?: boolean;
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
      check("config", "fail", `Config does not load: ${errorMessage(error)}`, {
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
