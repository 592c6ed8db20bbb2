// Answering a permission request from the phone, with real daemon and hook processes and
// the test playing the phone against the loopback ntfy server: a tap reaches the hook's
// stdout as the exact decision Claude Code reads; anything else (no answer, a replayed or
// forged answer, the daemon going away, the terminal answering first) prints nothing and
// exits 0.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import {
  type NtfyTestServer,
  type ReceivedMessage,
  startNtfyServer,
} from "../../support/ntfy_server.ts";
import { CLI_ENTRY, createTestHome, type TestHome } from "../../support/cli_process.ts";
import { fixtureBytes } from "../../support/hook_fixtures.ts";
import { buttonLabels, tapButton } from "../../support/phone.ts";
import { waitFor } from "../../support/wait_for.ts";

const REPLY_TOPIC = "claude-reply-e2etest";
const ALLOW =
  '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow"}}}\n';
const DENY = '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":' +
  '{"behavior":"deny","message":"Denied from the phone (claude-ntfy)."}}}\n';

const fixture = JSON.parse(new TextDecoder().decode(fixtureBytes("permission_request.json")));

/** The captured PermissionRequest, in another session or for another command if asked. */
function permissionRequest(change: { session?: string; command?: string } = {}): string {
  return JSON.stringify({
    ...fixture,
    ...(change.session === undefined ? {} : { session_id: change.session }),
    ...(change.command === undefined
      ? {}
      : { tool_input: { ...fixture.tool_input, command: change.command } }),
  });
}

async function approvalHome(ntfy: NtfyTestServer, timeoutSecs = 60): Promise<TestHome> {
  const home = await createTestHome("cn-approval-");
  await home.writeConfig(`[ntfy]
server_url = "${ntfy.url}"
default_topic = "claude-approvals"

[approval]
enabled = true
timeout_secs = ${timeoutSecs}
reply_topic = "${REPLY_TOPIC}"
`);
  await home.startDaemon();
  return home;
}

/** The n-th notification with answer buttons (1-based), once it has arrived. */
async function approvalMessage(ntfy: NtfyTestServer, n = 1): Promise<ReceivedMessage> {
  const withButtons = () => ntfy.messages.filter((message) => (message.actions?.length ?? 0) > 0);
  await waitFor(() => withButtons().length >= n, {
    what: `approval notification ${n}`,
    timeoutMs: 15_000,
  });
  return withButtons()[n - 1]!;
}

/** Waits until the phone shows no notification with answer buttons (the daemon cleared it). */
async function clearedOnPhone(ntfy: NtfyTestServer): Promise<void> {
  await waitFor(
    () => ntfy.notifications().every((message) => (message.actions?.length ?? 0) === 0),
    {
      what: () => `the approval notification to be cleared: ${JSON.stringify(ntfy.events)}`,
      timeoutMs: 10_000,
    },
  );
}

async function daemonLog(home: TestHome): Promise<string> {
  return await Deno.readTextFile(home.paths.logPath).catch(() => "");
}

async function logSays(home: TestHome, text: string): Promise<void> {
  await waitFor(async () => (await daemonLog(home)).includes(text), {
    what: async () => `"${text}" in the daemon log:\n${await daemonLog(home)}`,
    timeoutMs: 10_000,
  });
}

