// TakenEvents: each event id is claimed once, a claim can be given back, and the record
// forgets its oldest ids past its limit.
import { equal } from "node:assert/strict";
import { TakenEvents } from "../../daemon/taken_events.ts";

Deno.test("TakenEvents: an id is claimed once; a released id can be claimed again", () => {
  const taken = new TakenEvents();
  equal(taken.claim("a"), true);
  equal(taken.claim("a"), false);
  taken.release("a");
  equal(taken.claim("a"), true);
});

Deno.test("TakenEvents: past its limit it forgets the oldest ids first, and holds no more than the limit", () => {
  const taken = new TakenEvents(3);
  for (const id of ["a", "b", "c", "d"]) equal(taken.claim(id), true);
  equal(taken.size, 3);
  equal(taken.claim("a"), true, "the oldest was forgotten");
  equal(taken.claim("d"), false, "a recent one is still known");
});
