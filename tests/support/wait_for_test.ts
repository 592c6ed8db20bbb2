// The test helpers that replace sleeps and try/finally: they must fail loudly, not hang.
import { equal, ok, rejects } from "node:assert/strict";
import { waitFor } from "./wait_for.ts";
import { tempDir } from "./temp_dir.ts";

Deno.test("waitFor() resolves once the check turns true, with the time waited", async () => {
  let calls = 0;
  const waited = await waitFor(() => ++calls === 3, { what: "the third call", intervalMs: 1 });
  equal(calls, 3);
  ok(waited >= 0 && waited < 5_000, `${waited} ms`);
});

Deno.test("waitFor() times out naming what it waited for and the state it ended in", async () => {
  let polled = 0;
  await rejects(
    waitFor(() => (polled++, false), {
      timeoutMs: 30,
      what: () => `a miracle after ${polled} checks`,
    }),
    (error: Error) =>
      /^Timed out after 30 ms waiting for a miracle after \d+ checks$/.test(error.message),
  );
  ok(polled >= 2, `checked ${polled} times, including once at the deadline`);
});

Deno.test("tempDir() is removed with its contents when disposed, even after a throw", async () => {
  let path = "";
  await rejects(
    (async () => {
      await using dir = await tempDir({ prefix: "cn-support-" });
      path = dir.path;
      await Deno.writeTextFile(`${path}/file.txt`, "x");
      throw new Error("the test failed");
    })(),
    /the test failed/,
  );
  ok(path.includes("cn-support-"), path);
  await rejects(Deno.stat(path), Deno.errors.NotFound);
});
