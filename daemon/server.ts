/**
 * The Unix socket listener: the one place that calls `Deno.listen`. It accepts
 * connections up to a limit, serves each concurrently, and times out idle and half-sent
 * ones with a single sweep timer (not one timer per connection).
 *
 * @module
 */

import { ClientConnection, type ConnectionContext } from "./connection.ts";
import { errorMessage } from "../protocol/error_message.ts";

/** Server limits. */
export interface ServerLimits {
  /** Connections open at once; more are closed at once. @default {1024} */
  readonly maxConnections: number;
  /**
   * A connection with no bytes for this long, and no request being answered, is closed.
   * @default {60000}
   */
  readonly idleTimeoutMs: number;
  /** A connection stuck inside a frame for this long is closed. @default {5000} */
  readonly partialFrameTimeoutMs: number;
  /**
   * When the limit is reached, how long to wait for a connection to end before refusing
   * new ones. Clients that close and reconnect at once briefly overshoot the limit; this
   * lets them in instead of dropping them. @default {250}
   */
  readonly fullWaitMs?: number;
}

/** Default server limits. */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxConnections: 1024,
  idleTimeoutMs: 60_000,
  partialFrameTimeoutMs: 5_000,
  fullWaitMs: 250,
};

/**
 * Listens on a Unix socket and serves every connection with the given context until a
 * signal aborts.
 *
 * @example Serving until a signal aborts
 * ```ts ignore
 * const stop = new AbortController();
 * const server = new UnixServer("/tmp/x.sock", context, DEFAULT_SERVER_LIMITS);
 * const served = server.serve(stop.signal);
 * stop.abort("done");
 * await served; // every connection has been answered and closed
 * ```
 */
export class UnixServer {
  readonly #listener: Deno.Listener;
  readonly #context: ConnectionContext;
  readonly #limits: ServerLimits;
  readonly #connections = new Set<ClientConnection>();
  readonly #served = new Set<Promise<void>>();
  #closing = false;
  #nextId = 1;
  /** Waited in vain for a slot: refuse at once until a connection ends. */
  #saturated = false;
  #slotFreed: (() => void) | undefined;

  /** Binds the socket. Throws what `Deno.listen` throws (e.g. `AddrInUse`). */
  constructor(path: string, context: ConnectionContext, limits: ServerLimits) {
    this.#listener = Deno.listen({ transport: "unix", path });
    this.#context = context;
    this.#limits = limits;
  }

  /** Connections open now. */
  get connections(): number {
    return this.#connections.size;
  }

  /**
   * Accepts and serves connections until `signal` aborts. Then it stops accepting, lets
   * open connections finish their answers for up to `graceMs`, closes them all, and
   * resolves.
   */
  async serve(signal: AbortSignal, graceMs = 1_000): Promise<void> {
    const stop = () => this.#stopAccepting();
    signal.addEventListener("abort", stop, { once: true });
    if (signal.aborted) stop();
    const sweepEvery = Math.max(
      50,
      Math.min(1_000, this.#limits.partialFrameTimeoutMs / 2, this.#limits.idleTimeoutMs / 2),
    );
    const sweepTimer = setInterval(() => this.#sweep(), sweepEvery);
    try {
      await this.#accept();
      await this.#closeConnections(graceMs);
    } finally {
      clearInterval(sweepTimer);
      signal.removeEventListener("abort", stop);
    }
  }

  async #accept(): Promise<void> {
    const stats = this.#context.stats;
    while (!this.#closing) {
      if (this.#connections.size >= this.#limits.maxConnections && !this.#saturated) {
        await this.#waitForSlot(this.#limits.fullWaitMs ?? 250);
        if (this.#connections.size >= this.#limits.maxConnections) this.#saturated = true;
      }
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch (error) {
        if (this.#closing) return;
        this.#context.log.error("accept failed", { error: errorMessage(error) });
        // EMFILE and friends: back off briefly rather than spin.
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if (this.#connections.size >= this.#limits.maxConnections) {
        stats.connectionRefused();
        conn.close();
        continue;
      }
      stats.connectionOpened();
      const connection = new ClientConnection(conn, this.#context, this.#nextId++);
      this.#connections.add(connection);
      const served = connection.serve().catch((error) => {
        this.#context.log.error("connection failed", { error: errorMessage(error) });
      }).finally(() => {
        this.#connections.delete(connection);
        this.#served.delete(served);
        stats.connectionClosed();
        this.#saturated = false;
        this.#slotFreed?.();
      });
      this.#served.add(served);
    }
  }

  #waitForSlot(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#slotFreed = () => {
        this.#slotFreed = undefined;
        done();
      };
    });
  }

  #sweep(): void {
    const now = performance.now();
    for (const connection of this.#connections) {
      const quiet = now - connection.lastActivity;
      // A client waiting on an answer (a hook waiting for the phone) is not idle.
      const idle = quiet > this.#limits.idleTimeoutMs && connection.inFlight === 0;
      if (
        idle ||
        (connection.partialFrameBytes > 0 && quiet > this.#limits.partialFrameTimeoutMs)
      ) {
        this.#context.log.debug("closing a stalled connection", {
          conn: connection.id,
          quietMs: Math.round(quiet),
          partialFrameBytes: connection.partialFrameBytes,
        });
        connection.close();
      }
    }
  }

  /** Stops accepting new connections; open ones go on. */
  #stopAccepting(): void {
    if (this.#closing) return;
    this.#closing = true;
    // A full server waiting for a slot notices at once.
    this.#slotFreed?.();
    try {
      this.#listener.close();
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
  }

  /** Lets open connections finish their answers for up to `graceMs`, then closes them. */
  async #closeConnections(graceMs: number): Promise<void> {
    for (const connection of this.#connections) connection.closeWhenIdle();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(this.#served),
      new Promise((resolve) => timer = setTimeout(resolve, graceMs)),
    ]);
    clearTimeout(timer);
    for (const connection of this.#connections) connection.close();
    await Promise.all(this.#served);
  }
}
