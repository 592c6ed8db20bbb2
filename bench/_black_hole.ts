// An HTTP server that accepts connections and never answers: deliveries to it hang until
// their timeout, so a daemon aimed at it does nothing but accept Submits.

import { onCleanup } from "./_cleanup.ts";

/** Starts the black hole on 127.0.0.1 and returns its URL; closed at cleanup. */
export function startBlackHole(): { url: string; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    listener.close();
    for (const conn of held) {
      try {
        conn.close();
      } catch {
        // Already closed by the peer.
      }
    }
  };
  onCleanup("black hole listener", close);
  (async () => {
    for await (const conn of listener) held.push(conn);
  })().catch(() => {});
  return { url: `http://127.0.0.1:${listener.addr.port}`, close };
}
