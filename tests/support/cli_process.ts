/**
 * Runs the real `claude-ntfy` CLI in child processes, each test in its own temporary HOME,
 * and starts real daemons through it.
 *
 * @module
 */

import { type DaemonPaths, resolveDaemonPaths } from "../../client/paths.ts";
import { readPidFile } from "../../core/state_dir.ts";
import { waitFor } from "./wait_for.ts";

/** The repository root. */
export const REPO_ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
/** The CLI entry point. */
export const CLI_ENTRY = `${REPO_ROOT}/cli/main.ts`;

/** What a finished CLI run produced. */
export interface CliRun {
  /** Exit code. */
  readonly code: number;
  /** Everything written to stdout. */
  readonly stdout: string;
  /** Everything written to stderr. */
  readonly stderr: string;
}

/**
 * A private HOME for one test, with helpers to run the CLI in it. Disposing it (`await
 * using home = await createTestHome()`) is {@linkcode TestHome.cleanup}.
 */
export interface TestHome extends AsyncDisposable {
  /** The temporary home directory. */
  readonly home: string;
  /** Environment for child processes (HOME set, CLAUDE_NTFY_* cleared). */
  readonly env: Record<string, string>;
  /** The default daemon paths under this HOME. */
  readonly paths: DaemonPaths;
  /** Writes the global config file. */
  writeConfig(toml: string): Promise<void>;
  /** Runs the CLI to completion. */
  /** Runs `claude-ntfy args` from the source (or from `entry`, a bundle) to its end. */
  run(
    args: string[],
    options?: { stdin?: string | Uint8Array; env?: Record<string, string>; entry?: string },
  ): Promise<CliRun>;
  /**
   * Starts a detached daemon and waits until it answers. With `env`, `daemon start` runs
   * with those variables too (`CLAUDE_NTFY_STATE_DIR` moves the daemon, and `cleanup()`
   * then looks there as well).
   */
  startDaemon(extraArgs?: string[], options?: { env?: Record<string, string> }): Promise<number>;
  /** The daemon paths for these variables (`CLAUDE_NTFY_STATE_DIR`), else the default ones. */
  pathsFor(env?: Record<string, string>): DaemonPaths;
  /** `daemon status --json` with these variables; `undefined` when no daemon answers. */
  status(env?: Record<string, string>): Promise<DaemonStatusJson | undefined>;
  /**
   * Kills every daemon started here, and any daemon whose PID file is in one of this
   * HOME's state folders (one a hook started), then removes HOME.
   */
  cleanup(): Promise<void>;
}

/** The fields of `daemon status --json` that tests read. */
export interface DaemonStatusJson {
  readonly pid: number;
  readonly delivered: number;
  readonly queueSize: number;
  readonly held?: number;
  readonly cancelled?: number;
  readonly sessions?: number;
  readonly inFlight: number;
  readonly retrying: number;
  readonly requests: Readonly<Record<string, number>>;
}

function scrubbedEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(Deno.env.toObject())) {
    if (key.startsWith("CLAUDE_") || key.startsWith("NTFY_") || key === "XDG_RUNTIME_DIR") continue;
    env[key] = value;
  }
  // Keep Deno's module cache where it is: a fresh HOME would mean a fresh, empty cache.
  env.DENO_DIR ??= `${Deno.env.get("HOME") ?? "/root"}/.cache/deno`;
  env.HOME = home;
  env.NO_COLOR = "1";
  return env;
}

/** Creates a temporary HOME; `await using` it, or call `cleanup()` in `finally`. */
export async function createTestHome(prefix = "claude-ntfy-test-"): Promise<TestHome> {
  // Short paths keep socket paths under the 107-byte limit.
  const home = await Deno.makeTempDir({ dir: "/tmp", prefix });
  const env = scrubbedEnv(home);
  const paths = resolveDaemonPaths({ homeDir: home });
  const started: number[] = [];
  const pidPaths = new Set<string>([paths.pidPath]);

  function pathsFor(extra: Record<string, string> = {}): DaemonPaths {
    const stateDir = extra.CLAUDE_NTFY_STATE_DIR;
    if (stateDir === undefined) return paths;
    const moved = resolveDaemonPaths({ homeDir: home, stateDir });
    pidPaths.add(moved.pidPath);
    return moved;
  }

  async function run(
    args: string[],
    options: { stdin?: string | Uint8Array; env?: Record<string, string>; entry?: string } = {},
  ): Promise<CliRun> {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", options.entry ?? CLI_ENTRY, ...args],
      env: { ...env, ...options.env },
      clearEnv: true,
      cwd: home,
      stdin: options.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    if (options.stdin !== undefined) {
      const writer = child.stdin.getWriter();
      const bytes = typeof options.stdin === "string"
        ? new TextEncoder().encode(options.stdin)
        : options.stdin;
      await writer.write(bytes).catch(() => {});
      await writer.close().catch(() => {});
    }
    const output = await child.output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    };
  }

  async function cleanup(): Promise<void> {
    const pids = new Set(started);
    for (const pidPath of pidPaths) {
      const pid = readPidFile(pidPath);
      // Only a daemon of this HOME (its arguments name it): never this process, whose PID
      // a stand-in daemon may have written, nor a process that reused a stale PID.
      if (pid !== undefined && pid !== Deno.pid && commandLine(pid).includes(home)) {
        pids.add(pid);
      }
    }
    for (const pid of pids) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // Already gone: that is the normal case after a clean stop.
      }
    }
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }

  return {
    home,
    env,
    paths,
    async writeConfig(toml: string) {
      await Deno.mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
      await Deno.writeTextFile(`${paths.stateDir}/config.toml`, toml, { mode: 0o600 });
    },
    run,
    pathsFor,
    async startDaemon(extraArgs: string[] = [], options: { env?: Record<string, string> } = {}) {
      const where = pathsFor(options.env);
      const result = await run(["daemon", "start", "--detach", ...extraArgs], {
        env: options.env,
      });
      if (result.code !== 0) {
        throw new Error(`daemon start failed (${result.code}): ${result.stderr}${result.stdout}`);
      }
      const pid = readPidFile(where.pidPath);
      if (pid === undefined) throw new Error("daemon started but wrote no PID file");
      started.push(pid);
      return pid;
    },
    async status(extra?: Record<string, string>) {
      const result = await run(["daemon", "status", "--json"], { env: extra });
      return result.code === 0 ? JSON.parse(result.stdout) as DaemonStatusJson : undefined;
    },
    cleanup,
    [Symbol.asyncDispose]: cleanup,
  };
}

/** A process's arguments joined by spaces, or "" when it is gone. */
function commandLine(pid: number): string {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** Whether a process with this PID exists. */
export function processAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // A zombie (state Z) has exited but not been reaped yet.
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** Resolves with `promise`, or throws after `timeoutMs` naming `what`; leaves no timer. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Stops the daemon whose PID file is `pidPath`: `daemon stop` first, then SIGKILL if it is
 * still there, and waits until it is gone. For tests whose daemon a hook started in a state
 * folder `TestHome.cleanup()` does not know.
 */
export async function stopDaemonOf(
  home: TestHome,
  pidPath: string,
  options: { env?: Record<string, string> } = {},
): Promise<void> {
  await home.run(["daemon", "stop"], options);
  const pid = readPidFile(pidPath);
  if (pid !== undefined && processAlive(pid)) {
    Deno.kill(pid, "SIGKILL");
    await waitFor(() => !processAlive(pid), { timeoutMs: 5_000, what: `daemon ${pid} to exit` });
  }
}
