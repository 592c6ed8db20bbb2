/**
 * The real Claude Code CLI for tests: installed from npm at a pinned version into a cache
 * folder outside the repository (once; later runs reuse it), and run headless (`claude
 * -p`) against a loopback stand-in for the Anthropic API with an environment that keeps
 * it off the network.
 *
 * @module
 */

/** The Claude Code version the end-to-end test and the captured fixtures use. */
export const CLAUDE_CODE_VERSION = "2.1.332";

/** The npm package of the Claude Code CLI. */
export const CLAUDE_CODE_PACKAGE = "@anthropic-ai/claude-code";

/**
 * The folder the pinned CLI is installed into: `$CLAUDE_NTFY_TEST_CACHE`, else
 * `$XDG_CACHE_HOME/claude-ntfy-tests`, else `~/.cache/claude-ntfy-tests`, then
 * `claude-code-<version>`.
 */
export function claudeCodeInstallDir(version: string = CLAUDE_CODE_VERSION): string {
  const env = (name: string) => {
    const value = Deno.env.get(name);
    return value === undefined || value === "" ? undefined : value;
  };
  const home = env("HOME");
  const base = env("CLAUDE_NTFY_TEST_CACHE") ??
    `${
      env("XDG_CACHE_HOME") ?? (home === undefined ? "/tmp" : `${home}/.cache`)
    }/claude-ntfy-tests`;
  return `${base}/claude-code-${version}`;
}

