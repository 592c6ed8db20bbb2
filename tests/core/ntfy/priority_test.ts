import { deepStrictEqual, equal } from "node:assert/strict";
import { parsePriority, priorityName } from "../../../core/ntfy/priority.ts";

Deno.test("parsePriority() reads numbers and ntfy's names", () => {
  deepStrictEqual(
    ["1", "5", "min", "LOW", "default", "high", "max", "urgent", " 3 "].map(parsePriority),
    [1, 5, 1, 2, 3, 4, 5, 5, 3],
  );
});

Deno.test("parsePriority() reads nothing else as a priority", () => {
  deepStrictEqual(
    ["0", "6", "3.5", "loud", "", "constructor", "__proto__"].map(parsePriority),
    [undefined, undefined, undefined, undefined, undefined, undefined, undefined],
  );
});

Deno.test("priorityName() names every priority as ntfy does", () => {
  deepStrictEqual(([1, 2, 3, 4, 5] as const).map(priorityName), [
    "min",
    "low",
    "default",
    "high",
    "max",
  ]);
  equal(priorityName(parsePriority("urgent")!), "max");
});
