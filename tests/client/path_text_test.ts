// Path text without regular expressions, held to the expressions it replaced on random
// paths of slashes, backslashes, dots, colons and letters.
import { equal } from "node:assert/strict";
import { collapseSlashes, isAbsolutePath, trimTrailingSlashes } from "../../client/path_text.ts";
import { SeededRandom } from "../support/seeded_random.ts";

function randomPaths(seed: number, count: number): string[] {
  const random = new SeededRandom(seed);
  const pieces = ["/", "/", "\\", ".", ":", "C", "c", "z", "a", "é", " ", "1"];
  return Array.from(
    { length: count },
    () => Array.from({ length: random.int(8) }, () => pieces[random.int(pieces.length)]).join(""),
  );
}

Deno.test('trimTrailingSlashes() is path.replace(/\\/+$/, "")', () => {
  for (const path of randomPaths(1, 3_000)) {
    equal(trimTrailingSlashes(path), path.replace(/\/+$/, ""), JSON.stringify(path));
  }
});

Deno.test('collapseSlashes() is path.replace(/\\/{2,}/g, "/")', () => {
  for (const path of randomPaths(2, 3_000)) {
    equal(collapseSlashes(path), path.replace(/\/{2,}/g, "/"), JSON.stringify(path));
  }
});

Deno.test("isAbsolutePath() is /^([A-Za-z]:)?[\\\\/]/.test(path)", () => {
  for (const path of randomPaths(3, 3_000)) {
    equal(isAbsolutePath(path), /^([A-Za-z]:)?[\\/]/.test(path), JSON.stringify(path));
  }
  equal(isAbsolutePath("@:/x"), false, "a colon after a non-letter is no drive");
});
