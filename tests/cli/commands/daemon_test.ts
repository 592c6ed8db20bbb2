// `claude-ntfy daemon ...` as scripts use it: output formats and exit codes, against a
// live daemon and against none.
import { equal, ok } from "node:assert/strict";
import { createTestHome } from "../../support/cli_process.ts";

Deno.test("status, ping, reload and stop exit 3 with a clear message when no daemon runs", async () => {
  await using home = await createTestHome();
  for (const action of ["status", "ping", "reload", "stop"]) {
    const result = await home.run(["daemon", action]);
    equal(result.code, 3, `${action}: ${result.stderr}`);
    ok(/not running/.test(result.stderr), result.stderr);
    equal(result.stdout, "");
  }
  const json = await home.run(["daemon", "status", "--json"]);
  equal(json.code, 3);
  equal(JSON.parse(json.stdout).isRunning, false);
});

Deno.test("status, ping and reload against a live daemon", async () => {
  await using home = await createTestHome();
  const pid = await home.startDaemon();
  const ping = await home.run(["daemon", "ping"]);
  equal(ping.code, 0, ping.stderr);
  ok(ping.stdout.includes(`pid ${pid}`), ping.stdout);

  const human = await home.run(["daemon", "status"]);
  equal(human.code, 0, human.stderr);
  for (const label of ["uptime", "queue", "delivered", "connections", "requests"]) {
    ok(human.stdout.includes(label), `status shows ${label}:\n${human.stdout}`);
  }
  ok(!human.stdout.includes("\x1b["), "no colour when piped");

  const json = JSON.parse((await home.run(["daemon", "status", "--json"])).stdout);
  equal(json.pid, pid);
  equal(json.isRunning, true);
  ok(json.requestLatencyMicros.count >= 1);

  // Reload re-reads the config: the log level change shows in the log.
  await home.writeConfig('[daemon]\nlog_level = "debug"\n');
  const reload = await home.run(["daemon", "reload"]);
  equal(reload.code, 0, reload.stderr);
  const log = await Deno.readTextFile(home.paths.logPath);
  ok(/configuration reloaded logLevel=debug/.test(log), log);

  const stop = await home.run(["daemon", "stop", "--json"]);
  equal(stop.code, 0);
  equal(JSON.parse(stop.stdout).stopped, true);
});

Deno.test("SIGHUP makes the daemon reload its configuration", async () => {
  await using home = await createTestHome();
  await home.writeConfig("[daemon]\nmax_queue_size = 10\n");
  const pid = await home.startDaemon();
  await home.writeConfig("[daemon]\nmax_queue_size = 77\n");
  Deno.kill(pid, "SIGHUP");
  const deadline = performance.now() + 5_000;
  let log = "";
  while (performance.now() < deadline) {
    log = await Deno.readTextFile(home.paths.logPath);
    if (log.includes("maxQueueSize=77")) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  ok(log.includes("configuration reloaded") && log.includes("maxQueueSize=77"), log);
});

Deno.test("unknown actions and flags are usage errors, never exit code 2", async () => {
  await using home = await createTestHome();
  const unknown = await home.run(["daemon", "explode"]);
  equal(unknown.code, 64);
  ok(unknown.stderr.includes("unknown action"));
  const flag = await home.run(["daemon", "status", "--bogus"]);
  equal(flag.code, 64);
});

Deno.test("status --watch refreshes until stopped", async () => {
  await using home = await createTestHome();
  await home.startDaemon();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      `${Deno.cwd()}/cli/main.ts`,
      "daemon",
      "status",
      "--watch",
      "--json",
      "--interval",
      "0.2",
    ],
    env: home.env,
    clearEnv: true,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (text.split("\n").filter((line) => line.startsWith("{")).length < 3) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  child.kill("SIGTERM");
  await reader.cancel();
  await child.status;
  const snapshots = text.split("\n").filter((line) => line.startsWith("{")).map((line) =>
    JSON.parse(line)
  );
  ok(snapshots.length >= 3, text);
  ok(
    (snapshots[2].requests.status ?? 0) > (snapshots[0].requests.status ?? 0),
    "each refresh is new",
  );
});
