// The client's timers: `schedule` fires on its own; `scheduleWhilePending`, V8's cheaper
// timer, fires while a Deno operation is pending, and neither fires once cancelled.
import { equal, ok } from "node:assert/strict";
import { delay, schedule, scheduleWhilePending } from "../../client/schedule.ts";

/** A Deno operation that stays pending until `release` is called: a read of an open pipe. */
function pendingOperation() {
  const child = new Deno.Command("cat", { stdin: "piped", stdout: "piped" }).spawn();
  const read = child.stdout.getReader().read();
  return {
    read,
    async release() {
      await child.stdin.close();
      await read;
      await child.status;
    },
  };
}

Deno.test("scheduleWhilePending() fires after its time while an operation is pending", async () => {
  const operation = pendingOperation();
  const started = performance.now();
  const fired = await new Promise<number>((resolve) =>
    scheduleWhilePending(30, () => resolve(performance.now() - started))
  );
  ok(fired >= 25, `fired after ${fired} ms`);
  await operation.release();
});

Deno.test("scheduleWhilePending() and schedule() do not fire once cancelled, and a cancel is idempotent", async () => {
  const operation = pendingOperation();
  let calls = 0;
  const cancelCheap = scheduleWhilePending(10, () => calls++);
  const cancelPlain = schedule(10, () => calls++);
  cancelCheap();
  cancelCheap();
  cancelPlain();
  // A later timer of each kind fires: the cancelled ones, due before it, had their chance.
  await new Promise<void>((resolve) => scheduleWhilePending(60, resolve));
  await delay(20, undefined);
  equal(calls, 0);
  await operation.release();
});

Deno.test("scheduleWhilePending() with no time left fires at the next turn", async () => {
  const order: string[] = [];
  const fired = new Promise<void>((resolve) =>
    scheduleWhilePending(0, () => {
      order.push("timer");
      resolve();
    })
  );
  order.push("after the call");
  await fired;
  equal(order.join(", "), "after the call, timer");
});
