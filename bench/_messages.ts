// The messages the benchmarks send: a Submit shaped like the one the hook sends for the
// Stop fixture, and one padded to 64 KiB.

import type { NotificationTask, Response, SubmitRequest } from "../protocol/mod.ts";
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

/** A task that uses every field: auth, an action with headers, all message options. */
export function fullTask(serverUrl: string, topic = "bench"): NotificationTask {
  const base = typicalTask(serverUrl, topic);
  return {
    target: {
      ...base.target,
      auth: { type: "basic", username: "claude", password: "s3cret-passw0rd" },
      sendFormat: "text",
    },
    message: {
      ...base.message,
      body: "webapp: Claude needs your permission to use Write ✍️\n`src/app.ts` (42 lines)",
      priority: 4,
      tags: ["warning", "robot", "webapp"],
      click: "https://example.com/sessions/2b6f0c1e",
      actions: [
        { action: "view", label: "Open", url: "https://example.com/s/2b6f0c1e", clear: true },
        {
          action: "http",
          label: "Approve",
          url: "https://example.com/api/approve",
          method: "POST",
          headers: { Authorization: "Bearer tk_abc123", "Content-Type": "application/json" },
          body: '{"session":"2b6f0c1e","decision":"allow"}',
        },
      ],
      markdown: true,
      icon: "https://example.com/icon.png",
      delay: "30s",
      attach: "https://example.com/screenshot.png",
      filename: "screenshot.png",
      email: "me@example.com",
    },
    origin: { ...base.origin, event: "Notification" },
  };
}

/** The daemon's answer to a Submit. */
export function okResponse(id = 42): Response {
  return { type: "ok", id, taskId: "01JD8V6Q3K7Z2N5M4P9R0S1T2U" };
}

/** The daemon's answer to `status`, with realistic counters and latencies. */
export function statusResponse(id = 42): Response {
  const latency = { count: 18_432, p50: 412.5, p90: 1_210.25, p99: 8_730.75, max: 61_004 };
  return {
    type: "status",
    id,
    status: {
      isRunning: true,
      pid: 48_213,
      version: "0.1.0",
      uptimeSecs: 86_400,
      socketPath: "/run/user/1000/claude-ntfy/daemon.sock",
      queueSize: 3,
      inFlight: 1,
      retrying: 2,
      delivered: 18_420,
      failed: 12,
      dead: 1,
      connectionsTotal: 18_500,
      connectionsActive: 2,
      requests: { hello: 18_500, submit: 18_432, ping: 40, status: 27, queue: 1 },
      protocolErrors: 0,
      bytesIn: 7_340_032,
      bytesOut: 1_212_416,
      requestLatencyMicros: latency,
      deliveryLatencyMicros: { ...latency, p50: 95_000, p90: 180_500, p99: 920_000 },
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
