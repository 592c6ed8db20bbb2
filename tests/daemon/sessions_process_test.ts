// Sessions end to end: real `claude-ntfy hook` processes (fed the captured payloads) into a
// real daemon, delivering to the loopback ntfy server. A hook exits only once the daemon
// has taken its event in (journaled, cancellations flushed), so after it the daemon's
// decision is a fact: the tests read it from the daemon's status and queue, and wait on
// the server only for what must arrive.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { startNtfyServer } from "../support/ntfy_server.ts";
import type { NtfyTestServer, ReceivedMessage } from "../support/ntfy_server.ts";
import { createTestHome, processAlive, type TestHome } from "../support/cli_process.ts";
import { fixtureBytes } from "../support/hook_fixtures.ts";
import { waitFor } from "../support/wait_for.ts";
import type { HeldTask } from "../../protocol/mod.ts";
import { parseQuietHours, quietHoursEnd } from "../../core/events/hold_until.ts";

interface Run extends AsyncDisposable {
  readonly home: TestHome;
  readonly server: NtfyTestServer;
  /** Each message with the wall time it arrived. */
  readonly arrivals: Array<{ message: ReceivedMessage; at: number }>;
  /** Runs one hook process on a fixture (with changes) and returns its stderr (`-v`). */
  hook(name: string, change?: Record<string, unknown>): Promise<string>;
  /** Waits until the daemon holds nothing and has nothing in flight; returns its status. */
  settled(): Promise<Record<string, number>>;
  /** The tasks the daemon holds. */
  queued(): Promise<HeldTask[]>;
}

async function start(toml: string): Promise<Run> {
  const arrivals: Run["arrivals"] = [];
  const server = await startNtfyServer({
    onMessage: (message) => arrivals.push({ message, at: Date.now() }),
  });
  const home = await createTestHome();
  await home.writeConfig(
    `[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "sessions"\n${toml}`,
  );
  await home.startDaemon();
  return {
    home,
    server,
    arrivals,
    async hook(name, change = {}) {
      const payload = JSON.parse(new TextDecoder().decode(fixtureBytes(name)));
      const stdin = JSON.stringify({ ...payload, ...change });
      const run = await home.run(["hook", "-v"], { stdin });
      equal(run.code, 0, `${name}: ${run.stderr}`);
      equal(run.stdout, "", "a hook prints nothing on stdout");
      return run.stderr;
    },
    async settled() {
      let last: Record<string, number> = {};
      await waitFor(async () => {
        last = (await home.status()) as unknown as Record<string, number>;
        return last.queueSize === 0 && last.inFlight === 0 && last.retrying === 0;
      }, { what: () => `the daemon to settle: ${JSON.stringify(last)}`, timeoutMs: 10_000 });
      return last;
    },
    async queued() {
      const listing = await home.run(["queue", "--json"]);
      equal(listing.code, 0, listing.stderr);
      return JSON.parse(listing.stdout).tasks;
    },
    async [Symbol.asyncDispose]() {
      await home.cleanup();
      await server.close();
    },
  };
}

/** Notifications, not clears (a clear carries no title). */
function notifications(run: Run): ReceivedMessage[] {
  return run.server.messages.filter((message) => message.title !== undefined);
}

Deno.test("sessions: a held permission notification is dropped when the dialog is answered at the terminal", async () => {
  // The default hold (30 s) outlasts the hooks by far: the answer always comes first.
  await using run = await start("");
  await run.hook("pre_tool_use_bash.json", { tool_input: { command: "rm -rf dist" } });
  match(await run.hook("permission_request.json"), /queued by the daemon as /);
  const [held] = await run.queued();
  ok(held?.task.notBefore !== undefined && held.task.notBefore > Date.now() + 20_000);
  const answered = await run.hook("post_tool_use_bash.json", {
    tool_input: { command: "rm -rf dist", description: "Clean build output" },
  });
  match(answered, /cancelled 1 held notification: the session is active/);
  const status = await run.settled();
  equal(status.cancelled, 1);
  equal(status.held, 0, "nothing left that could still be sent");
  deepEqual(run.server.messages, []);
});

Deno.test("sessions: PermissionRequest and the dialog's Notification reach the phone once", async () => {
  await using run = await start("[hooks]\ndelay_secs = 0.3\n");
  await run.hook("permission_request.json");
  match(await run.hook("notification_permission.json"), /skipped: merged: .*permission dialog/);
  await run.server.waitForMessages(1);
  await run.settled();
  const [only, ...rest] = notifications(run);
  deepEqual(rest, []);
  equal(only!.title, "webapp · 2b6f0c1e: allow Bash?");
  match(only!.message, /^\$ rm -rf dist$/m);
});

