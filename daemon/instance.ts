/**
 * One daemon per state folder: a secure state folder, an exclusive lock held for the
 * daemon's lifetime (released by the kernel even on `kill -9`), a PID file, the access
 * token, and stale-socket clean-up that never steals a live socket.
 *
 * @module
 */

import { type DaemonPaths, dirname } from "../client/paths.ts";
import { writeTextFileAtomicSync } from "../core/fs/atomic_write.ts";
import { ensurePrivateDir, InstanceError, readPidFile } from "../core/state_dir.ts";

/** The held lock and the files to remove when the daemon stops. */
export interface InstanceLock {
  /** The token clients must present. */
  readonly token: string;
  /** Writes the PID file and tightens the socket's mode; call once listening. */
  markListening(): void;
  /** Removes socket, PID and token files and releases the lock. */
  release(): void;
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