/** How a command ended and what it printed. */
export interface Finished {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `command` to the end with no stdin; `clearEnv` gives it exactly `env` and nothing of
 * this process's environment.
 */
export async function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; clearEnv?: boolean } = {},
): Promise<Finished> {
  const output = await new Deno.Command(command, {
    args,
    cwd: options.cwd,
    env: options.env,
    clearEnv: options.clearEnv ?? false,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** The binaries an install may hold: npm's link, else the platform package's own. */
function binaryCandidates(dir: string): string[] {
  const candidates = [`${dir}/node_modules/.bin/claude`];
  try {
    for (const entry of Deno.readDirSync(`${dir}/node_modules/@anthropic-ai`)) {
      if (entry.name.startsWith("claude-code-")) {
        candidates.push(`${dir}/node_modules/@anthropic-ai/${entry.name}/claude`);
      }
    }
  } catch {
    // No platform packages: only the link is left to try.
  }
  return candidates;
}

/** The first candidate that runs and reports `version`, or `undefined`. */
async function workingBinary(dir: string, version: string): Promise<string | undefined> {
  for (const path of binaryCandidates(dir)) {
    try {
      const result = await runCommand(path, ["--version"], {
        env: { HOME: dir, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", DISABLE_AUTOUPDATER: "1" },
      });
      if (result.code === 0 && result.stdout.startsWith(version)) return path;
    } catch {
      // Not there or not executable (e.g. npm left the placeholder): try the next.
    }
  }
  return undefined;
}

/** Where the CLI came from: found in the cache or installed now, and how long that took. */
export interface InstalledClaudeCode {
  /** The `claude` executable. */
  readonly path: string;
  /** The installed version. */
  readonly version: string;
  /** Whether this call ran `npm install` (false: the cache had it). */
  readonly installed: boolean;
  /** Milliseconds spent finding or installing it. */
  readonly ms: number;
}

/**
 * Returns the pinned Claude Code CLI, installing it with `npm install --prefix` into
 * {@linkcode claudeCodeInstallDir} when the cache does not have it. The install goes to a
 * sibling folder first and is renamed into place, so an interrupted or concurrent install
 * never leaves a half-filled cache.
 *
 * @throws {Error} when npm is missing or the install fails (e.g. the registry is not
 * reachable), saying what to do: tests that need the CLI fail, they do not skip.
 */
export async function installClaudeCode(
  version: string = CLAUDE_CODE_VERSION,
): Promise<InstalledClaudeCode> {
  const started = performance.now();
  const dir = claudeCodeInstallDir(version);
  const cached = await workingBinary(dir, version);
  if (cached !== undefined) {
    return { path: cached, version, installed: false, ms: performance.now() - started };
  }
  const spec = `${CLAUDE_CODE_PACKAGE}@${version}`;
  const parent = dir.slice(0, dir.lastIndexOf("/"));
  await Deno.mkdir(parent, { recursive: true });
  const staging = await Deno.makeTempDir({ dir: parent, prefix: `.claude-code-${version}-` });
  const help = `Install it by hand with "npm install --prefix '${dir}' ${spec}", ` +
    `or set CLAUDE_NTFY_TEST_CACHE to a folder that has it`;
  try {
    let result: Finished;
    try {
      result = await runCommand("npm", [
        "install",
        "--prefix",
        staging,
        "--no-audit",
        "--no-fund",
        "--no-save",
        "--loglevel=error",
        spec,
      ], { env: { npm_config_update_notifier: "false" } });
    } catch (error) {
      throw new Error(`Cannot install ${spec}: npm did not start (${error}). ${help}`);
    }
    if (result.code !== 0) {
      const said = `${result.stderr}\n${result.stdout}`.trim().split("\n").slice(0, 12).join("\n");
      throw new Error(
        `Cannot install ${spec} from the npm registry (npm exited with ${result.code}); ` +
          `the end-to-end test needs it. ${help}. npm said:\n${said}`,
      );
    }
    if (await workingBinary(staging, version) === undefined) {
      throw new Error(`Cannot run ${spec} after installing it in ${staging}. ${help}`);
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    try {
      await Deno.rename(staging, dir);
    } catch (error) {
      // Another process installed it first: use theirs.
      if (await workingBinary(dir, version) === undefined) throw error;
    }
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
  const path = await workingBinary(dir, version);
  if (path === undefined) throw new Error(`Cannot run ${spec} in ${dir}. ${help}`);
  return { path, version, installed: true, ms: performance.now() - started };
}

/** The folders one headless run lives in. */
export interface ClaudeEnvOptions {
  /** HOME for the CLI (its `~/.claude` is there). */
  readonly home: string;
  /** The stand-in API's base URL. */
  readonly apiUrl: string;
  /** TMPDIR for the CLI, which keeps task output and sockets under it. */
  readonly tmpDir: string;
  /** More variables (e.g. `DENO_DIR` for hooks that run Deno). */
  readonly extra?: Record<string, string>;
}

/**
 * The whole environment for a headless run: an isolated HOME and TMPDIR, the stand-in
 * API with a dummy key, and every switch that keeps Claude Code from reaching anything else
 * (updates, telemetry, error reports, other non-essential traffic). Use with `clearEnv`.
 */
export function claudeEnv(options: ClaudeEnvOptions): Record<string, string> {
  return {
    HOME: options.home,
    PATH: Deno.env.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
    TMPDIR: options.tmpDir,
    LANG: "C.UTF-8",
    NO_COLOR: "1",
    ANTHROPIC_BASE_URL: options.apiUrl,
    ANTHROPIC_API_KEY: "sk-ant-api03-test-dummy-key",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    DISABLE_BUG_COMMAND: "1",
    ...options.extra,
  };
}

/** What a headless run printed and how it ended. */
export interface ClaudeRun extends Finished {
  /** Wall time in milliseconds. */
  readonly ms: number;
}

/**
 * Runs `claude` with `args` in `cwd` with exactly `env`, and waits for it to exit; killed
 * after `timeoutMs` (the error says so, with what it printed).
 */
export async function runClaude(
  claude: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<ClaudeRun> {
  const started = performance.now();
  const child = new Deno.Command(claude, {
    args,
    cwd: options.cwd,
    env: options.env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timeoutMs = options.timeoutMs ?? 60_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }, timeoutMs);
  try {
    const output = await child.output();
    const decoder = new TextDecoder();
    const run = {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
      ms: performance.now() - started,
    };
    if (timedOut) {
      throw new Error(
        `claude ${args.join(" ")} did not exit within ${timeoutMs} ms; ` +
          `stdout: ${run.stdout.slice(-2000)}\nstderr: ${run.stderr.slice(-2000)}`,
      );
    }
    return run;
  } finally {
    clearTimeout(timer);
  }
}

if (import.meta.main) {
  // `deno run -A tests/support/claude_code.ts`: install (or find) the pinned CLI ahead of a
  // test run, as CI does, so the download does not compete with the tests.
  const claude = await installClaudeCode();
  console.log(
    `Claude Code ${claude.version}: ${claude.path} ` +
      `(${claude.installed ? "installed" : "cached"} in ${Math.round(claude.ms)} ms)`,
  );
}
