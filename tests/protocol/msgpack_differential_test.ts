// The codec held to @msgpack/msgpack on thousands of seeded random values: the same bytes
// out of both encoders, and each decoder reads the other's bytes back to the same value.
//
// Replay a run with MSGPACK_SEED=<seed> (printed in the test name); MSGPACK_CASES sets the count.
import { deepStrictEqual, ok } from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { decode as oracleDecode, encode as oracleEncode } from "@msgpack/msgpack";
import { MsgpackDecoder } from "../../protocol/msgpack_decoder.ts";
import { MsgpackEncoder } from "../../protocol/msgpack_encoder.ts";
import { SeededRandom, seedFromEnv } from "../support/seeded_random.ts";
import { sampleRequests, sampleResponses } from "./_messages.ts";
import { assertSameBytes } from "./_msgpack_assert.ts";
import { randomValue } from "./_msgpack_values.ts";
import { errorMessage } from "../../protocol/error_message.ts";

const SEED = seedFromEnv("MSGPACK_SEED");
const CASES = Number(Deno.env.get("MSGPACK_CASES") ?? 5_000);

const encoder = new MsgpackEncoder();
const decoder = new MsgpackDecoder();

/** Checks one value both ways; messages stay short, as values hold up to 70 KB. */
function check(value: unknown): void {
  const ours = encoder.encode(value);
  const theirs = oracleEncode(value);
  assertSameBytes(ours, theirs, "our bytes and @msgpack/msgpack's");
  ok(isDeepStrictEqual(decoder.decode(theirs), value), "we read @msgpack/msgpack's bytes wrongly");
  ok(isDeepStrictEqual(oracleDecode(ours), value), "@msgpack/msgpack reads our bytes wrongly");
}

Deno.test(`MsgpackEncoder and MsgpackDecoder agree with @msgpack/msgpack on ${CASES} random values (MSGPACK_SEED=${SEED})`, () => {
  const rng = new SeededRandom(SEED);
  for (let i = 0; i < CASES; i++) {
    const value = randomValue(rng);
    try {
      check(value);
    } catch (error) {
      throw new Error(`MSGPACK_SEED=${SEED}, case ${i}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }
});

Deno.test("MsgpackEncoder and MsgpackDecoder agree with @msgpack/msgpack on every sample message", () => {
  for (const message of [...sampleRequests, ...sampleResponses]) check(message);
});

Deno.test("MsgpackDecoder reads what @msgpack/msgpack reads when it leaves out undefined", () => {
  const value = { a: undefined, b: [undefined], c: { d: undefined, e: 1 } };
  const expected = { b: [null], c: { e: 1 } };
  deepStrictEqual(encoder.encode(value), oracleEncode(value, { ignoreUndefined: true }));
  deepStrictEqual(decoder.decode(encoder.encode(value)), expected);
  deepStrictEqual(oracleDecode(encoder.encode(value)), expected);
});