Deno.test("sessions: Stop then idle reminders reach the phone once, with Claude's reply", async () => {
  await using run = await start("[hooks]\ndelay_secs = 0.3\n");
  await run.hook("stop.json");
  for (let i = 0; i < 2; i++) match(await run.hook("notification_idle.json"), /merged/);
  await run.server.waitForMessages(1);
  await run.settled();
  deepEqual(notifications(run).map((m) => [m.title, m.message, m.markdown]), [
    ["webapp · 2b6f0c1e: Claude finished", "The shell works: `echo hi` printed hi.", true],
  ]);
});

Deno.test("sessions: a Stop with background work says paused, and never finished", async () => {
  await using run = await start("[hooks]\ndelay_secs = 0.3\n");
  await run.hook("stop_background_tasks.json");
  const [paused] = await run.server.waitForMessages(1);
  equal(paused!.title, "webapp · 2b6f0c1e: paused, 1 background task running");
  deepEqual(paused!.tags, ["hourglass_flowing_sand"]);
  ok(!/finished/i.test(`${paused!.title}\n${paused!.message}`));
});

Deno.test("sessions: subagent events notify nobody and do not end the main agent's wait", async () => {
  await using run = await start(
    "[hooks]\ndelay_secs = 30\n\n[hooks.events]\nSubagentStop = false\n",
  );
  await run.hook("stop.json");
  const sub = { agent_id: "a9e5b0a12e7e83431", agent_type: "Explore" };
  match(await run.hook("post_tool_use_failure.json", sub), /comes from a subagent/);
  await run.hook("pre_tool_use_bash.json", sub);
  await run.hook("subagent_stop.json");
  const status = (await run.home.status())!;
  equal(status.held, 1, "the Stop is still held");
  equal(status.cancelled, 0);
  deepEqual(run.server.messages, []);
});

Deno.test("sessions: a long Markdown reply is cut to ntfy's 4,096 bytes on a character boundary", async () => {
  await using run = await start("[hooks]\ndelay_secs = 0\n");
  const reply = `## Release notes\n\n${"- fixed ✓ a thing 🚀\n".repeat(600)}`;
  await run.hook("stop.json", { last_assistant_message: reply });
  const [message] = await run.server.waitForMessages(1);
  equal(message!.markdown, true);
  const bytes = new TextEncoder().encode(message!.message).byteLength;
  ok(bytes <= 4096 && bytes > 4000, `${bytes} bytes`);
  ok(message!.message.startsWith("## Release notes\n\n- fixed ✓ a thing 🚀"));
  ok(message!.message.endsWith("…"));
  ok(message!.message.isWellFormed());
});

Deno.test("sessions: a secret in a prompt, a command or a reply never reaches the server", async () => {
  await using run = await start("[hooks]\ndelay_secs = 0\n");
  const secrets = [
    "hunter2-prod",
    "ghp_R4nd0mT0k3nV4lu3F0rT3st1ng0000",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AKIAIOSFODNN7EXAMPLE",
    "S3cr3tPass",
  ];
  await run.hook("user_prompt_submit.json", { prompt: "PASSWORD=hunter2-prod ship it" });
  await run.hook("permission_request.json", {
    tool_input: {
      command: "GITHUB_TOKEN=ghp_R4nd0mT0k3nV4lu3F0rT3st1ng0000 " +
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY " +
        "curl https://deploy:S3cr3tPass@api.example.com/release",
      description: "Release with AKIAIOSFODNN7EXAMPLE",
    },
  });
  await run.hook("stop.json", {
    last_assistant_message:
      "Done. I used `export GITHUB_TOKEN=ghp_R4nd0mT0k3nV4lu3F0rT3st1ng0000`.",
  });
  await run.server.waitForMessages(2);
  await run.settled();
  const everything = JSON.stringify(run.server.messages);
  for (const secret of secrets) ok(!everything.includes(secret), `${secret} reached the server`);
  const [asked] = notifications(run);
  equal(asked!.title, "webapp · PASSWORD=***…: allow Bash?");
  match(
    asked!.message,
    /GITHUB_TOKEN=ghp_\*\*\* AWS_SECRET_ACCESS_KEY=\*\*\* curl https:\/\/deploy:\*\*\*@/,
  );
});

