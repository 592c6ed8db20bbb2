// Responses are framed exactly as encodeResponse frames them, the submit's answer included
// (it has a writer of its own), whatever its id and task id.
import { deepEqual, equal, throws } from "node:assert/strict";
import { ResponseBuffer } from "../../daemon/response_buffer.ts";
import { concatBytes } from "../../protocol/concat_bytes.ts";
import { encodeResponse, ErrorCode, ProtocolError, type Response } from "../../protocol/mod.ts";

const IDS = [1, 127, 128, 255, 256, 65_535, 65_536, 0xffff_ffff];
const TASK_IDS = ["t", "mhx3k2-1a2b3c-42", "x".repeat(31), "x".repeat(32), "é".repeat(11), "ü"];

Deno.test("ResponseBuffer frames every answer as encodeResponse does, back to back", () => {
  const responses: Response[] = [];
  for (const id of IDS) {
    for (const taskId of TASK_IDS) responses.push({ type: "ok", id, taskId });
  }
  responses.push(
    { type: "ok", id: 3 },
    { type: "ok", id: 4, taskId: "t", count: 2 },
    { type: "ok", id: 5, skipped: "off", taskId: "t" },
    { type: "error", id: 6, code: ErrorCode.QueueFull, message: "Full", retryable: true },
  );
  const out = new ResponseBuffer();
  for (const response of responses) out.append(response, 1024);
  deepEqual(out.take(), concatBytes(responses.map((response) => encodeResponse(response))));
});

Deno.test("ResponseBuffer refuses a response over the frame limit and keeps the others", () => {
  const out = new ResponseBuffer();
  out.append({ type: "ok", id: 1, taskId: "t-1" }, 64);
  throws(
    () =>
      out.append({ type: "error", id: 2, code: ErrorCode.Internal, message: "x".repeat(100) }, 64),
    (error) => error instanceof ProtocolError && error.requestId === 2,
  );
  equal(out.byteLength, encodeResponse({ type: "ok", id: 1, taskId: "t-1" }).byteLength);
});
