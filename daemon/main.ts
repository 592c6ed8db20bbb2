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
import { SequenceSupport } from "../core/ntfy/sequence_support.ts";
import { ntfyDelivery } from "./ntfy_delivery.ts";
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
    digestAfter: config.daemon.digest_after,
    digestWindowSecs: config.daemon.digest_window_secs,
  };
}

/**
 * Starts the daemon and resolves with its exit code once it has stopped.
 * 0 after a clean shutdown, 1 when it could not start.
 */
export async function runDaemon(options: DaemonProcessOptions): Promise<number> {
  const sink = options.logFile ? openLogFile(options.logFile) : options.stderr;
  const log = new Logger({ sink });
  // Which servers lack sequence ids, for as long as the daemon runs.
  const support = new SequenceSupport({
    onChange(server, supported) {
      if (supported) log.info("ntfy server has sequence ids again", { server });
      else {
        log.info(
          "ntfy server has no sequence ids (older than 2.16): plain messages, no clears",
          { server },
        );
      }
    },
  });
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
      delivery: ntfyDelivery({ support }),
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
