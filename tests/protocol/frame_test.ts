import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import {
  decodeFrame,
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  ErrorCode,
  ProtocolError,
} from "../../protocol/mod.ts";

const isCode = (code: string) => (error: unknown) =>
  error instanceof ProtocolError && error.code === code;

Deno.test("encodeFrame() prefixes a 4-byte big-endian length", () => {
  const frame = encodeFrame(new Uint8Array(0x010203));
  deepStrictEqual([...frame.subarray(0, 4)], [0x00, 0x01, 0x02, 0x03]);
  equal(frame.byteLength, 4 + 0x010203);
});

Deno.test("decodeFrame() returns the payload of a whole frame", () => {
  deepStrictEqual(decodeFrame(encodeFrame(new Uint8Array([9, 8, 7]))), new Uint8Array([9, 8, 7]));
  deepStrictEqual(decodeFrame(encodeFrame(new Uint8Array())), new Uint8Array());
});

Deno.test("decodeFrame() rejects a length over the limit before looking at the body", () => {
  // Header says 4 GiB - 1 and no body follows: must fail on the header, not allocate.
  const header = new Uint8Array([0xff, 0xff, 0xff, 0xff]);
  throws(() => decodeFrame(header), isCode(ErrorCode.FrameTooLarge));
  const justOver = new Uint8Array(4);
  new DataView(justOver.buffer).setUint32(0, DEFAULT_MAX_FRAME_BYTES + 1);
  throws(() => decodeFrame(justOver), (error: unknown) => {
    ok(error instanceof ProtocolError);
    equal(error.code, ErrorCode.FrameTooLarge);
    equal(error.recoverable, false);
    ok(error.message.includes(String(DEFAULT_MAX_FRAME_BYTES + 1)));
    return true;
  });
});

Deno.test("the frame limit is configurable", () => {
  const frame = encodeFrame(new Uint8Array(100));
  throws(() => decodeFrame(frame, { maxFrameBytes: 99 }), isCode(ErrorCode.FrameTooLarge));
  equal(decodeFrame(frame, { maxFrameBytes: 100 }).byteLength, 100);
  throws(
    () => encodeFrame(new Uint8Array(100), { maxFrameBytes: 99 }),
    isCode(ErrorCode.FrameTooLarge),
  );
});

Deno.test("decodeFrame() rejects truncated frames and trailing bytes", () => {
  const frame = encodeFrame(new Uint8Array([1, 2, 3]));
  throws(() => decodeFrame(frame.subarray(0, 3)), isCode(ErrorCode.TruncatedFrame));
  throws(() => decodeFrame(frame.subarray(0, 6)), isCode(ErrorCode.TruncatedFrame));
  const longer = new Uint8Array(frame.byteLength + 1);
  longer.set(frame);
  throws(() => decodeFrame(longer), isCode(ErrorCode.TruncatedFrame));
});
