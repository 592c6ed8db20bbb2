// Sample messages of every type, shared by the protocol tests.
import type { NotificationTask, Request, Response } from "../../protocol/mod.ts";

export const sampleTask: NotificationTask = {
  target: {
    serverUrl: "https://ntfy.example.com",
    topic: "claude-alerts_1",
    auth: { type: "bearer", token: "tk_secret" },
    sendFormat: "json",
    timeoutSecs: 5,
  },
  message: {
    body: "webapp: Claude needs your permission to use Write ✍️",
    title: "webapp: needs you",
    priority: 4,
    tags: ["warning", "robot"],
    click: "https://example.com",
    actions: [{ action: "view", label: "Open", url: "https://example.com", clear: true }],
    markdown: true,
    icon: "https://example.com/icon.png",
  },
  origin: {
    event: "Notification",
    project: "/home/user/webapp",
    sessionId: "2b6f0c1e",
    createdAt: 1_700_000_000_000,
  },
};

export const sampleRequests: Request[] = [
  { type: "hello", id: 1, version: 1, token: "abc", client: "test" },
  { type: "hello", id: 2, version: 1 },
  { type: "submit", id: 3, task: sampleTask },
  {
    type: "event",
    id: 4,
    payload: new TextEncoder().encode('{"hook_event_name":"Stop","session_id":"s1"}'),
    context: {
      cwd: "/src/app",
      projectDir: "/src/app",
      hookName: "Stop",
      env: { NTFY_TOPIC: "alerts" },
      receivedAt: 1_700_000_000_123,
      truncated: true,
      projectConfig: new TextEncoder().encode('[ntfy]\ndefault_topic = "alerts"\n'),
    },
  },
  {
    type: "event",
    id: 7,
    payload: new TextEncoder().encode('{"hook_event_name":"PermissionRequest"}'),
    context: { cwd: "/src/app", env: {}, receivedAt: 1_700_000_000_124, decisionWaitMs: 150_000 },
  },
  { type: "ping", id: 4 },
  { type: "status", id: 5 },
  { type: "reload", id: 6 },
  { type: "shutdown", id: 0xffff_ffff },
];

const latency = { count: 3, p50: 10, p90: 20, p99: 30, max: 40 };

export const sampleResponses: Response[] = [
  { type: "ok", id: 1 },
  { type: "ok", id: 2, taskId: "x-1" },
  { type: "ok", id: 7, taskId: "x-2", decision: { behavior: "allow" } },
  {
    type: "ok",
    id: 8,
    taskId: "x-3",
    decision: { behavior: "deny", message: "Denied from the phone (claude-ntfy)." },
  },
  {
    type: "ok",
    id: 9,
    taskId: "x-4",
    decision: {
      behavior: "allow",
      updatedPermissions: [
        { type: "addRules", rules: [{ toolName: "Bash", ruleContent: "npm test:*" }] },
        { type: "setMode", mode: "acceptEdits", destination: "session" },
      ],
    },
  },
  { type: "error", id: 3, code: "QUEUE_FULL", message: "Queue is full", retryable: true },
  { type: "error", id: 0, code: "MALFORMED_PAYLOAD", message: "bad" },
  { type: "hello", id: 4, version: 1, daemonVersion: "0.1.0", pid: 1234 },
  {
    type: "status",
    id: 5,
    status: {
      isRunning: true,
      pid: 1,
      version: "0.1.0",
      uptimeSecs: 3,
      socketPath: "/tmp/x.sock",
      queueSize: 1,
      inFlight: 2,
      retrying: 3,
      delivered: 4,
      failed: 5,
      dead: 6,
      connectionsTotal: 7,
      connectionsActive: 8,
      requests: { ping: 9, submit: 10 },
      protocolErrors: 11,
      bytesIn: 12,
      bytesOut: 13,
      requestLatencyMicros: latency,
      deliveryLatencyMicros: latency,
    },
  },
];
