import { deepEqual, equal, ok } from "node:assert/strict";
import {
  addBytes,
  type LiveTask,
  placeLiveTask,
  RecordBlock,
  releaseLiveTask,
} from "../../../daemon/queue/_live_tasks.ts";

/** A block of `count` records of `size` bytes, record `i` filled with byte `i`. */
function blockOf(count: number, size: number): { block: RecordBlock; live: Map<string, LiveTask> } {
  const bytes = new Uint8Array(count * size);
  for (let i = 0; i < count; i++) bytes.fill(i, i * size, (i + 1) * size);
  const block = new RecordBlock(bytes);
  const live = new Map<string, LiveTask>();
  for (let i = 0; i < count; i++) {
    live.set(`t${i}`, placeLiveTask(`t${i}`, block, i * size, (i + 1) * size, 0));
  }
  return { block, live };
}

function end(live: Map<string, LiveTask>, id: string): void {
  const task = live.get(id)!;
  live.delete(id);
  releaseLiveTask(live, task);
}

Deno.test("live tasks share the block their records were written in", () => {
  const { block, live } = blockOf(4, 10);
  for (const task of live.values()) equal(task.block, block);
  deepEqual([...addBytes(live.get("t2")!)], new Array(10).fill(2));
});

Deno.test("a block mostly ended moves its survivors to one of their own, bytes unchanged", () => {
  const { block, live } = blockOf(8, 10);
  const held = addBytes(live.get("t0")!);
  for (let i = 0; i < 6; i++) end(live, `t${i + 2}`);
  // 2 of 8 records live: a quarter, still kept.
  equal(live.get("t0")!.block, block);
  end(live, "t0");
  const survivor = live.get("t1")!;
  ok(survivor.block !== block);
  equal(survivor.block.bytes.length, 10);
  deepEqual([...addBytes(survivor)], new Array(10).fill(1));
  // A view taken before the move is still the record it was.
  deepEqual([...held], new Array(10).fill(0));
});

Deno.test("the bytes held stay within four times the live records, whatever order tasks end in", () => {
  const live = new Map<string, LiveTask>();
  const blocks: RecordBlock[] = [];
  for (let b = 0; b < 20; b++) {
    const { block, live: own } = blockOf(50, 16);
    blocks.push(block);
    for (const [id, task] of own) live.set(`${b}-${id}`, task);
    block.ids.splice(0, block.ids.length, ...[...own.keys()].map((id) => `${b}-${id}`));
  }
  let seed = 7;
  const ids = [...live.keys()];
  while (ids.length > 0) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const [id] = ids.splice(seed % ids.length, 1);
    end(live, id!);
    const held = new Set([...live.values()].map((task) => task.block));
    const heldBytes = [...held].reduce((sum, block) => sum + block.bytes.length, 0);
    ok(heldBytes <= 4 * live.size * 16, `${heldBytes} bytes held for ${live.size} records`);
  }
});

Deno.test("a task added again elsewhere is not moved with its old block", () => {
  const { block, live } = blockOf(5, 10);
  const other = new RecordBlock(new Uint8Array(10).fill(9));
  const previous = live.get("t0")!;
  live.set("t0", placeLiveTask("t0", other, 0, 10, 1));
  releaseLiveTask(live, previous);
  end(live, "t1");
  end(live, "t2");
  end(live, "t3");
  equal(live.get("t0")!.block, other);
  ok(live.get("t4")!.block !== block);
  equal(live.get("t4")!.block.bytes.length, 10);
  deepEqual([...addBytes(live.get("t4")!)], new Array(10).fill(4));
});
