// A private HOME for the benchmark with a config aimed at the loopback ntfy server, and the
// daemon started from the bundle exactly as the README tells users to run it.

import { connect, type DaemonClient } from "../client/client.ts";
import { readPidFile } from "../core/state_dir.ts";
import { type DaemonPaths, resolveDaemonPaths } from "../client/paths.ts";
import { killPid, onCleanup } from "./_cleanup.ts";
import { sleep, waitUntil } from "./_stats.ts";

/** The repository root. */
export const REPO_ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
/** The bundled CLI, as installed. */
export const BUNDLE = `${REPO_ROOT}/dist/claude-ntfy.js`;
/** The hook's own bundle: what `init --install-hooks` registers. */
export const HOOK_BUNDLE = `${REPO_ROOT}/dist/hook/claude-ntfy-hook.js`;
/** `deno run` as the hook command runs it, without the hook's V8 flags. */
export const DENO_RUN_FLAGS = ["run", "-A", "--quiet", "--no-prompt", "--no-config"];
/** The flags the README gives for the hook command. */
export const HOOK_RUN_FLAGS = [...DENO_RUN_FLAGS, "--v8-flags=--no-lazy"];

/** Resident and peak memory of a process, in bytes. */
export interface ProcessMemory {
  readonly rss: number;
  readonly peak: number;
}

/** Reads VmRSS and VmHWM from `/proc/<pid>/status`. */
export function processMemory(pid: number): ProcessMemory {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  return { rss: kib("VmRSS") * 1024, peak: kib("VmHWM") * 1024 };
}

function processAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
  }
}

/** A temporary HOME with a config, and the daemons started in it. */
export class BenchHome {
  readonly home: string;
  /** A project folder in it (no claude-ntfy files of its own): where hooks run. */
  readonly project: string;
  readonly env: Record<string, string>;
  readonly paths: DaemonPaths;
  #daemonPid: number | undefined;

  private constructor(home: string) {
    this.home = home;
    this.project = `${home}/webapp`;
    this.paths = resolveDaemonPaths({ homeDir: home });
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(Deno.env.toObject())) {
      if (/^(CLAUDE_|NTFY_|XDG_RUNTIME_DIR$|DENO_)/.test(key)) continue;
      env[key] = value;
    }
    env.HOME = home;
    env.NO_COLOR = "1";
    env.DENO_NO_UPDATE_CHECK = "1";
    // Share the module and code caches with this process, as a user's shell would.
    const denoDir = Deno.env.get("DENO_DIR");
    if (denoDir) env.DENO_DIR = denoDir;
    this.env = env;
  }

  /** Creates the HOME (short path, for the socket) and writes the config. */
  static async create(ntfyUrl: string): Promise<BenchHome> {
    const home = await Deno.makeTempDir({ dir: "/tmp", prefix: "cnb-" });
    const benchHome = new BenchHome(home);
    onCleanup(`temp HOME ${home}`, () => Deno.remove(home, { recursive: true }));
    await Deno.mkdir(benchHome.paths.stateDir, { recursive: true, mode: 0o700 });
    // As in most projects Claude Code works in: a .claude folder with its settings.
    await Deno.mkdir(`${benchHome.project}/.claude`, { recursive: true });
    await Deno.writeTextFile(`${benchHome.project}/.claude/settings.local.json`, "{}\n");
    await Deno.writeTextFile(`${benchHome.paths.stateDir}/config.toml`, configToml(ntfyUrl), {
      mode: 0o600,
    });
    return benchHome;
  }

  /** The running daemon's process id. */
  get daemonPid(): number {
    if (this.#daemonPid === undefined) throw new Error("No daemon is running");
    return this.#daemonPid;
  }

  /**
   * Starts the daemon: `claude-ntfy daemon start --detach` from the bundle (scoped
   * permissions, log file), or, with `denoFlags` (e.g. `--cpu-prof`), `daemon run` as a
   * direct child with those flags added.
   */
  async startDaemon(options: { denoFlags?: string[] } = {}): Promise<number> {
    if (options.denoFlags) {
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--no-prompt",
          ...options.denoFlags,
          BUNDLE,
          "daemon",
          "run",
          `--log-file=${this.paths.logPath}`,
        ],
        env: this.env,
        clearEnv: true,
        cwd: this.home,
        stdin: "null",
        stdout: "inherit",
        stderr: "inherit",
      }).spawn();
      this.#daemonPid = child.pid;
      onCleanup(`daemon ${child.pid}`, () => killPid(child.pid));
      await waitUntil(() => readPidFile(this.paths.pidPath) === child.pid, 10_000, "daemon start");
      await this.#waitAnswering();
      return child.pid;
    }
    const output = await new Deno.Command(Deno.execPath(), {
      args: [...DENO_RUN_FLAGS, BUNDLE, "daemon", "start", "--detach"],
      env: this.env,
      clearEnv: true,
      cwd: this.home,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const pid = readPidFile(this.paths.pidPath);
    if (pid !== undefined) onCleanup(`daemon ${pid}`, () => killPid(pid));
    if (!output.success || pid === undefined) {
      const text = new TextDecoder().decode(output.stderr) +
        new TextDecoder().decode(output.stdout);
      throw new Error(`daemon start failed (exit ${output.code}): ${text.trim()}`);
    }
    this.#daemonPid = pid;
    await this.#waitAnswering();
    return pid;
  }

  async #waitAnswering(): Promise<void> {
    for (let attempt = 0;; attempt++) {
      try {
        const client = await this.connect();
        await client.ping();
        await client.close();
        return;
      } catch (error) {
        if (attempt > 200) throw error;
        await sleep(25);
      }
    }
  }

  /** Connects a client to the daemon. */
  connect(requestTimeoutMs = 120_000): Promise<DaemonClient> {
    return connect({
      socketPath: this.paths.socketPath,
      tokenPath: this.paths.tokenPath,
      connectTimeoutMs: 10_000,
      requestTimeoutMs,
      clientName: "claude-ntfy-bench",
    });
  }

  /** Asks the daemon to shut down and waits for the process to go (SIGKILL after 15 s). */
  async stopDaemon(): Promise<void> {
    const pid = this.#daemonPid;
    if (pid === undefined) return;
    this.#daemonPid = undefined;
    try {
      const client = await this.connect();
      await client.shutdown();
      await client.close();
      await waitUntil(() => !processAlive(pid), 15_000, `daemon ${pid} to exit`);
    } catch {
      killPid(pid);
      await waitUntil(() => !processAlive(pid), 5_000, `daemon ${pid} to die`);
    }
  }

  /** Kills the daemon at once (SIGKILL): for a daemon whose queue can never drain. */
  async killDaemon(): Promise<void> {
    const pid = this.#daemonPid;
    if (pid === undefined) return;
    this.#daemonPid = undefined;
    killPid(pid);
    await waitUntil(() => !processAlive(pid), 5_000, `daemon ${pid} to die`);
  }

  /** The daemon's memory now. */
  daemonMemory(): ProcessMemory {
    return processMemory(this.daemonPid);
  }
}

function configToml(ntfyUrl: string): string {
  // A queue far above anything the benchmark holds, so Submits are never refused with
  // QUEUE_FULL; warnings only, so logging costs nothing on the hot path; no digests, since
  // every message's own arrival is timed. Notifications go at once (no hold): the benchmark
  // measures delivery, not waiting.
  return `[ntfy]
server_url = "${ntfyUrl}"
default_topic = "bench"

[hooks]
delay_secs = 0

[daemon]
max_queue_size = 10000000
log_level = "warn"
digest_after = 0
`;
}
