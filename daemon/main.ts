/**
 * Runs the daemon in this process until it shuts down: logging, delivery through the ntfy
 * publisher, and the exit code. Launched by `claude-ntfy daemon start` with scoped
 * permissions (see `permissions.ts`).
 *
 * @module
 */

import { VERSION } from "../core/version.ts";
import { type DaemonSettings, startDaemon } from "./daemon.ts";
import { InstanceError } from "../core/state_dir.ts";
import { Logger, parseLogLevel } from "./log.ts";
import type { Config } from "../core/config/config.ts";
import type { DaemonPaths } from "../client/paths.ts";
import { publish } from "../core/ntfy/publisher.ts";
import { NtfyError } from "../core/ntfy/errors.ts";
import { retryDelayMs } from "../core/ntfy/retry_policy.ts";
import { openLogFile } from "./log_file.ts";
import { errorMessage } from "../protocol/error_message.ts";

/** The software version (from deno.json). */
export const DAEMON_VERSION: string = VERSION;

/** What the daemon process needs from its launcher. */
export interface DaemonProcessOptions {
  /** The daemon's paths. */
  readonly paths: DaemonPaths;
  /** Reads the configuration (again on reload). */
  loadConfig(): Config;
  /** Log at debug level whatever the config says. */
  readonly verbose?: boolean;
  /** Write logs to this file (with rotation) instead of stderr. */
  readonly logFile?: string;
  /** Where foreground logs and fatal errors go. */
  stderr(text: string): void;
}

/** The daemon settings a configuration gives. */
export function settingsFromConfig(config: Config): DaemonSettings {
  return {
    logLevel: parseLogLevel(config.daemon.log_level),
    maxQueueSize: config.daemon.max_queue_size,
    retryAttempts: config.daemon.retry_attempts,
    retryDelaySecs: config.daemon.retry_delay_secs,
  };
}

const MAX_RETRY_DELAY_MS = 10 * 60 * 1000;

/**
 * Starts the daemon and resolves with its exit code once it has stopped.
 * 0 after a clean shutdown, 1 when it could not start.
 */
export async function runDaemon(options: DaemonProcessOptions): Promise<number> {
  const sink = options.logFile ? openLogFile(options.logFile) : options.stderr;
  const log = new Logger({ sink });
  let daemon;
  try {
    daemon = await startDaemon({
      paths: options.paths,
      version: DAEMON_VERSION,
      loadSettings: () => {
        const settings = settingsFromConfig(options.loadConfig());
        return options.verbose ? { ...settings, logLevel: "debug" } : settings;
      },
      log,
      delivery: {
        publish: (task, signal) => publish(task, { signal }),
        classify(error) {
          if (error instanceof NtfyError) {
            return { retryable: error.retryable, message: error.message };
          }
          return { retryable: true, message: errorMessage(error) };
        },
        retryDelayMs(attempt, error, baseDelayMs) {
          if (!(error instanceof NtfyError)) {
            return Math.min(baseDelayMs * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
          }
          return retryDelayMs(attempt, error, { baseDelayMs, maxDelayMs: MAX_RETRY_DELAY_MS });
        },
      },
    });
  } catch (error) {
    const message = error instanceof InstanceError
      ? error.message
      : `Cannot start the daemon: ${errorMessage(error)}`;
    log.error(message);
    if (options.logFile) options.stderr(`claude-ntfy daemon: ${message}\n`);
    return 1;
  }
  await daemon.finished;
  return 0;
}