Deno.test("Allow, Deny and Always allow on the phone reach the hook's stdout as Claude Code's decision", async () => {
  await using ntfy = await startNtfyServer();
  await using home = await approvalHome(ntfy);

  const allowed = home.run(["hook"], { stdin: permissionRequest() });
  const first = await approvalMessage(ntfy, 1);
  equal(first.topic, "claude-approvals");
  // Titles name the project and the session (its label, here its id's start: no prompt yet).
  equal(first.title, "webapp · 2b6f0c1e: allow Bash?");
  deepStrictEqual(buttonLabels(first), ["Allow", "Deny", "Always allow"]);
  deepStrictEqual(ntfy.notifications().map((message) => message.id), [first.id], "on the phone");
  await tapButton(first, "Allow");
  deepStrictEqual(await allowed, { code: 0, stdout: ALLOW, stderr: "" });
  await clearedOnPhone(ntfy);

  const denied = home.run(["hook"], { stdin: permissionRequest() });
  await tapButton(await approvalMessage(ntfy, 2), "Deny");
  deepStrictEqual(await denied, { code: 0, stdout: DENY, stderr: "" });

  const always = home.run(["hook"], { stdin: permissionRequest() });
  await tapButton(await approvalMessage(ntfy, 3), "Always allow");
  const result = await always;
  equal(result.code, 0, result.stderr);
  equal(
    result.stdout,
    `${
      JSON.stringify({
        hookSpecificOutput: {
          hookEventName: "PermissionRequest",
          decision: { behavior: "allow", updatedPermissions: fixture.permission_suggestions },
        },
      })
    }\n`,
  );
  const answers = ntfy.messages.filter((message) => message.topic === REPLY_TOPIC);
  equal(answers.length, 3, "each tap posted one answer to the reply topic");
});

Deno.test("no answer within approval.timeout_secs: the hook prints nothing and exits 0", async () => {
  await using ntfy = await startNtfyServer();
  await using home = await approvalHome(ntfy, 2);
  const started = performance.now();
  const result = await home.run(["hook"], { stdin: permissionRequest() });
  deepStrictEqual(result, { code: 0, stdout: "", stderr: "" });
  ok(performance.now() - started >= 2_000, "it waited for the phone");
  await approvalMessage(ntfy);
  await logSays(home, 'outcome="no answer in time"');
  await clearedOnPhone(ntfy);
});

Deno.test("a replayed answer for another request decides nothing", async () => {
  await using ntfy = await startNtfyServer();
  await using home = await approvalHome(ntfy);
  const first = home.run(["hook"], { stdin: permissionRequest() });
  const firstMessage = await approvalMessage(ntfy, 1);
  await tapButton(firstMessage, "Allow");
  equal((await first).stdout, ALLOW);

  const second = home.run(["hook"], { stdin: permissionRequest({ command: "rm -rf build" }) });
  const secondMessage = await approvalMessage(ntfy, 2);
  await tapButton(firstMessage, "Allow");
  await logSays(home, "no longer waiting (late or replayed)");
  await tapButton(secondMessage, "Deny");
  deepStrictEqual(await second, { code: 0, stdout: DENY, stderr: "" });
});

Deno.test("an answer with a forged nonce decides nothing", async () => {
  await using ntfy = await startNtfyServer();
  await using home = await approvalHome(ntfy);
  const waiting = home.run(["hook"], { stdin: permissionRequest() });
  const message = await approvalMessage(ntfy);
  const allow = message.actions!.find((action) => action.label === "Allow")!;
  const forged = allow.body!.replace(/"nonce":"[a-z2-7]+"/, `"nonce":"${"q".repeat(32)}"`);
  const response = await fetch(allow.url!, { method: "POST", body: forged });
  equal(response.status, 200);
  await response.body?.cancel();
  await logSays(home, "wrong nonce");
  await tapButton(message, "Deny");
  deepStrictEqual(await waiting, { code: 0, stdout: DENY, stderr: "" });
});

Deno.test("two sessions wait at once and each gets its own answer", async () => {
  await using ntfy = await startNtfyServer();
  await using home = await approvalHome(ntfy);
  const first = home.run(["hook"], { stdin: permissionRequest({ session: "session-one" }) });
  await approvalMessage(ntfy, 1);
  const second = home.run(["hook"], { stdin: permissionRequest({ session: "session-two" }) });
  const secondMessage = await approvalMessage(ntfy, 2);
  const firstMessage = await approvalMessage(ntfy, 1);
  await tapButton(secondMessage, "Deny");
  deepStrictEqual(await second, { code: 0, stdout: DENY, stderr: "" });
  await tapButton(firstMessage, "Allow");
  deepStrictEqual(await first, { code: 0, stdout: ALLOW, stderr: "" });
  equal(ntfy.subscriptions.length, 1, "one subscription to the reply topic served both");
});

