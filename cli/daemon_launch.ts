/**
 * How the CLI launches the daemon: the program, its scoped permission flags and its
 * arguments, for `daemon start` and for a hook that starts a missing daemon.
 *
 * @module
 */

import type { CliContext } from "./context.ts";
import { daemonPermissionFlags, type PermissionScope } from "./daemon_permissions.ts";
import { ensurePrivateDir } from "../core/state_dir.ts";
import { dirname } from "../client/paths.ts";

/** The files to launch the daemon from: this program's own entry and, if any, its deno.json. */
function launchTarget(): { entry: string; configFile?: string } {
  const entry = Deno.mainModule.startsWith("file://")
    ? decodeURIComponent(new URL(Deno.mainModule).pathname)
    : Deno.mainModule;
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

/** What the daemon must reach: its paths, the config files and every ntfy server named. */
export function daemonScope(context: CliContext): PermissionScope {
  const servers = new Set<string>([context.config.ntfy.server_url]);
  for (const topic of Object.values(context.config.hooks.topics)) {
    if (/^https?:\/\//.test(topic)) servers.add(new URL(topic).origin);
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
export function spawnDetachedDaemon(context: CliContext): number {
  preparePrivateDirs(context);
  const [program, args] = daemonProgram(context, [`--log-file=${context.paths.logPath}`]);
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
