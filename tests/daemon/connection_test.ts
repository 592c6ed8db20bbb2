// How one connection treats bad input: answer an Error, keep serving where the stream is
// still in step, close where it is not; never disturb other connections.
import { equal, ok } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { encodeFrame, encodeRequest } from "../../protocol/mod.ts";
import { DEFAULT_CONNECTION_LIMITS } from "../../daemon/connection.ts";
import { DEFAULT_SERVER_LIMITS } from "../../daemon/server.ts";
import { startInProcess } from "./_in_process.ts";
import { rawClient } from "../support/raw_client.ts";

async function authed(path: string, token: string) {
  const client = await rawClient(path);
  await client.write(encodeRequest({ type: "hello", id: 1, version: 1, token }));
  await client.waitFor(1);
  equal(client.responses[0]?.type, "hello");
  return client;
}

Deno.test("a frame holding garbage gets MALFORMED_PAYLOAD and the connection keeps working", async () => {
  await using d = await startInProcess();
  const client = await authed(d.paths.socketPath, d.token);
  await client.write(encodeFrame(new Uint8Array([0xc1, 0xff, 0x00])));
  await client.write(encodeRequest({ type: "ping", id: 7 }));
  const responses = await client.waitFor(3);
  equal(responses[1]?.type, "error");
  equal((responses[1] as { code: string }).code, "MALFORMED_PAYLOAD");
  equal(responses[1]?.id, 0);
  equal(responses[2]?.type, "ok");
  equal(responses[2]?.id, 7);
  await client.close();
});

Deno.test("an unknown message type is answered with UNKNOWN_TYPE and its id", async () => {
  await using d = await startInProcess();
  const client = await authed(d.paths.socketPath, d.token);
  await client.write(encodeFrame(encode({ type: "teleport", id: 99 })));
  const responses = await client.waitFor(2);
  equal(responses[1]?.id, 99);
  equal((responses[1] as { code: string }).code, "UNKNOWN_TYPE");
  await client.close();
});

Deno.test("an oversize length gets FRAME_TOO_LARGE, then the connection is closed", async () => {
  await using d = await startInProcess();
  const client = await authed(d.paths.socketPath, d.token);
  await client.write(new Uint8Array([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]));
  const responses = await client.waitFor(2);
  equal((responses[1] as { code: string }).code, "FRAME_TOO_LARGE");
  ok(await client.waitClosed(), "connection closed");
  // The daemon itself is fine.
  const other = await authed(d.paths.socketPath, d.token);
  await other.write(encodeRequest({ type: "ping", id: 2 }));
  equal((await other.waitFor(2))[1]?.type, "ok");
  await other.close();
  equal(d.daemon.status().protocolErrors, 1);
});

Deno.test("before the handshake any bad frame closes the connection", async () => {
  await using d = await startInProcess();
  const client = await rawClient(d.paths.socketPath);
  await client.write(encodeFrame(new Uint8Array([1, 2, 3])));
  ok(await client.waitClosed());
  equal(client.responses[0]?.type, "error");
});

Deno.test("too many protocol errors on one connection close it", async () => {
  await using d = await startInProcess({
    limits: { connection: { ...DEFAULT_CONNECTION_LIMITS, maxProtocolErrors: 5 } },
  });
  const client = await authed(d.paths.socketPath, d.token);
  for (let i = 0; i < 10; i++) await client.write(encodeFrame(new Uint8Array([0xc1])));
  ok(await client.waitClosed(), "closed after the limit");
  equal(client.responses.filter((r) => r.type === "error").length, 5);
});

Deno.test("connections over the limit are refused while others keep being served", async () => {
  await using d = await startInProcess({
    limits: { server: { ...DEFAULT_SERVER_LIMITS, maxConnections: 3 } },
  });
  const held = [
    await authed(d.paths.socketPath, d.token),
    await authed(d.paths.socketPath, d.token),
    await authed(d.paths.socketPath, d.token),
  ];
  const extra = await rawClient(d.paths.socketPath);
  ok(await extra.waitClosed(), "the fourth connection is closed at once");
  await held[0]!.write(encodeRequest({ type: "ping", id: 3 }));
  equal((await held[0]!.waitFor(2))[1]?.type, "ok");
  for (const client of held) await client.close();
});

Deno.test("idle connections are closed after the idle timeout", async () => {
  await using d = await startInProcess({
    limits: { server: { ...DEFAULT_SERVER_LIMITS, idleTimeoutMs: 200 } },
  });
  const client = await authed(d.paths.socketPath, d.token);
  ok(await client.waitClosed(2_000), "idle connection closed");
});

Deno.test("a client that never reads its responses is dropped, and memory stays bounded", async () => {
  await using d = await startInProcess({
    limits: { connection: { ...DEFAULT_CONNECTION_LIMITS, maxPendingWriteBytes: 64 * 1024 } },
  });
  const conn = await Deno.connect({ transport: "unix", path: d.paths.socketPath });
  await conn.write(encodeRequest({ type: "hello", id: 1, version: 1, token: d.token }));
  // Thousands of status requests, never reading: the answers pile up in the daemon.
  const batch = encodeRequest({ type: "status", id: 2 });
  const many = new Uint8Array(batch.byteLength * 500);
  for (let i = 0; i < 500; i++) many.set(batch, i * batch.byteLength);
  let dropped = false;
  for (let i = 0; i < 200 && !dropped; i++) {
    try {
      await conn.write(many);
    } catch {
      dropped = true;
    }
  }
  ok(dropped, "the daemon closed the connection");
  try {
    conn.close();
  } catch {
    // closed already
  }
  ok(d.logs.some((line) => line.includes("does not read its responses")));
});

Deno.test("before the handshake frames are limited to 64 KiB; after it, to 1 MiB, even in the same write", async () => {
  await using d = await startInProcess();
  // Unauthenticated: a 100 KiB header is refused at once, with nothing buffered.
  const stranger = await rawClient(d.paths.socketPath);
  await stranger.write(new Uint8Array([0, 1, 0x90, 0]));
  ok(await stranger.waitClosed(), "closed");
  equal((stranger.responses[0] as { code: string }).code, "FRAME_TOO_LARGE");

  // hello and a 100 KiB (invalid) frame in one write: the frame after hello may be big.
  const client = await rawClient(d.paths.socketPath);
  const big = encodeFrame(new Uint8Array(100 * 1024).fill(0xc1));
  const hello = encodeRequest({ type: "hello", id: 1, version: 1, token: d.token });
  const both = new Uint8Array(hello.byteLength + big.byteLength);
  both.set(hello);
  both.set(big, hello.byteLength);
  await client.write(both);
  const responses = await client.waitFor(2);
  equal(responses[0]?.type, "hello");
  equal(
    (responses[1] as { code: string }).code,
    "MALFORMED_PAYLOAD",
    "read whole, then rejected",
  );
  ok(!client.closed, "an authenticated connection survives one bad frame");
  await client.close();
});
