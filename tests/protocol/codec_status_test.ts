// Status fields added after the first release are optional: a status with them round-trips,
// one from an older daemon decodes without them, and a non-number is dropped.
import { deepStrictEqual, equal } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { decodeFrame, decodeResponse, encodeResponse, type Response } from "../../protocol/mod.ts";
import { sampleResponses } from "./_messages.ts";

const older = sampleResponses.find((response) => response.type === "status") as Extract<
  Response,
  { type: "status" }
>;

Deno.test("decodeResponse() keeps a status's retries and connectionsRefused", () => {
  const newer: Response = {
    ...older,
    status: { ...older.status, retries: 14, connectionsRefused: 15 },
  };
  deepStrictEqual(decodeResponse(decodeFrame(encodeResponse(newer))), newer);
});

Deno.test("decodeResponse() reads a status without the optional counters as it is", () => {
  const decoded = decodeResponse(decodeFrame(encodeResponse(older)));
  deepStrictEqual(decoded, older);
  equal("retries" in (decoded as typeof older).status, false);
});

Deno.test("decodeResponse() drops optional status counters that are not numbers", () => {
  const payload = encode({ ...older, status: { ...older.status, retries: "many" } });
  const decoded = decodeResponse(payload) as typeof older;
  equal(decoded.status.retries, undefined);
});
