// Starts a daemon inside the test process (real socket, real files) for tests that poke at
// the wire protocol and need no delivery.
import {
  type DaemonLimits,
  DEFAULT_DAEMON_LIMITS,
  type RunningDaemon,
  startDaemon,
} from "../../daemon/daemon.ts";
import { Logger } from "../../daemon/log.ts";
import { type DaemonPaths, resolveDaemonPaths } from "../../client/paths.ts";
import type { DeliveryEngineOptions } from "../../daemon/delivery/delivery_engine.ts";
import type { ConfigForEvent } from "../../core/events/resolve_hook_event.ts";
import { loadConfig } from "../../core/config/load_config.ts";

export interface InProcessDaemon extends AsyncDisposable {
  readonly daemon: RunningDaemon;
  readonly paths: DaemonPaths;
  readonly token: string;
  readonly logs: string[];
  /** Shuts the daemon down and removes its folder; disposing does the same. */
  stop(): Promise<void>;
}

export async function startInProcess(
  options: {
    limits?: Partial<DaemonLimits>;
    publish?: DeliveryEngineOptions["publish"];
    maxQueueSize?: number;
    configFor?: ConfigForEvent;
  } = {},
): Promise<InProcessDaemon> {
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "cn-inproc-" });
  const paths = resolveDaemonPaths({ homeDir: dir, stateDir: `${dir}/state` });
  const logs: string[] = [];
  const daemon = await startDaemon({
    paths,
    version: "test",
    log: new Logger({ level: "debug", sink: (line) => logs.push(line) }),
    loadSettings: () => ({
      logLevel: "debug",
      maxQueueSize: options.maxQueueSize ?? 1000,
      retryAttempts: 2,
      retryDelaySecs: 0.01,
    }),
    delivery: {
      publish: options.publish ?? (() => new Promise(() => {})),
      classify: (error) => ({ retryable: true, message: String(error) }),
      retryDelayMs: () => 10,
    },
    limits: { ...DEFAULT_DAEMON_LIMITS, ...options.limits },
    handleSignals: false,
    // The temp folder's config files (none unless a test writes them) and the event's own
    // variables: never the real home's.
    configFor: options.configFor ??
      ((projectDir, context) =>
        loadConfig({ homeDir: dir, projectDir, env: (name) => context.env[name] })),
  });
  const token = Deno.readTextFileSync(paths.tokenPath).trim();
  let stopped: Promise<void> | undefined;
  const stop = () =>
    stopped ??= (async () => {
      await daemon.shutdown("test");
      await Deno.remove(dir, { recursive: true });
    })();
  return { daemon, paths, token, logs, stop, [Symbol.asyncDispose]: stop };
}
