import assert from "node:assert/strict";
import { readHookStdin } from "../../../cli/hook/read_hook_stdin.ts";

const encoder = new TextEncoder();

Deno.test("readHookStdin() reads a closed stream to the end", async () => {
  const stream = ReadableStream.from([encoder.encode('{"a":'), encoder.encode("1}")]);
  const input = await readHookStdin(stream);
  assert.equal(new TextDecoder().decode(input.bytes), '{"a":1}');
  assert.equal(input.truncated, false);
  assert.equal(input.timedOut, false);
});

Deno.test("readHookStdin() returns at once for an empty stream", async () => {
  const started = performance.now();
  const input = await readHookStdin(ReadableStream.from<Uint8Array>([]), { timeoutMs: 5000 });
  assert.equal(input.bytes.byteLength, 0);
  assert.equal(input.timedOut, false);
  assert.ok(performance.now() - started < 500);
});

Deno.test("readHookStdin() stops at maxBytes, cancels the stream and reports truncation", async () => {
  let cancelled = false;
  let pulls = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++;
      controller.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
  const input = await readHookStdin(endless, { maxBytes: 1024 * 1024 });
  assert.equal(input.bytes.byteLength, 1024 * 1024);
  assert.equal(input.truncated, true);
  assert.equal(input.timedOut, false);
  assert.equal(cancelled, true);
  assert.ok(pulls <= 20, `stopped reading early (${pulls} pulls)`);
});

Deno.test("readHookStdin() keeps input of exactly maxBytes whole", async () => {
  const input = await readHookStdin(ReadableStream.from([new Uint8Array(10)]), { maxBytes: 10 });
  assert.equal(input.bytes.byteLength, 10);
  assert.equal(input.truncated, false);
});

Deno.test("readHookStdin() gives up on a stream that never closes and returns what arrived", async () => {
  let cancelled = false;
  let sent = false;
  const stuck = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(encoder.encode('{"hook_event_name":"Stop"}'));
        return;
      }
      return new Promise(() => {}); // never resolves, like a terminal nobody types into
    },
    cancel() {
      cancelled = true;
    },
  });
  const started = performance.now();
  const input = await readHookStdin(stuck, { timeoutMs: 100 });
  const elapsed = performance.now() - started;
  assert.equal(input.timedOut, true);
  assert.equal(new TextDecoder().decode(input.bytes), '{"hook_event_name":"Stop"}');
  assert.ok(elapsed >= 90 && elapsed < 1000, `took ${elapsed} ms`);
  assert.equal(cancelled, true);
});

Deno.test("readHookStdin() treats a failing stream as the end of input", async () => {
  let sent = false;
  const failing = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) throw new Error("EIO");
      sent = true;
      controller.enqueue(encoder.encode("abc"));
    },
  });
  const input = await readHookStdin(failing);
  assert.equal(new TextDecoder().decode(input.bytes), "abc");
  assert.equal(input.timedOut, false);
});

/** A reader like `Deno.stdin` that hands out `chunks`, then ends (or never ends). */
function chunkReader(chunks: Uint8Array[], endless = false) {
  return {
    read(buffer: Uint8Array): Promise<number | null> {
      const chunk = chunks.shift();
      if (chunk === undefined) return endless ? new Promise(() => {}) : Promise.resolve(null);
      buffer.set(chunk);
      return Promise.resolve(chunk.byteLength);
    },
  };
}

Deno.test("readHookStdin() reads a ByteReader such as Deno.stdin to the end", async () => {
  const parts = ['{"hook_event_name":', '"Stop"}'].map((text) => encoder.encode(text));
  const input = await readHookStdin(chunkReader(parts));
  assert.equal(new TextDecoder().decode(input.bytes), '{"hook_event_name":"Stop"}');
  assert.equal(input.truncated, false);
  assert.equal(input.timedOut, false);
});

Deno.test("readHookStdin() cuts a ByteReader at maxBytes and gives up on one that never ends", async () => {
  const cut = await readHookStdin(chunkReader([encoder.encode("abcdef")]), { maxBytes: 4 });
  assert.equal(new TextDecoder().decode(cut.bytes), "abcd");
  assert.equal(cut.truncated, true);
  const open = await readHookStdin(chunkReader([encoder.encode("{}")], true), { timeoutMs: 50 });
  assert.equal(new TextDecoder().decode(open.bytes), "{}");
  assert.equal(open.timedOut, true);
});
