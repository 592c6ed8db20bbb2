// Reading request bodies and writing JSON answers for the loopback ntfy server.

/** Reads up to `limit` bytes, noting whether the body was longer (ntfy's util.Peek). */
export async function readBody(
  request: Request,
  limit: number,
): Promise<{ bytes: Uint8Array; limitReached: boolean }> {
  if (!request.body) return { bytes: new Uint8Array(), limitReached: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  while (size <= limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  if (size > limit) await reader.cancel();
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes: bytes.subarray(0, Math.min(size, limit)), limitReached: size > limit };
}

/** A JSON answer, one line, as ntfy writes it. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body) + "\n", {
    status,
    headers: {
      "Content-Type": "application/json",
      "Access-Control-Allow-Origin": "*",
      ...headers,
    },
  });
}

/** Drops the keys whose value is `undefined`. */
export function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