Deno.test("the subscription drops while a request waits: the answer posted meanwhile arrives via since=", async () => {
  await using ntfy = await startNtfyServer();
  await using home = await approvalHome(ntfy);
  const first = home.run(["hook"], { stdin: permissionRequest() });
  await tapButton(await approvalMessage(ntfy, 1), "Allow");
  equal((await first).stdout, ALLOW);
  const lastAnswer = ntfy.messages.filter((message) => message.topic === REPLY_TOPIC).at(-1)!;

  const second = home.run(["hook"], { stdin: permissionRequest({ command: "rm -rf build" }) });
  const message = await approvalMessage(ntfy, 2);
  ntfy.refuseSubscriptions(true);
  equal(ntfy.dropStreams(), 1, "the daemon's one stream");
  const attempts = ntfy.subscriptions.length;
  await waitFor(() => ntfy.subscriptions.length > attempts, { what: "a refused reconnect" });
  await tapButton(message, "Allow");
  ntfy.refuseSubscriptions(false);
  deepStrictEqual(await second, { code: 0, stdout: ALLOW, stderr: "" });
  equal(
    ntfy.subscriptions.at(-1)!.since,
    lastAnswer.id,
    "it asked for what followed the last answer",
  );
  await logSays(home, "reply subscription dropped; reconnecting");
});

Deno.test("answered at the terminal: the session's PostToolBatch ends the wait with no output", async () => {
  await using ntfy = await startNtfyServer();
  await using home = await approvalHome(ntfy);
  const started = performance.now();
  const waiting = home.run(["hook"], { stdin: permissionRequest() });
  await approvalMessage(ntfy);
  const batch = await home.run(["hook"], { stdin: fixtureBytes("post_tool_batch_denied.json") });
  deepStrictEqual(batch, { code: 0, stdout: "", stderr: "" });
  deepStrictEqual(await waiting, { code: 0, stdout: "", stderr: "" });
  ok(performance.now() - started < 30_000, "well before the 60 s timeout");
  await logSays(home, "answered at the terminal (the tool's batch ended)");
  await clearedOnPhone(ntfy);
});

Deno.test("the daemon stopping while a hook waits: no decision, nothing spooled, nothing sent twice", async () => {
  await using ntfy = await startNtfyServer();
  await using home = await approvalHome(ntfy);
  const waiting = home.run(["hook"], { stdin: permissionRequest() });
  await approvalMessage(ntfy);
  const stop = await home.run(["daemon", "stop"]);
  equal(stop.code, 0, stop.stderr);
  deepStrictEqual(await waiting, { code: 0, stdout: "", stderr: "" });
  await logSays(home, 'outcome="the daemon is stopping"');
  const spooled = [...Deno.readDirSync(home.paths.spoolDir)].map((entry) => entry.name);
  deepStrictEqual(spooled, [], "the hook spooled nothing: the daemon had the event");
  await clearedOnPhone(ntfy);
});

Deno.test("the daemon killed while a hook waits: no decision, nothing spooled, nothing sent twice", async () => {
  await using ntfy = await startNtfyServer();
  await using home = await approvalHome(ntfy);
  const pid = (await home.status())!.pid;
  const waiting = home.run(["hook", "-v"], { stdin: permissionRequest() });
  const message = await approvalMessage(ntfy);
  // Killed once the journal has the delivery (done marks are written within 5 ms): killed
  // sooner, the notification is delivered again after the restart, as journaled tasks are.
  await new Promise((resolve) => setTimeout(resolve, 200));
  Deno.kill(pid, "SIGKILL");
  const result = await waiting;
  equal(result.code, 0);
  equal(result.stdout, "");
  ok(result.stderr.includes("no decision"), result.stderr);
  deepStrictEqual([...Deno.readDirSync(home.paths.spoolDir)].map((entry) => entry.name), []);
  // A tap after the restart finds no request waiting: it decides nothing anywhere.
  await home.startDaemon();
  const again = home.run(["hook"], { stdin: permissionRequest({ command: "ls" }) });
  const next = await approvalMessage(ntfy, 2);
  await tapButton(message, "Allow");
  await logSays(home, "no waiting request (replayed or forged)");
  await tapButton(next, "Deny");
  equal((await again).stdout, DENY);
  const published = ntfy.messages.filter((m) => m.message.includes("rm -rf dist"));
  equal(published.length, 1, "the first request's notification went out once");
});

