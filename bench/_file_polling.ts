// The design this project replaces, rebuilt as a baseline: a writer drops each task as a
// JSON file into a folder and a poller looks at the folder every 100 ms, picks files up
// and delivers them to the loopback ntfy server.

import type { NotificationTask } from "../protocol/mod.ts";
import { sleep } from "./_stats.ts";

/** Drop-to-pickup and drop-to-delivered times, in ms. */
export interface PollingResult {
  readonly pickup: number[];
  readonly delivered: number[];
}

/**
 * Drops `drops` files at random moments over `spanMs` and measures how long each waits
 * for a poller that checks every `intervalMs`.
 */
export async function measureFilePolling(options: {
  dir: string;
  task: NotificationTask;
  drops: number;
  spanMs: number;
  intervalMs?: number;
}): Promise<PollingResult> {
  const { dir, task, drops, spanMs } = options;
  const intervalMs = options.intervalMs ?? 100;
  await Deno.mkdir(dir, { recursive: true });
  const pickup: number[] = [];
  const delivered: number[] = [];
  const deliveries: Promise<void>[] = [];
  let polling = false;

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      for await (const entry of Deno.readDir(dir)) {
        if (!entry.isFile || !entry.name.endsWith(".json")) continue;
        const path = `${dir}/${entry.name}`;
        const dropped = JSON.parse(await Deno.readTextFile(path)) as {
          droppedAt: number;
          task: NotificationTask;
        };
        await Deno.remove(path);
        pickup.push(performance.now() - dropped.droppedAt);
        deliveries.push(
          deliver(dropped.task).then(() => {
            delivered.push(performance.now() - dropped.droppedAt);
          }),
        );
      }
    } finally {
      polling = false;
    }
  }

  const timer = setInterval(() => void poll(), intervalMs);
  try {
    const writes: Promise<void>[] = [];
    for (let i = 0; i < drops; i++) {
      const at = Math.random() * spanMs;
      writes.push(
        sleep(at).then(async () => {
          const droppedAt = performance.now();
          // Write then rename, so the poller never reads half a file.
          const temp = `${dir}/${i}.tmp`;
          await Deno.writeTextFile(temp, JSON.stringify({ droppedAt, task }));
          await Deno.rename(temp, `${dir}/${i}.json`);
        }),
      );
    }
    await Promise.all(writes);
    while (pickup.length < drops) await sleep(intervalMs / 4);
    await Promise.all(deliveries);
  } finally {
    clearInterval(timer);
  }
  return { pickup, delivered };
}

async function deliver(task: NotificationTask): Promise<void> {
  const response = await fetch(`${task.target.serverUrl}/`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      topic: task.target.topic,
      message: task.message.body,
      title: task.message.title,
      priority: task.message.priority,
      tags: task.message.tags,
    }),
  });
  await response.text();
  if (!response.ok) throw new Error(`ntfy answered ${response.status}`);
}
