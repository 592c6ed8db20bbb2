// A burst of arrivals holds back the deliveries it brings, until the arrivals pause, and
// never longer than MAX_BURST_HOLD_MS at a time; a trickle of arrivals holds nothing back.
import { equal } from "node:assert/strict";
import {
  BURST_ARRIVALS,
  BURST_WINDOW_MS,
  IntakeBurst,
  MAX_BURST_HOLD_MS,
} from "../../../daemon/delivery/intake_burst.ts";
import { DeliveryEngine } from "../../../daemon/delivery/delivery_engine.ts";
import type { NotificationTask } from "../../../protocol/mod.ts";

const task: NotificationTask = {
  target: { serverUrl: "http://127.0.0.1:9", topic: "burst" },
  message: { body: "b" },
  origin: { event: "test", createdAt: 0 },
};

Deno.test("IntakeBurst: fewer than BURST_ARRIVALS at once hold nothing back", () => {
  const burst = new IntakeBurst();
  for (let i = 1; i < BURST_ARRIVALS; i++) burst.note(100);
  equal(burst.seen, false);
  equal(burst.holds(100), false);
});

Deno.test("IntakeBurst: a burst holds deliveries until the arrivals pause", () => {
  const burst = new IntakeBurst();
  for (let i = 0; i < BURST_ARRIVALS; i++) burst.note(100);
  equal(burst.holds(100), true);
  equal(burst.holds(100 + BURST_WINDOW_MS / 2), true);
  equal(burst.holds(100 + BURST_WINDOW_MS), false);
});

Deno.test("IntakeBurst: a burst that goes on lets deliveries go every MAX_BURST_HOLD_MS", () => {
  const burst = new IntakeBurst();
  let now = 0;
  const arrive = (until: number) => {
    for (; now < until; now += 0.01) burst.note(now);
  };
  arrive(1);
  equal(burst.holds(now), true);
  arrive(MAX_BURST_HOLD_MS / 2);
  equal(burst.holds(now), true);
  arrive(MAX_BURST_HOLD_MS + 2);
  equal(burst.holds(now), false, "waited long enough: these go");
  equal(burst.holds(now), true, "the next ones wait again");
});

Deno.test("DeliveryEngine: deliveries wait while a burst comes in, then all go", async () => {
  const published: string[] = [];
  const engine = new DeliveryEngine({
    publish: (t) => {
      published.push(t.message.body);
      return Promise.resolve({ id: "n" });
    },
    classify: (error) => ({ retryable: false, message: String(error) }),
    retryDelayMs: () => null,
  });
  const now = performance.now();
  for (let i = 0; i < BURST_ARRIVALS; i++) engine.noteArrival(now);
  engine.submit(task);
  await Promise.resolve();
  await Promise.resolve();
  equal(published.length, 0, "held while the burst comes in");
  equal(await engine.drain(10_000), true);
  equal(published.length, 1);
  engine.stop();
});