Deno.test("the daemon killed while a hook waits: after the restart the buttons come off the phone, when the wait would have ended", async () => {
  await using ntfy = await startNtfyServer();
  await using home = await approvalHome(ntfy, 4);
  const pid = (await home.status())!.pid;
  const waiting = home.run(["hook"], { stdin: permissionRequest() });
  const message = await approvalMessage(ntfy);
  Deno.kill(pid, "SIGKILL");
  equal((await waiting).stdout, "", "no decision");
  ok(
    ntfy.notifications().some((shown) => shown.id === message.id),
    "the buttons are still on the phone: nobody was left to clear them",
  );
  // The clear was journaled with the notification, held until the wait's end (4 s).
  await home.startDaemon();
  await clearedOnPhone(ntfy);
});

Deno.test("a hook that goes away (Esc at the terminal) ends its wait; the notification is cleared", async () => {
  await using ntfy = await startNtfyServer();
  await using home = await approvalHome(ntfy);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", CLI_ENTRY, "hook"],
    env: home.env,
    clearEnv: true,
    cwd: home.home,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(permissionRequest()));
  await writer.close();
  await approvalMessage(ntfy);
  child.kill("SIGTERM");
  const output = await child.output();
  equal(new TextDecoder().decode(output.stdout), "");
  await logSays(home, 'outcome="the hook went away"');
  await clearedOnPhone(ntfy);
});

Deno.test("with approvals off a PermissionRequest hook answers at once, with no buttons and no output", async () => {
  await using ntfy = await startNtfyServer();
  await using home = await createTestHome("cn-approval-");
  // delay_secs = 0: without approvals the notification is an ordinary one, held 30 s by
  // default; this test is about the hook answering at once.
  await home.writeConfig(
    `[ntfy]\nserver_url = "${ntfy.url}"\ndefault_topic = "claude-approvals"\n` +
      `[hooks]\ndelay_secs = 0\n`,
  );
  await home.startDaemon();
  const started = performance.now();
  deepStrictEqual(await home.run(["hook"], { stdin: permissionRequest() }), {
    code: 0,
    stdout: "",
    stderr: "",
  });
  ok(performance.now() - started < 10_000);
  const [message] = await ntfy.waitForMessages(1);
  equal(message!.actions, undefined);
  equal(ntfy.subscriptions.length, 0, "nobody subscribed to anything");
});

Deno.test("without approval.reply_topic the daemon makes one on first use and keeps it private", async () => {
  await using ntfy = await startNtfyServer();
  await using home = await createTestHome("cn-approval-");
  await home.writeConfig(`[ntfy]
server_url = "${ntfy.url}"
default_topic = "claude-approvals"

[approval]
enabled = true
`);
  await home.startDaemon();
  const waiting = home.run(["hook"], { stdin: permissionRequest() });
  const message = await approvalMessage(ntfy);
  const path = `${home.paths.stateDir}/approval-reply-topic`;
  const topic = Deno.readTextFileSync(path).trim();
  equal((Deno.statSync(path).mode ?? 0) & 0o777, 0o600);
  equal(message.actions![0]!.url, `${ntfy.url}/${topic}`);
  await tapButton(message, "Allow");
  deepStrictEqual(await waiting, { code: 0, stdout: ALLOW, stderr: "" });
});
