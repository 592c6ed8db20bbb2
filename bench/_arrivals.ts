// The loopback ntfy server the daemon delivers to, with a running count of arrivals and
// their times, and without keeping 100,000 messages in memory.

import { type NtfyTestServer, startNtfyServer } from "../tests/support/ntfy_server.ts";
import { onCleanup } from "./_cleanup.ts";

/** Counts messages as they arrive at the loopback ntfy server. */
export class Arrivals {
  readonly server: NtfyTestServer;
  /** Messages accepted since start. */
  count = 0;
  /** `performance.now()` of the first and the latest arrival since {@linkcode Arrivals.mark}. */
  first = NaN;
  last = NaN;
  #waiters: Array<{ count: number; resolve: (at: number) => void }> = [];

  private constructor(server: NtfyTestServer) {
    this.server = server;
  }

  /** Starts the server on 127.0.0.1 (a free port) and registers its shutdown. */
  static async start(): Promise<Arrivals> {
    // The server exists before its Arrivals does; messages only come once both do.
    const holder: { arrivals?: Arrivals } = {};
    const server = await startNtfyServer({
      onMessage: (message) => holder.arrivals!.#arrived(message.receivedAt),
    });
    holder.arrivals = new Arrivals(server);
    onCleanup("loopback ntfy server", () => server.close());
    return holder.arrivals;
  }

  /** The server's base URL. */
  get url(): string {
    return this.server.url;
  }

  /** Forgets first/last times (the count keeps going). */
  mark(): void {
    this.first = NaN;
    this.last = NaN;
  }

  #arrived(at: number): void {
    this.count += 1;
    if (Number.isNaN(this.first)) this.first = at;
    this.last = at;
    // The server records every message; drop them in batches (only the count matters here).
    if (this.server.messages.length >= 2_000) this.server.reset();
    if (this.#waiters.length === 0) return;
    const due = this.#waiters.filter((waiter) => this.count >= waiter.count);
    if (due.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => this.count < waiter.count);
    for (const waiter of due) waiter.resolve(at);
  }

  /** Resolves with the arrival time of message number `count` (counting from start). */
  until(count: number, timeoutMs: number): Promise<number> {
    if (this.count >= count) return Promise.resolve(this.last);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== entry);
        reject(new Error(`Timed out after ${timeoutMs} ms: ${this.count} of ${count} arrived`));
      }, timeoutMs);
      const entry = {
        count,
        resolve: (at: number) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      this.#waiters.push(entry);
    });
  }

  /** Resolves with the arrival time of the next message. */
  next(timeoutMs = 10_000): Promise<number> {
    return this.until(this.count + 1, timeoutMs);
  }
}
