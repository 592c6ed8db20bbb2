// The messages the benchmarks send: a Submit shaped like the one the hook sends for the
// Stop fixture, and one padded to 64 KiB.

import type { NotificationTask, SubmitRequest } from "../protocol/mod.ts";
import { encodeRequest } from "../protocol/mod.ts";

/** The Submit the hook sends for `stop.json` (same fields and sizes), aimed at `serverUrl`. */
export function typicalTask(serverUrl: string, topic = "bench"): NotificationTask {
  return {
    target: { serverUrl, topic, sendFormat: "json", timeoutSecs: 10 },
    message: {
      title: "webapp: Claude finished",
      body: "Claude finished and is waiting for your next message.\nwebapp · session 2b6f0c1e",
      priority: 3,
      tags: ["white_check_mark"],
    },
    origin: {
      event: "Stop",
      project: "/home/user/webapp",
      sessionId: "2b6f0c1e-8a7d-4c3e-9f10-aa55bb66cc77",
      createdAt: 1_760_000_000_000,
    },
  };
}

/** A Submit whose frame is 64 KiB (65,536 bytes), the body padded with text. */
export function largeTask(serverUrl: string): NotificationTask {
  const base = typicalTask(serverUrl);
  const line = "The quick brown fox jumps over the lazy dog, again and again. ";
  let bodyLength = 64 * 1024;
  // Two passes: the first finds the envelope's size, the second lands on 65,536 exactly.
  for (let pass = 0; pass < 3; pass++) {
    const body = line.repeat(Math.ceil(bodyLength / line.length)).slice(0, bodyLength);
    const task = { ...base, message: { ...base.message, body } };
    const size = encodeRequest(submit(task)).byteLength;
    if (size === 64 * 1024) return task;
    bodyLength -= size - 64 * 1024;
  }
  throw new Error("largeTask() cannot build a 65,536-byte frame");
}

/** Wraps a task in a Submit request. */
export function submit(task: NotificationTask, id = 1): SubmitRequest {
  return { type: "submit", id, task };
}
