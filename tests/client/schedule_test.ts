// The client's timers: `schedule` fires on its own; `scheduleWhilePending`, V8's cheaper
// timer, fires while a Deno operation is pending, and neither fires once cancelled;
// `withDeadline` races work against either.
import { equal, ok, rejects } from "node:assert/strict";
import { delay, schedule, scheduleWhilePending, withDeadline } from "../../client/schedule.ts";

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

Deno.test("withDeadline() settles as the work does, or rejects with its own error at the deadline", async () => {
  equal(await withDeadline(delay(5, "done"), 1_000, () => new Error("late")), "done");
  await rejects(
    withDeadline(Promise.reject(new Error("broken")), 1_000, () => new Error("late")),
    /broken/,
  );
  const never = new Promise<string>(() => {});
  const started = performance.now();
  await rejects(withDeadline(never, 30, () => new Error("too slow")), /too slow/);
  ok(performance.now() - started >= 25, "not before the deadline");
  // With the cheap timer, while a Deno operation is pending.
  const operation = pendingOperation();
  await rejects(
    withDeadline(operation.read, 20, () => new Error("no input"), scheduleWhilePending),
    /no input/,
  );
  await operation.release();
});

Deno.test("withDeadline() with no time (0 or less) sets no deadline", async () => {
  equal(await withDeadline(delay(30, "waited"), 0, () => new Error("late")), "waited");
  equal(await withDeadline(delay(10, "waited"), -1, () => new Error("late")), "waited");
});
