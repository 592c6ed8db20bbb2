// The approval notification and its answers: buttons that post a body naming the request,
// its nonce and the choice; only such a body reads as an answer; each choice maps to the
// decision Claude Code expects.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import {
  answerBody,
  approvalNotification,
  clearApproval,
  decisionFor,
  DENIED_MESSAGE,
  parseAnswer,
} from "../../../daemon/approval/mod.ts";
import { type NotificationTask, validateTask } from "../../../protocol/mod.ts";
import { publish } from "../../../core/ntfy/publisher.ts";
import { defaultConfig } from "../../../core/config/config.ts";
import { redactorOptions } from "../../../core/events/resolve_notification.ts";
import { SecretRedactor } from "../../../core/redact/mod.ts";
import { startNtfyServer } from "../../support/ntfy_server.ts";

const TASK: NotificationTask = {
  target: {
    serverUrl: "https://ntfy.example.com",
    topic: "claude-abc",
    auth: { type: "bearer", token: "tk_main" },
  },
  message: {
    title: "webapp: allow Bash?",
    body: "$ GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123 gh release create\nwebapp",
    priority: 4,
    tags: ["warning"],
  },
  origin: { event: "PermissionRequest", sessionId: "s1", createdAt: 1 },
};

const BUTTONS = {
  request: "perm-abc",
  nonce: "n0ncen0ncen0nce",
  replyUrl: "https://ntfy.example.com/claude-reply-xyz",
  authorization: "Bearer tk_write_only",
  choices: ["allow", "deny", "always"] as const,
  timeoutSecs: 120,
};

Deno.test("approvalNotification() adds one http button per choice posting the answer to the reply topic", () => {
  const task = approvalNotification(TASK, BUTTONS);
  deepStrictEqual(task.message.actions?.map((action) => action.label), [
    "Allow",
    "Deny",
    "Always allow",
  ]);
  for (const [index, choice] of (["allow", "deny", "always"] as const).entries()) {
    deepStrictEqual(task.message.actions?.[index], {
      action: "http",
      label: task.message.actions?.[index]?.label,
      url: "https://ntfy.example.com/claude-reply-xyz",
      method: "POST",
      headers: { Authorization: "Bearer tk_write_only" },
      body: answerBody({ request: "perm-abc", nonce: "n0ncen0ncen0nce", choice }),
      clear: true,
    });
  }
  equal(task.message.sequenceId, "perm-abc");
  deepStrictEqual(validateTask(task), task, "the task is valid as it is");
  deepStrictEqual(task.target, TASK.target);
  deepStrictEqual(task.origin, TASK.origin);
});

Deno.test("approvalNotification() masks secrets in the command and says how long the answer is awaited", () => {
  const task = approvalNotification(TASK, { ...BUTTONS, choices: ["allow", "deny"] });
  equal(
    task.message.body,
    "$ GITHUB_TOKEN=*** gh release create\nwebapp\nAnswer here within 2 min, or at the terminal.",
  );
  ok(!JSON.stringify(task).includes("ghp_"), "the token appears nowhere");
  equal(task.message.actions?.length, 2);
  const unauthenticated = approvalNotification(TASK, { ...BUTTONS, authorization: undefined });
  equal(unauthenticated.message.actions?.[0]?.headers, undefined);
  ok(
    approvalNotification(TASK, { ...BUTTONS, timeoutSecs: 45 }).message.body.endsWith(
      "45 s, or at the terminal.",
    ),
  );
});

Deno.test("approvalNotification() masks what the configuration adds, even with redact.enabled off", () => {
  const config = defaultConfig();
  config.redact = { enabled: false, patterns: ["INTERNAL-\\d{6}"] };
  config.ntfy.auth_token = "tk_configured";
  const task = approvalNotification(
    {
      ...TASK,
      message: { title: "allow Bash?", body: "deploy INTERNAL-123456 with tk_configured" },
    },
    { ...BUTTONS, redactor: new SecretRedactor(redactorOptions(config)) },
  );
  ok(task.message.body.startsWith("deploy *** with ***\n"), task.message.body);
});

Deno.test("parseAnswer() reads what a button posts, and nothing else", () => {
  const answer = { request: "perm-abc", nonce: "n0nce", choice: "always" } as const;
  deepStrictEqual(parseAnswer(answerBody(answer)), answer);
  for (
    const text of [
      "allow",
      "",
      "null",
      '{"request":"perm-abc","nonce":"n0nce","choice":"allow"}',
      JSON.stringify({
        kind: "claude-ntfy-approval",
        request: "perm-abc",
        nonce: "n",
        choice: "yes",
      }),
      JSON.stringify({ kind: "claude-ntfy-approval", request: 1, nonce: "n", choice: "allow" }),
      JSON.stringify({ kind: "claude-ntfy-approval", request: "r", choice: "allow" }),
      `${answerBody(answer)}${" ".repeat(1024)}`,
    ]
  ) equal(parseAnswer(text), undefined, text.slice(0, 80));
});

Deno.test("decisionFor() gives allow, deny with a message, and allow with the suggested rules", () => {
  const suggestions = [{ type: "setMode", mode: "acceptEdits", destination: "session" }];
  deepStrictEqual(decisionFor("allow", suggestions), { behavior: "allow" });
  deepStrictEqual(decisionFor("deny", suggestions), { behavior: "deny", message: DENIED_MESSAGE });
  deepStrictEqual(decisionFor("always", suggestions), {
    behavior: "allow",
    updatedPermissions: suggestions,
  });
});

Deno.test("clearApproval() is a valid clear of the notification's sequence id, on its topic", () => {
  const clear = clearApproval(approvalNotification(TASK, BUTTONS), 42);
  deepStrictEqual(validateTask(clear), clear);
  equal(clear.operation, "clear");
  equal(clear.message.sequenceId, "perm-abc");
  deepStrictEqual(clear.target, TASK.target);
  equal(clear.origin.createdAt, 42);
});

Deno.test("the buttons reach ntfy intact in both send formats (JSON body and X-Actions header)", async () => {
  await using server = await startNtfyServer();
  for (const sendFormat of ["json", "text"] as const) {
    await publish(approvalNotification(
      { ...TASK, target: { serverUrl: server.url, topic: "claude-abc", sendFormat } },
      { ...BUTTONS, replyUrl: `${server.url}/claude-reply-xyz` },
    ));
  }
  equal(server.messages.length, 2);
  for (const message of server.messages) {
    deepStrictEqual(
      message.actions?.map((action) => [action.label, action.method, action.headers, action.url]),
      ["Allow", "Deny", "Always allow"].map((label) => [
        label,
        "POST",
        { Authorization: "Bearer tk_write_only" },
        `${server.url}/claude-reply-xyz`,
      ]),
    );
    deepStrictEqual(
      message.actions?.map((action) => parseAnswer(action.body ?? "")?.choice),
      ["allow", "deny", "always"],
    );
  }
});
