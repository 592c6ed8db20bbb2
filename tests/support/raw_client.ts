// A raw client for wire-level daemon tests: writes any bytes, collects the responses.
import { decodeResponse, FrameDecoder, type Response } from "../../protocol/mod.ts";
import { writeAll } from "../../client/write_all.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw connection that collects responses as they arrive. */
export async function rawClient(path: string) {
  const conn = await Deno.connect({ transport: "unix", path });
  const decoder = new FrameDecoder();
  const responses: Response[] = [];
  let closed = false;
  const reading = (async () => {
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const n = await conn.read(buffer);
        if (n === null) break;
        for (const payload of decoder.push(buffer.slice(0, n))) {
          responses.push(decodeResponse(payload));
        }
      }
    } catch {
      // Reset by the daemon: same as closed.
    }
    closed = true;
  })();
  return {
    responses,
    get closed() {
      return closed;
    },
    write: (bytes: Uint8Array) => writeAll(conn, bytes),
    async waitFor(count: number, timeoutMs = 5_000) {
      const deadline = performance.now() + timeoutMs;
      while (responses.length < count && !closed && performance.now() < deadline) await sleep(2);
      return responses;
    },
    async waitClosed(timeoutMs = 3_000) {
      await Promise.race([reading, sleep(timeoutMs)]);
      return closed;
    },
    async close() {
      try {
        conn.close();
      } catch {
        // closed by the daemon
      }
      await reading;
    },
  };
}
