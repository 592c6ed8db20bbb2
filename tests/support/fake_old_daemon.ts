/**
 * A stand-in for a daemon from before protocol 2, listening on a real Unix socket in a
 * state folder: it answers a `hello` for any version but 1 with `UNSUPPORTED_VERSION` (as
 * such a daemon does), serves a version 1 client with the right token, and on `shutdown`
 * answers, stops listening and removes its socket, PID and token files, as a real daemon
 * does on its way out. It records what it was sent.
 *
 * @module
 */

import {
  decodeRequest,
  encodeResponse,
  ErrorCode,
  FrameDecoder,
  type Request,
  type Response,
} from "../../protocol/mod.ts";
import type { DaemonPaths } from "../../client/paths.ts";
import { writeAll } from "../../client/write_all.ts";

/** The protocol version the fake speaks. */
export const OLD_PROTOCOL_VERSION = 1;

/** What the fake was sent, in order: `hello` with its version, other requests by type. */
export type FakeDaemonEntry = { readonly type: string; readonly version?: number };

/** A running fake. */
export interface FakeOldDaemon {
  /** Requests received, in order. */
  readonly received: readonly FakeDaemonEntry[];
  /** Resolves once a `shutdown` was answered and the files are gone. */
  readonly stopped: Promise<void>;
  /** Whether it stopped after a `shutdown`. */
  readonly hasStopped: boolean;
  /** Stops it (if still running) and removes its files. Idempotent. */
  close(): Promise<void>;
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // already gone
  }
}

/**
 * Starts the fake in `paths`: creates the state folder (0700), the token file and the PID
 * file (naming this process, which no test signals), then listens on the socket.
 *
 * @example
 * ```ts ignore
 * const fake = await startFakeOldDaemon(home.paths);
 * try { ... await fake.stopped; } finally { await fake.close(); }
 * ```
 */
export async function startFakeOldDaemon(paths: DaemonPaths): Promise<FakeOldDaemon> {
  const token = "fake-old-daemon-token";
  await Deno.mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(paths.tokenPath, `${token}\n`, { mode: 0o600 });
  const listener = Deno.listen({ transport: "unix", path: paths.socketPath });
  await Deno.writeTextFile(paths.pidPath, `${Deno.pid}\n`, { mode: 0o600 });
  const received: FakeDaemonEntry[] = [];
  const conns = new Set<Deno.Conn>();
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => resolveStopped = resolve);
  let hasStopped = false;
  let closing: Promise<void> | undefined;

  function stop(): Promise<void> {
    closing ??= (async () => {
      try {
        listener.close();
      } catch {
        // already closed
      }
      for (const conn of conns) {
        try {
          conn.close();
        } catch {
          // closed by the peer
        }
      }
      // The socket first, the PID file last: a replacing daemon waits for the PID file.
      removeQuietly(paths.socketPath);
      removeQuietly(paths.tokenPath);
      removeQuietly(paths.pidPath);
      await serving;
    })();
    return closing;
  }

  /** The answer to one request, and whether the connection ends after it. */
  function answer(request: Request, authenticated: boolean): [Response, "close" | "stay"] {
    if (request.type === "hello") {
      if (request.version !== OLD_PROTOCOL_VERSION) {
        return [{
          type: "error",
          id: request.id,
          code: ErrorCode.UnsupportedVersion,
          message: `Unsupported protocol version ${request.version}: this daemon speaks 1`,
          retryable: false,
        }, "close"];
      }
      if (request.token !== token) {
        return [{
          type: "error",
          id: request.id,
          code: ErrorCode.Unauthorized,
          message: "Wrong token",
        }, "close"];
      }
      return [{
        type: "hello",
        id: request.id,
        version: OLD_PROTOCOL_VERSION,
        daemonVersion: "0.0.1-old",
        pid: Deno.pid,
      }, "stay"];
    }
    if (!authenticated) {
      return [{
        type: "error",
        id: request.id,
        code: ErrorCode.HandshakeRequired,
        message: "Send hello first",
      }, "close"];
    }
    if (request.type === "ping" || request.type === "shutdown") {
      return [{ type: "ok", id: request.id }, "stay"];
    }
    return [{
      type: "error",
      id: request.id,
      code: ErrorCode.UnknownType,
      message: `Unknown request type "${request.type}"`,
    }, "stay"];
  }

  async function serve(conn: Deno.Conn): Promise<void> {
    const decoder = new FrameDecoder();
    const buffer = new Uint8Array(64 * 1024);
    let authenticated = false;
    try {
      while (true) {
        const n = await conn.read(buffer);
        if (n === null) return;
        for (const payload of decoder.push(buffer.slice(0, n))) {
          const request = decodeRequest(payload);
          received.push(
            request.type === "hello"
              ? { type: "hello", version: request.version }
              : { type: request.type },
          );
          const [response, next] = answer(request, authenticated);
          if (response.type === "hello") authenticated = true;
          await writeAll(conn, encodeResponse(response));
          if (next === "close") return;
          if (request.type === "shutdown") {
            await stop();
            hasStopped = true;
            resolveStopped();
            return;
          }
        }
      }
    } catch {
      // The peer went away, or the fake is closing.
    } finally {
      conns.delete(conn);
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
  }

  // Connections are not awaited: the one that asked for the shutdown is still being served.
  const serving = (async () => {
    try {
      for await (const conn of listener) {
        conns.add(conn);
        void serve(conn);
      }
    } catch {
      // closed
    }
  })();

  return {
    received,
    stopped,
    get hasStopped() {
      return hasStopped;
    },
    close: stop,
  };
}
