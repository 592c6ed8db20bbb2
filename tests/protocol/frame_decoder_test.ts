import { deepStrictEqual, equal, ok, rejects, throws } from "node:assert/strict";
import {
  decodeRequest,
  encodeFrame,
  encodeRequest,
  ErrorCode,
  FrameDecoder,
  FrameDecoderStream,
  ProtocolError,
} from "../../protocol/mod.ts";
import { sampleRequests } from "./_messages.ts";

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

const stream = concat(sampleRequests.map((request) => encodeRequest(request)));

Deno.test("FrameDecoder finds every frame when the stream is split at any byte", () => {
  for (let split = 0; split <= stream.byteLength; split++) {
    const decoder = new FrameDecoder();
    const payloads = [
      ...decoder.push(stream.slice(0, split)),
      ...decoder.push(stream.slice(split)),
    ];
    deepStrictEqual(payloads.map(decodeRequest), sampleRequests, `split at ${split}`);
    equal(decoder.bufferedBytes, 0);
  }
});

Deno.test("FrameDecoder copes with one byte at a time", () => {
  const decoder = new FrameDecoder();
  const payloads: Uint8Array[] = [];
  for (let i = 0; i < stream.byteLength; i++) {
    payloads.push(...decoder.push(stream.slice(i, i + 1)));
  }
  deepStrictEqual(payloads.map(decodeRequest), sampleRequests);
});

Deno.test("FrameDecoder copes with random chunking", () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < 200; round++) {
    const decoder = new FrameDecoder();
    const payloads: Uint8Array[] = [];
    for (let offset = 0; offset < stream.byteLength;) {
      const size = 1 + Math.floor(random() * 64);
      payloads.push(...decoder.push(stream.slice(offset, offset + size)));
      offset += size;
    }
    deepStrictEqual(payloads.map(decodeRequest), sampleRequests);
  }
});

Deno.test("FrameDecoder returns every frame of a chunk that holds many", () => {
  const many = concat(
    Array.from({ length: 1000 }, (_, i) => encodeFrame(new Uint8Array([i % 256]))),
  );
  const payloads = new FrameDecoder().push(many);
  equal(payloads.length, 1000);
  equal(payloads[999]![0], 999 % 256);
});

Deno.test("FrameDecoder rejects an oversize header without buffering the body", () => {
  const decoder = new FrameDecoder({ maxFrameBytes: 16 });
  const header = new Uint8Array([0, 0, 0, 17]);
  // Split header: the check happens as soon as the 4th byte arrives.
  deepStrictEqual(decoder.push(header.subarray(0, 3)), []);
  throws(() => decoder.push(header.subarray(3)), (error: unknown) => {
    ok(error instanceof ProtocolError);
    equal(error.code, ErrorCode.FrameTooLarge);
    return true;
  });
  throws(() => new FrameDecoder().push(new Uint8Array([0x7f, 0xff, 0xff, 0xff])));
});

Deno.test("FrameDecoder handles zero-length frames", () => {
  const payloads = new FrameDecoder().push(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1, 42]));
  deepStrictEqual(payloads, [new Uint8Array(), new Uint8Array([42])]);
});

Deno.test("FrameDecoderStream decodes a chunked stream and reports a truncated end", async () => {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < stream.byteLength; offset += 7) {
    chunks.push(stream.slice(offset, offset + 7));
  }
  const payloads = await Array.fromAsync(
    ReadableStream.from(chunks).pipeThrough(new FrameDecoderStream()),
  );
  deepStrictEqual(payloads.map(decodeRequest), sampleRequests);

  const truncated = ReadableStream.from([stream.slice(0, stream.byteLength - 1)])
    .pipeThrough(new FrameDecoderStream());
  await rejects(Array.fromAsync(truncated), (error: unknown) => {
    ok(error instanceof ProtocolError);
    equal(error.code, ErrorCode.TruncatedFrame);
    return true;
  });
});
