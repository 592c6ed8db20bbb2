/**
 * `doctor --send`: a test notification published straight to ntfy, and what to do when
 * ntfy refuses it.
 *
 * @module
 */

import type { CliContext } from "../context.ts";
import { submitTask } from "../submit_task.ts";
import { buildTestTask } from "../commands/test.ts";
import { NtfyError } from "../../core/ntfy/errors.ts";
import { errorMessage } from "../../protocol/error_message.ts";
import { check, type DoctorCheck } from "../install/doctor_check.ts";
import { maskTopic } from "./_files.ts";

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

/** Publishes a test notification directly (not through the daemon) and reports ntfy's answer. */
export async function sendCheck(context: CliContext): Promise<DoctorCheck> {
  let task;
  try {
    task = buildTestTask(context.config, {
      title: "claude-ntfy doctor",
      body: "Test notification from claude-ntfy doctor: notifications reach you.",
    }, { project: context.projectDir, now: Date.now() });
  } catch (error) {
    return check("send", "skip", `Not sent: ${errorMessage(error)}`);
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
      `ntfy did not accept the test notification: ${errorMessage(error)}`,
      {
        details: [`sent to ${where}`],
        fix: sendFix(error),
      },
    );
  }
}
