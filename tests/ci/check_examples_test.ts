import { deepStrictEqual } from "node:assert/strict";
import { checkExamples } from "../../.ci/check_examples.ts";

Deno.test("check_examples lists a missing @example, an untitled or ignored one, missing @param and @returns", async () => {
  deepStrictEqual(
    await checkExamples(["tests/ci/_docs_fixture.ts"]),
    [
      "tests/ci/_docs_fixture.ts:38 Counter.prototype.increment: no @example, no @returns",
      "tests/ci/_docs_fixture.ts:4 add: no @example, no @param a, no @param b, no @returns",
      "tests/ci/_docs_fixture.ts:20 subtract: an @example without a title, an @example that is not run (ignore)",
    ].sort(),
  );
});

Deno.test("every public function, class and method of the published modules has a titled example", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  deepStrictEqual(await checkExamples(Object.values(config.exports)), []);
});
