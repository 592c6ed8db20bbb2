import { deepStrictEqual } from "node:assert/strict";
import { writeAll, writeAllSync } from "../../client/write_all.ts";

/** A writer that takes at most `step` bytes a call, as a busy socket may. */
function trickle(step: number) {
  const taken: number[] = [];
  return {
    taken,
    write: (bytes: Uint8Array) => Promise.resolve(take(bytes)),
    writeSync: (bytes: Uint8Array) => take(bytes),
  };
  function take(bytes: Uint8Array): number {
    const n = Math.min(step, bytes.byteLength);
    taken.push(...bytes.subarray(0, n));
    return n;
  }
}

Deno.test("writeAll() loops over short writes until every byte is written", async () => {
  const writer = trickle(3);
  await writeAll(writer, new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
  deepStrictEqual(writer.taken, [1, 2, 3, 4, 5, 6, 7]);
});

Deno.test("writeAllSync() loops over short writes until every byte is written", () => {
  const writer = trickle(2);
  writeAllSync(writer, new Uint8Array([9, 8, 7, 6, 5]));
  deepStrictEqual(writer.taken, [9, 8, 7, 6, 5]);
});
