/**
 * Where the daemon keeps its state: socket, PID file, lock, token, journal, spool and log.
 * Pure functions, so the client and the daemon derive the same paths the same way.
 *
 * @module
 */

import { collapseSlashes } from "./path_text.ts";
import { ClientError } from "./errors.ts";

/** The longest Unix socket path Linux accepts (`sun_path` is 108 bytes with the NUL). */
export const MAX_SOCKET_PATH_BYTES = 107;

/** The folder, relative to a project or the home directory, that holds claude-ntfy's state. */
export const STATE_DIR_NAME = ".claude/ntfy-service";

/** Every path the daemon and its clients agree on. */
export interface DaemonPaths {
  /** The state folder (mode 0700). */
  readonly stateDir: string;
  /** The Unix socket. */
  readonly socketPath: string;
  /** True when the configured socket path was too long and a short one is used instead. */
  readonly socketRelocated: boolean;
  /** The daemon's PID file. */
  readonly pidPath: string;
  /** The lock file that keeps a second daemon out. */
  readonly lockPath: string;
  /** The 0600 file holding the token clients present in `hello`. */
  readonly tokenPath: string;
  /** The durable queue's journal folder. */
  readonly journalDir: string;
  /** Where hooks drop tasks when the socket cannot be reached. */
  readonly spoolDir: string;
  /** Tasks given up on, with the reason (mode 0600). */
  readonly deadLetterPath: string;
  /** The log file used when the daemon runs detached. */
  readonly logPath: string;
}

/** What {@linkcode resolveDaemonPaths} needs to know about the environment. */
export interface PathInputs {
  /**
   * The user's home directory (`$HOME`). Needed only for the default state folder and
   * paths that start with `~`: without it those throw `NO_HOME`.
   */
  readonly homeDir?: string;
  /** The project directory, if the caller knows one. */
  readonly projectDir?: string;
  /** Whether `<projectDir>/.claude/ntfy-service/` exists (the caller checks). */
  readonly projectHasStateDir?: boolean;
  /** An explicit state folder (`--state-dir`), which wins over project and home. */
  readonly stateDir?: string;
  /** `CLAUDE_NTFY_SOCKET`, which wins over the config. */
  readonly envSocketPath?: string;
  /** `daemon.socket_path` from the config. */
  readonly configSocketPath?: string;
  /** `daemon.log_path` from the config. */
  readonly configLogPath?: string;
  /** `$XDG_RUNTIME_DIR`, preferred for relocated sockets. */
  readonly runtimeDir?: string;
  /** The temp folder used when there is no runtime dir. @default {"/tmp"} */
  readonly tempDir?: string;
  /** The user id, to name a per-user temp folder. */
  readonly uid?: number | null;
}

function join(...parts: string[]): string {
  return collapseSlashes(parts.join("/"));
}

/** The home folder, for a path that needs it. */
function homeOf(inputs: PathInputs, what: string): string {
  if (inputs.homeDir) return inputs.homeDir;
  throw new ClientError(
    "NO_HOME",
    `Cannot find your home directory for ${what}: HOME is not set (set it, or give the state ` +
      "folder with CLAUDE_NTFY_STATE_DIR or --state-dir)",
  );
}

function expandHome(path: string, inputs: PathInputs): string {
  if (path === "~") return homeOf(inputs, path);
  return path.startsWith("~/") ? join(homeOf(inputs, path), path.slice(2)) : path;
}

