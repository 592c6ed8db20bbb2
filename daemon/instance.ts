/**
 * One daemon per state folder: a secure state folder, an exclusive lock held for the
 * daemon's lifetime (released by the kernel even on `kill -9`), a PID file, the access
 * token, and stale-socket clean-up that never steals a live socket.
 *
 * @module
 */

import { type DaemonPaths, dirname } from "./paths.ts";
import { writeTextFileAtomicSync } from "./atomic_write.ts";

/** Why the daemon could not take its state folder. */
export type InstanceErrorCode =
  | "ALREADY_RUNNING"
  | "SOCKET_IN_USE"
  | "INSECURE_STATE_DIR"
  | "STATE_DIR_UNUSABLE";

/**
 * The daemon cannot start in this state folder.
 *
 * @example
 * ```ts ignore
 * try { await acquireInstance(paths); } catch (e) {
 *   if (e instanceof InstanceError && e.code === "ALREADY_RUNNING") console.error(e.message);
 * }
 * ```
 */
export class InstanceError extends Error {
  /** What went wrong. */
  readonly code: InstanceErrorCode;
  /** The PID of the daemon that holds the folder, when known. */
  readonly pid: number | undefined;

  /** Creates an instance error. */
  constructor(code: InstanceErrorCode, message: string, pid?: number) {
    super(message);
    this.name = "InstanceError";
    this.code = code;
    this.pid = pid;
  }
}

/** The held lock and the files to remove when the daemon stops. */
export interface InstanceLock {
  /** The token clients must present. */
  readonly token: string;
  /** Writes the PID file and tightens the socket's mode; call once listening. */
  markListening(): void;
  /** Removes socket, PID and token files and releases the lock. */
  release(): void;
}

function currentUid(): number | null {
  try {
    return Deno.uid();
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      return null;
    }
    throw error;
  }
}

/**
 * Creates a folder with mode 0700 if it is missing, and refuses one that is group- or
 * world-writable or owned by someone else.
 *
 * @throws {InstanceError} `INSECURE_STATE_DIR` or `STATE_DIR_UNUSABLE`.
 */
export function ensurePrivateDir(path: string): void {
  try {
    Deno.mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new InstanceError(
      "STATE_DIR_UNUSABLE",
      `Cannot create state folder "${path}": ${(error as Error).message}`,
    );
  }
  const info = Deno.statSync(path);
  if (!info.isDirectory) {
    throw new InstanceError("STATE_DIR_UNUSABLE", `State folder "${path}" is not a folder`);
  }
  const uid = currentUid();
  if (uid !== null && info.uid !== null && info.uid !== uid) {
    throw new InstanceError(
      "INSECURE_STATE_DIR",
      `Refusing state folder "${path}": owned by uid ${info.uid}, not by you (uid ${uid})`,
    );
  }
  if (info.mode !== null && (info.mode & 0o022) !== 0) {
    throw new InstanceError(
      "INSECURE_STATE_DIR",
      `Refusing state folder "${path}": it is group- or world-writable (mode ${
        (info.mode & 0o777).toString(8)
      }); run: chmod 700 "${path}"`,
    );
  }
}

/** Reads the PID file, or undefined when it is missing or garbled. */
export function readPidFile(path: string): number | undefined {
  try {
    const pid = Number.parseInt(Deno.readTextFileSync(path).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Whether something answers on the socket (a live daemon). */
export async function socketIsLive(path: string): Promise<boolean> {
  try {
    const conn = await Deno.connect({ transport: "unix", path });
    conn.close();
    return true;
  } catch (error) {
    if (
      error instanceof Deno.errors.NotFound || error instanceof Deno.errors.ConnectionRefused
    ) {
      return false;
    }
    throw error;
  }
}

function removeIfPresent(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

function writePrivateFile(path: string, text: string): void {
  writeTextFileAtomicSync(path, text, { mode: 0o600 });
}

/**
 * Takes the state folder for this daemon: checks and creates folders, takes the lock,
 * clears a stale socket and writes a fresh token.
 *
 * @throws {InstanceError} `ALREADY_RUNNING` when another daemon holds the lock,
 * `SOCKET_IN_USE` when a live process answers on the socket.
 */
export async function acquireInstance(paths: DaemonPaths): Promise<InstanceLock> {
  ensurePrivateDir(paths.stateDir);
  const socketDir = dirname(paths.socketPath);
  if (socketDir !== paths.stateDir) ensurePrivateDir(socketDir);

  const lockFile = Deno.openSync(paths.lockPath, {
    create: true,
    read: true,
    write: true,
    mode: 0o600,
  });
  if (!lockFile.tryLockSync(true)) {
    lockFile.close();
    const pid = readPidFile(paths.pidPath);
    throw new InstanceError(
      "ALREADY_RUNNING",
      `A daemon is already running for ${paths.stateDir}${
        pid ? ` (pid ${pid})` : ""
      }: socket ${paths.socketPath}`,
      pid,
    );
  }
  try {
    if (await socketIsLive(paths.socketPath)) {
      throw new InstanceError(
        "SOCKET_IN_USE",
        `Another process is listening on ${paths.socketPath}; not taking it over. ` +
          `Stop it, or set CLAUDE_NTFY_SOCKET to another path`,
      );
    }
    // Nobody answers: a socket left by a daemon that died. Safe to remove, we hold the lock.
    removeIfPresent(paths.socketPath);
    const token = Array.from(
      crypto.getRandomValues(new Uint8Array(32)),
      (byte) => byte.toString(16).padStart(2, "0"),
    ).join("");
    writePrivateFile(paths.tokenPath, token + "\n");
    let released = false;
    return {
      token,
      markListening() {
        Deno.chmodSync(paths.socketPath, 0o600);
        writePrivateFile(paths.pidPath, `${Deno.pid}\n`);
      },
      release() {
        if (released) return;
        released = true;
        removeIfPresent(paths.socketPath);
        removeIfPresent(paths.pidPath);
        removeIfPresent(paths.tokenPath);
        lockFile.unlockSync();
        lockFile.close();
      },
    };
  } catch (error) {
    lockFile.close();
    throw error;
  }
}
