import assert from "node:assert/strict";
import type { NotificationTask } from "../../../protocol/mod.ts";
import { describeTask } from "../../../core/events/mod.ts";

const TASK: NotificationTask = {
  target: {
    serverUrl: "https://ntfy.example.com",
    topic: "claude-topic",
    auth: { type: "bearer", token: "tk_0123456789abcdef" },
    sendFormat: "json",
    timeoutSecs: 10,
  },
  message: {
    title: "webapp: allow Bash?",
    body: "$ rm -rf dist\nClean build output",
    priority: 4,
    tags: ["warning"],
    click: "https://example.com/",
  },
  origin: {
    event: "PermissionRequest",
    project: "/home/user/webapp",
    sessionId: "2b6f0c1e-8a7d",
    createdAt: 0,
  },
};

Deno.test("describeTask() shows exactly what would be sent, secrets masked", () => {
  assert.equal(
    describeTask(TASK),
    `Server:   https://ntfy.example.com
Topic:    claude-topic
Title:    webapp: allow Bash?
Priority: 4 (high)
Tags:     warning
Click:    https://example.com/
Auth:     bearer token tk_********
Format:   json, timeout 10 s
Event:    PermissionRequest (project /home/user/webapp, session 2b6f0c1e)
Body (32 bytes):
  $ rm -rf dist
  Clean build output
`,
  );
});

Deno.test("describeTask() masks a basic-auth password and shows missing fields", () => {
  const text = describeTask({
    ...TASK,
    target: {
      serverUrl: "https://ntfy.sh",
      topic: "t",
      auth: { type: "basic", username: "alice", password: "hunter2" },
    },
    message: { body: "hi" },
  });
  const lines = text.split("\n");
  assert.ok(lines.includes('Auth:     basic, user "alice", password ********'));
  assert.doesNotMatch(text, /hunter2/);
  assert.ok(lines.includes("Title:    (none)"));
  assert.ok(lines.includes("Priority: 3 (default)"));
  assert.ok(lines.includes("Format:   json, timeout 10 s"));
});
