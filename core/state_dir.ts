/**
 * The state folder both sides rely on: created or made private (0700), refused when
 * someone else could write to it, and the daemon's PID file inside it.
 *
 * @module
 */

import { errorMessage } from "../protocol/error_message.ts";

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
 * Creates a folder with mode 0700 if it is missing, tightens one you own that others can
 * read or enter (e.g. 0755, made earlier under a normal umask) to 0700, and refuses one
 * that is group- or world-writable or owned by someone else.
 *
 * @throws {InstanceError} `INSECURE_STATE_DIR` or `STATE_DIR_UNUSABLE`.
 */
export function ensurePrivateDir(path: string): void {
  try {
    Deno.mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new InstanceError(
      "STATE_DIR_UNUSABLE",
      `Cannot create state folder "${path}": ${errorMessage(error)}`,
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
  if (info.mode === null) return;
  const mode = info.mode & 0o777;
  // Not tightened: while others could write here they could have planted a config, a
  // spool task or a symlink, and chmod would hide that. The user should look first.
  if ((mode & 0o022) !== 0) {
    throw new InstanceError(
      "INSECURE_STATE_DIR",
      `Refusing state folder "${path}": it is group- or world-writable (mode ${
        mode.toString(8)
      }); check what is in it, then run: chmod 700 "${path}"`,
    );
  }
  if ((mode & 0o077) !== 0) {
    try {
      Deno.chmodSync(path, 0o700);
    } catch (error) {
      throw new InstanceError(
        "INSECURE_STATE_DIR",
        `Refusing state folder "${path}": others can read it (mode ${
          mode.toString(8)
        }) and it cannot be made private: ${errorMessage(error)}; run: chmod 700 "${path}"`,
      );
    }
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
