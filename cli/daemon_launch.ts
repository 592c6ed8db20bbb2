/**
 * How the CLI launches the daemon: the program, its scoped permission flags and its
 * arguments, for `daemon start` and for a hook that starts a missing daemon.
 *
 * @module
 */

import type { CliContext } from "./context.ts";
import { daemonPermissionFlags, type PermissionScope } from "./daemon_permissions.ts";
import { ensurePrivateDir } from "../core/state_dir.ts";
import { type DaemonPaths, dirname } from "../client/paths.ts";
import { requestOnce } from "../client/request_once.ts";
import { daemonConnectOptions } from "./daemon_connect_options.ts";
import { delay } from "../client/schedule.ts";
import { ErrorCode, MIN_PROTOCOL_VERSION } from "../protocol/mod.ts";
import { RemoteError } from "../client/errors.ts";
import { readPluginStates } from "./install/claude_plugins.ts";

/**
 * The CLI entry beside the hook's own entry (`cli/hook_main.ts` or its bundle), which
 * knows only the hook: the daemon is started through the whole CLI.
 */
function cliEntry(entry: string): string {
  if (entry.endsWith("/dist/hook/claude-ntfy-hook.js")) {
    return entry.replace(/\/hook\/claude-ntfy-hook\.js$/, "/claude-ntfy.js");
  }
  if (entry.endsWith("/cli/hook_main.ts")) return entry.replace(/hook_main\.ts$/, "main.ts");
  return entry;
}

/** The files to launch the daemon from: this program's CLI entry and, if any, its deno.json. */
function launchTarget(): { entry: string; configFile?: string } {
  const entry = cliEntry(
    Deno.mainModule.startsWith("file://")
      ? decodeURIComponent(new URL(Deno.mainModule).pathname)
      : Deno.mainModule,
  );
  if (entry.endsWith(".js")) return { entry };
  for (let dir = dirname(entry); dir !== "/"; dir = dirname(dir)) {
    try {
      Deno.statSync(`${dir}/deno.json`);
      return { entry, configFile: `${dir}/deno.json` };
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return { entry };
}

/**
 * What the daemon must reach: its paths, the config files and every ntfy server named, in
 * the config or in the saved options of the enabled claude-ntfy plugin (whose hooks send
 * them along with each event, and may find a daemon started from a shell without them).
 */
export function daemonScope(context: CliContext): PermissionScope {
  const servers = new Set<string>([context.config.ntfy.server_url]);
  const urls = [...Object.values(context.config.hooks.topics)];
  const { plugins } = readPluginStates({
    homeDir: context.homeDir,
    projectDir: context.projectDir,
  });
  for (const plugin of plugins.filter((each) => each.active)) {
    urls.push(plugin.options.server ?? "", plugin.options.topic ?? "");
  }
  for (const url of urls) {
    if (!/^https?:\/\//.test(url)) continue;
    try {
      servers.add(new URL(url).origin);
    } catch {
      // Not a URL after all: the hook reports the config error when it is used.
    }
  }
  return {
    paths: context.paths,
    configFiles: context.candidateConfigFiles,
    ntfyServers: [...servers],
  };
}

/** The compiled daemon next to a compiled CLI, if this is one and it exists. */
function compiledDaemon(): string | undefined {
  const exec = Deno.execPath();
  if (/\/deno(\.exe)?$/.test(exec)) return undefined;
  const candidate = `${dirname(exec)}/claude-ntfy-daemon`;
  try {
    return Deno.statSync(candidate).isFile ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The program and arguments that run the daemon with exactly the permissions it needs:
 * `deno run --allow-<scoped> <entry> daemon run ...`, or the compiled daemon (whose
 * permissions were baked in by `deno task compile`).
 */
export function daemonCommandLine(context: CliContext, extra: string[] = []): string[] {
  const tail = [
    `--project=${context.projectDir}`,
    `--state-dir=${context.paths.stateDir}`,
    ...extra,
  ];
  const { entry, configFile } = launchTarget();
  return [
    "run",
    "--no-prompt",
    ...(configFile ? [`--config=${configFile}`] : []),
    ...daemonPermissionFlags(daemonScope(context)),
    entry,
    "daemon",
    "run",
    ...tail,
  ];
}

/** The program and arguments that start the daemon for this context. */
export function daemonProgram(context: CliContext, extra: string[] = []): [string, string[]] {
  const compiled = compiledDaemon();
  if (compiled !== undefined) {
    return [compiled, [
      `--project=${context.projectDir}`,
      `--state-dir=${context.paths.stateDir}`,
      ...extra,
    ]];
  }
  return [Deno.execPath(), daemonCommandLine(context, extra)];
}

/** Creates the state folder and the socket's folder (0700) before the daemon starts. */
export function preparePrivateDirs(context: CliContext): void {
  ensurePrivateDir(context.paths.stateDir);
  if (dirname(context.paths.socketPath) !== context.paths.stateDir) {
    ensurePrivateDir(dirname(context.paths.socketPath));
  }
}

/**
 * Starts a detached daemon and returns at once, without waiting for it to listen. Used by
 * hooks that found no daemon: a racing second start loses the lock and exits quietly.
 */
export function spawnDetachedDaemon(
  context: CliContext,
  options: { readonly replace?: boolean } = {},
): number {
  preparePrivateDirs(context);
  const [program, args] = daemonProgram(context, [
    `--log-file=${context.paths.logPath}`,
    ...(options.replace ? ["--replace"] : []),
  ]);
  const child = new Deno.Command(program, {
    args,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  child.unref();
  return child.pid;
}

/**
 * Asks the daemon running on `paths` to shut down if it is older than this program (it
 * refuses a `hello` in the current protocol), speaking the oldest protocol so that it
 * understands, and waits until it has released the state folder (its PID file is gone).
 * Used by `daemon run --replace`, which a hook starts when it finds the running daemon too
 * old for it. Does nothing when no daemon answers, or when the one that answers speaks the
 * current protocol: several hooks may have found the old daemon at once, and the first
 * replacement must not be stopped by the next.
 *
 * @param paths The daemon's paths.
 * @param timeoutMs The longest wait for the old daemon to exit. @default {10000}
 * @returns Whether a daemon was asked to stop.
 */
export async function stopOlderDaemon(paths: DaemonPaths, timeoutMs = 10_000): Promise<boolean> {
  try {
    await requestOnce(daemonConnectOptions(paths, "replace"), { type: "ping" });
    // It speaks this protocol: not older, leave it be.
    return false;
  } catch (error) {
    if (!(error instanceof RemoteError && error.code === ErrorCode.UnsupportedVersion)) {
      // Nobody answered (or it is stopping, or refuses us): starting normally reports the rest.
      return false;
    }
  }
  try {
    await requestOnce(
      daemonConnectOptions(paths, "replace", { protocolVersion: MIN_PROTOCOL_VERSION }),
      { type: "shutdown" },
    );
  } catch {
    // Nobody answered (or it is already stopping): starting normally reports the rest.
    return false;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      Deno.statSync(paths.pidPath);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) break;
      throw error;
    }
    await delay(50, undefined);
  }
  return true;
}
