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

/** Options for {@linkcode runDoctorChecks}. */
export interface DoctorOptions {
  /** The project directory. */
  readonly projectDir?: string;
  /** Publish a test notification. */
  readonly send?: boolean;
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
    context = resolveContext(io, { projectDir: options.projectDir });
  } catch (error) {
    return [
      check("config", "fail", `Config does not load: ${errorMessage(error)}`, {
        fix: 'fix the file and key named above; "claude-ntfy config show" checks it again',
      }),
      bundleCheck(),
    ];
  }
  return [
    ...configChecks(context),
    ...topicChecks(context),
    ...secretFileChecks(context),
    await daemonCheck(context),
    permissionCheck(context),
    ...installedHookChecks(context),
    bundleCheck(),
    options.send
      ? await sendCheck(context)
      : check("send", "skip", "ntfy not contacted (--send publishes a test notification)"),
  ];
}
