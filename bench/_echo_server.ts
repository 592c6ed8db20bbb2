/**
 * The floor for a Unix socket round trip in this runtime: a server that writes every byte
 * it reads straight back, with no framing, decoding or allocation per message. Spawned as
 * a child process by the benchmark; prints `ready` once it listens.
 *
 * ```sh
 * deno run --allow-net=unix:/tmp/e.sock --allow-read=/tmp/e.sock --allow-write=/tmp/e.sock \
 *   bench/_echo_server.ts /tmp/e.sock
 * ```
 *
 * @module
 */

async function echo(conn: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(64 * 1024);
  try {
    for (;;) {
      const read = await conn.read(buffer);
      if (read === null) break;
      let written = 0;
      while (written < read) written += await conn.write(buffer.subarray(written, read));
    }
  } catch {
    // The client went away mid-write: nothing to do but close.
  } finally {
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  }
}

if (import.meta.main) {
  const path = Deno.args[0];
  if (!path) {
    console.error("Usage: _echo_server.ts SOCKET_PATH");
    Deno.exit(64);
  }
  const listener = Deno.listen({ transport: "unix", path });
  Deno.addSignalListener("SIGTERM", () => {
    listener.close();
    Deno.exit(0);
  });
  console.log("ready");
  for await (const conn of listener) void echo(conn);
}