Deno.test("sessions: quiet hours hold a notification until they end; priority 5 goes at once", async () => {
  const clock = (date: Date) =>
    `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
  const now = Date.now();
  const range = `${clock(new Date(now - 3_600_000))}-${clock(new Date(now + 3_600_000))}`;
  await using run = await start(
    `[hooks]\ndelay_secs = 0\nquiet_hours = "${range}"\n\n[hooks.priorities]\nPermissionRequest = 5\n`,
  );
  await run.hook("stop.json");
  const [held] = await run.queued();
  equal(held?.task.origin.event, "Stop");
  const end = quietHoursEnd(parseQuietHours(range)!, held!.task.origin.createdAt);
  equal(held!.task.notBefore, end, `held until the end of ${range}`);
  await run.hook("permission_request.json", { session_id: "urgent-session" });
  const [urgent] = await run.server.waitForMessages(1);
  equal(urgent!.priority, 5);
  equal(urgent!.title, "webapp · urgent-s: allow Bash?");
  equal(notifications(run).length, 1, "the Stop still waits");
});

Deno.test("sessions: a held notification survives kill -9 of the daemon and arrives once, at its time", async () => {
  // Long enough to kill the daemon while it holds the notification, even on a busy machine.
  await using run = await start("[hooks]\ndelay_secs = 5\n");
  await run.hook("stop.json");
  const [held] = await run.queued();
  const notBefore = held!.task.notBefore!;
  const pid = (await run.home.status())!.pid;
  Deno.kill(pid, "SIGKILL");
  await waitFor(() => !processAlive(pid), { what: "the daemon to die" });
  ok(Date.now() < notBefore, "killed while the notification was held");
  await run.home.startDaemon();
  const [message] = await run.server.waitForMessages(1, 10_000);
  equal(message!.title, "webapp · 2b6f0c1e: Claude finished");
  ok(run.arrivals[0]!.at >= notBefore, `arrived ${notBefore - run.arrivals[0]!.at} ms early`);
  const status = await run.settled();
  equal(status.delivered, 1);
  equal(run.server.messages.length, 1, "once");
});

Deno.test("sessions: after kill -9 and a restart, coming back still drops the held notification", async () => {
  await using run = await start("");
  await run.hook("stop.json");
  const pid = (await run.home.status())!.pid;
  Deno.kill(pid, "SIGKILL");
  await waitFor(() => !processAlive(pid), { what: "the daemon to die" });
  await run.home.startDaemon();
  equal((await run.home.status())!.held, 1, "replayed from the journal, still held");
  match(await run.hook("user_prompt_submit.json"), /cancelled 1 held notification/);
  const status = await run.settled();
  equal(status.cancelled, 1);
  deepEqual(run.server.messages, []);
});

Deno.test("sessions: a terminal session, a dialog answered at once, one answered late, the finish", async () => {
  await using run = await start("[hooks]\ndelay_secs = 3\n");
  const bash = (command: string) => ({ tool_name: "Bash", tool_input: { command } });
  await run.hook("session_start.json");
  await run.hook("user_prompt_submit.json", { prompt: "Ship the release: bump and push" });
  // A dialog answered at the keyboard: its notification never leaves the daemon.
  await run.hook("pre_tool_use_bash.json", bash("npm version minor"));
  await run.hook("permission_request.json", bash("npm version minor"));
  match(await run.hook("post_tool_use_bash.json", bash("npm version minor")), /cancelled 1/);
  await run.hook("post_tool_batch.json");
  // A dialog nobody answers in time: the phone hears of it, once.
  await run.hook("pre_tool_use_bash.json", bash("git push --follow-tags"));
  await run.hook("permission_request.json", bash("git push --follow-tags"));
  const [asked] = await run.server.waitForMessages(1, 10_000);
  match(await run.hook("notification_permission.json"), /merged/);
  // Answered late: the phone's copy is cleared (a clear task, by the session's sequence id).
  match(await run.hook("post_tool_use_bash.json", bash("git push --follow-tags")), /cleared 1/);
  await run.hook("post_tool_batch.json");
  await run.hook("stop.json", {
    last_assistant_message: "Released **v1.3.0** and pushed the tag.",
  });
  await waitFor(() => notifications(run).length === 2, { what: "the finish", timeoutMs: 10_000 });
  match(await run.hook("notification_idle.json"), /merged/);
  await run.settled();
  deepEqual(notifications(run).map((m) => [m.title, m.message]), [
    [
      "webapp · Ship the release: bump…: allow Bash?",
      "$ git push --follow-tags\nClaude is waiting for your answer.",
    ],
    [
      "webapp · Ship the release: bump…: Claude finished",
      "Released **v1.3.0** and pushed the tag.",
    ],
  ]);
  equal(asked!.title, notifications(run)[0]!.title);
  equal((await run.home.status())!.cancelled, 1);
});