/** The byte length of a string in UTF-8, as the kernel counts a socket path. */
export function utf8Length(text: string): number {
  // Counted here rather than with a TextEncoder: the hook runs this on every event, and
  // starting the encoder costs it more than the count.
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      // A surrogate pair is one character of 4 bytes; a lone surrogate becomes U+FFFD (3).
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * A short, stable hex digest (64-bit FNV-1a) used to name relocated sockets.
 * Not cryptographic: it only has to make distinct long paths map to distinct short ones.
 */
export function shortHash(text: string): string {
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (const byte of new TextEncoder().encode(text)) {
    low = (low ^ byte) >>> 0;
    // Multiply the 64-bit value by the FNV prime 0x100000001b3 in 32-bit halves.
    const lowProduct = low * 0x1b3;
    const carry = Math.floor(lowProduct / 0x1_0000_0000);
    high = (Math.imul(high, 0x1b3) + Math.imul(low, 0x100) + carry) >>> 0;
    low = lowProduct >>> 0;
  }
  return high.toString(16).padStart(8, "0") + low.toString(16).padStart(8, "0");
}

/** The folder that holds relocated sockets for this user. */
export function shortSocketDir(inputs: PathInputs): string {
  if (inputs.runtimeDir) return join(inputs.runtimeDir, "claude-ntfy");
  const uid = inputs.uid ?? "user";
  return join(inputs.tempDir ?? "/tmp", `claude-ntfy-${uid}`);
}

/**
 * Resolves every daemon path. The state folder is `--state-dir`, else the project's
 * `.claude/ntfy-service/` when it exists, else `~/.claude/ntfy-service/`. The socket is
 * `CLAUDE_NTFY_SOCKET`, else `daemon.socket_path`, else `daemon.sock` in the state folder;
 * a path over 107 bytes moves to a short per-user folder, named by a hash of the long path.
 *
 * @param inputs The home folder, and what the caller knows of the project, the config and
 * the environment.
 * @returns Every path of the daemon's state.
 * @throws {ClientError} `NO_HOME` when a path needs the home folder (the default state
 * folder, a path starting with `~`) and `homeDir` is not given.
 *
 * @example The user's daemon
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveDaemonPaths } from "@claude-ntfy/claude-ntfy";
 *
 * const paths = resolveDaemonPaths({ homeDir: "/home/ada" });
 * assert.equal(paths.socketPath, "/home/ada/.claude/ntfy-service/daemon.sock");
 * assert.equal(paths.tokenPath, "/home/ada/.claude/ntfy-service/daemon.token");
 * ```
 *
 * @example A socket path too long for Linux moves
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_SOCKET_PATH_BYTES, resolveDaemonPaths } from "@claude-ntfy/claude-ntfy";
 *
 * const paths = resolveDaemonPaths({ homeDir: `/home/${"a".repeat(120)}`, runtimeDir: "/run/user/1000" });
 * assert.equal(paths.socketRelocated, true);
 * assert.ok(paths.socketPath.startsWith("/run/user/1000/claude-ntfy/"));
 * assert.ok(new TextEncoder().encode(paths.socketPath).length <= MAX_SOCKET_PATH_BYTES);
 * ```
 */
export function resolveDaemonPaths(inputs: PathInputs): DaemonPaths {
  const stateDir = inputs.stateDir
    ? expandHome(inputs.stateDir, inputs)
    : inputs.projectDir && inputs.projectHasStateDir
    ? join(inputs.projectDir, STATE_DIR_NAME)
    : join(homeOf(inputs, "the state folder"), STATE_DIR_NAME);
  const wanted = inputs.envSocketPath
    ? expandHome(inputs.envSocketPath, inputs)
    : inputs.configSocketPath
    ? expandHome(inputs.configSocketPath, inputs)
    : join(stateDir, "daemon.sock");
  const socketRelocated = utf8Length(wanted) > MAX_SOCKET_PATH_BYTES;
  const socketPath = socketRelocated
    ? join(shortSocketDir(inputs), `${shortHash(wanted)}.sock`)
    : wanted;
  return {
    stateDir,
    socketPath,
    socketRelocated,
    pidPath: join(stateDir, "daemon.pid"),
    lockPath: join(stateDir, "daemon.lock"),
    tokenPath: join(stateDir, "daemon.token"),
    journalDir: join(stateDir, "journal"),
    spoolDir: join(stateDir, "spool"),
    deadLetterPath: join(stateDir, "dead-letters.jsonl"),
    logPath: inputs.configLogPath
      ? expandHome(inputs.configLogPath, inputs)
      : join(stateDir, "daemon.log"),
  };
}

/** The folder part of a path. */
export function dirname(path: string): string {
  const index = path.lastIndexOf("/");
  return index <= 0 ? "/" : path.slice(0, index);
}
