// The daemon as users run it: a real child process started by the CLI with scoped
// permissions, real Unix sockets, real signals.
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { connect } from "../../client/client.ts";
import { DaemonNotRunningError, RemoteError } from "../../client/errors.ts";
import { readPidFile } from "../../core/state_dir.ts";
import { decodeResponse, encodeRequest, FrameDecoder, type Response } from "../../protocol/mod.ts";
import { CLI_ENTRY, createTestHome, processAlive } from "../support/cli_process.ts";
import { waitFor } from "../support/wait_for.ts";

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("daemon start/stop: socket 0600 in a 0700 folder, PID file, all removed on stop", async () => {
  await using home = await createTestHome();
  const pid = await home.startDaemon();
  ok(processAlive(pid));
  equal(Deno.statSync(home.paths.socketPath).mode! & 0o777, 0o600);
  equal(Deno.statSync(home.paths.stateDir).mode! & 0o777, 0o700);
  equal(Deno.statSync(home.paths.tokenPath).mode! & 0o777, 0o600);
  const client = await connect({
    socketPath: home.paths.socketPath,
    tokenPath: home.paths.tokenPath,
  });
  equal(client.daemon.pid, pid);
  // ping() resolving is the assertion: it rejects unless the daemon answers.
  await client.ping();
  const status = await client.status();
  equal(status.isRunning, true);
  equal(status.pid, pid);
  equal(status.connectionsActive, 1);
  await client.close();

  const stopped = await home.run(["daemon", "stop"]);
  equal(stopped.code, 0, stopped.stderr);
  ok(stopped.stdout.includes(`pid ${pid}`));
  await waitFor(() => !processAlive(pid), { what: "the daemon to exit" });
  ok(!exists(home.paths.socketPath), "socket removed");
  ok(!exists(home.paths.pidPath), "PID file removed");
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test(`daemon shuts down gracefully on ${signal}`, async () => {
    await using home = await createTestHome();
    const pid = await home.startDaemon();
    Deno.kill(pid, signal);
    await waitFor(() => !processAlive(pid), { what: "the daemon to exit" });
    ok(!exists(home.paths.socketPath));
    ok(!exists(home.paths.pidPath));
    const log = await Deno.readTextFile(home.paths.logPath);
    ok(log.includes(`reason=${signal}`), log);
    ok(log.includes("daemon stopped"), log);
  });
}

Deno.test("a shutdown request is answered before the daemon goes away", async () => {
  await using home = await createTestHome();
  const pid = await home.startDaemon();
  const client = await connect({
    socketPath: home.paths.socketPath,
    tokenPath: home.paths.tokenPath,
  });
  await client.shutdown();
  await client.close();
  await waitFor(() => !processAlive(pid), { what: "the daemon to exit" });
  await rejects(
    connect({ socketPath: home.paths.socketPath, tokenPath: home.paths.tokenPath }),
    DaemonNotRunningError,
  );
});

Deno.test("a stale socket left by a killed daemon is removed on start", async () => {
  await using home = await createTestHome();
  const first = await home.startDaemon();
  Deno.kill(first, "SIGKILL");
  await waitFor(() => !processAlive(first), { what: "the daemon to die" });
  ok(exists(home.paths.socketPath), "kill -9 leaves the socket behind");
  const second = await home.startDaemon();
  ok(second !== first);
  const client = await connect({
    socketPath: home.paths.socketPath,
    tokenPath: home.paths.tokenPath,
  });
  equal(client.daemon.pid, second);
  await client.close();
});

Deno.test("two racing starts leave exactly one daemon and a clear message for the loser", async () => {
  await using home = await createTestHome();
  const [a, b] = await Promise.all([
    home.run(["daemon", "start", "--detach"]),
    home.run(["daemon", "start", "--detach"]),
  ]);
  const codes = [a.code, b.code].sort();
  deepStrictEqual(codes, [0, 1], `${a.stderr}\n${b.stderr}`);
  const loser = a.code === 1 ? a : b;
  ok(/already running/.test(loser.stderr), loser.stderr);
  const pid = readPidFile(home.paths.pidPath)!;
  ok(processAlive(pid));
  const status = await home.run(["daemon", "status", "--json"]);
  equal(JSON.parse(status.stdout).pid, pid);
  await home.run(["daemon", "stop"]);
});

Deno.test("a live socket that is not ours is never stolen", async () => {
  await using home = await createTestHome();
  await Deno.mkdir(home.paths.stateDir, { recursive: true, mode: 0o700 });
  using _squatter = Deno.listen({ transport: "unix", path: home.paths.socketPath });
  const result = await home.run(["daemon", "start", "--detach"]);
  equal(result.code, 1);
  ok(/not taking it over/.test(result.stderr), result.stderr);
  ok(exists(home.paths.socketPath), "the other process keeps its socket");
});

Deno.test("a state folder path too long for a socket falls back to a short socket path", async () => {
  await using home = await createTestHome();
  const longDir = `${home.home}/${"deep-folder-name-".repeat(6)}/state`;
  const result = await home.run(["daemon", "start", "--detach", `--state-dir=${longDir}`]);
  equal(result.code, 0, result.stderr);
  const status = await home.run(["daemon", "status", "--json", `--state-dir=${longDir}`]);
  equal(status.code, 0, status.stderr);
  const socketPath: string = JSON.parse(status.stdout).socketPath;
  ok(new TextEncoder().encode(socketPath).byteLength <= 107, socketPath);
  ok(!socketPath.startsWith(longDir));
  equal(Deno.statSync(socketPath.slice(0, socketPath.lastIndexOf("/"))).mode! & 0o777, 0o700);
  const stop = await home.run(["daemon", "stop", `--state-dir=${longDir}`]);
  equal(stop.code, 0, stop.stderr);
  ok(!exists(socketPath));
});

Deno.test("200 concurrent clients with pipelined requests all get their own answers", async () => {
  await using home = await createTestHome();
  await home.startDaemon();
  const perClient = 20;
  const results = await Promise.all(Array.from({ length: 200 }, async () => {
    const client = await connect({
      socketPath: home.paths.socketPath,
      tokenPath: home.paths.tokenPath,
    });
    try {
      const answers = await Promise.all(
        Array.from(
          { length: perClient },
          (_, i) =>
            i % 2 === 0
              ? client.ping().then(() => "pong")
              : client.status().then((s) => s.isRunning),
        ),
      );
      return answers;
    } finally {
      await client.close();
    }
  }));
  for (const answers of results) {
    deepStrictEqual(
      answers,
      Array.from({ length: perClient }, (_, i) => i % 2 === 0 ? "pong" : true),
    );
  }
  const client = await connect({
    socketPath: home.paths.socketPath,
    tokenPath: home.paths.tokenPath,
  });
  const status = await client.status();
  ok(status.connectionsTotal >= 201);
  ok((status.requests.ping ?? 0) >= 200 * perClient / 2);
  equal(status.protocolErrors, 0);
  await client.close();
});

async function rawExchange(
  socketPath: string,
  bytes: Uint8Array,
  expected: number,
): Promise<Response[]> {
  const conn = await Deno.connect({ transport: "unix", path: socketPath });
  try {
    await conn.write(bytes);
    const decoder = new FrameDecoder();
    const responses: Response[] = [];
    const buffer = new Uint8Array(65536);
    while (responses.length < expected) {
      const n = await conn.read(buffer);
      if (n === null) break;
      for (const payload of decoder.push(buffer.slice(0, n))) {
        responses.push(decodeResponse(payload));
      }
    }
    return responses;
  } finally {
    conn.close();
  }
}

Deno.test("pipelined raw frames get responses echoing each request id", async () => {
  await using home = await createTestHome();
  await home.startDaemon();
  const token = Deno.readTextFileSync(home.paths.tokenPath).trim();
  const ids = Array.from({ length: 100 }, (_, i) => 1000 + i * 7);
  const frames = [
    encodeRequest({ type: "hello", id: 1, version: 1, token }),
    ...ids.map((id) => encodeRequest(id % 2 ? { type: "ping", id } : { type: "status", id })),
  ];
  const bytes = new Uint8Array(frames.reduce((n, f) => n + f.byteLength, 0));
  frames.reduce((offset, f) => (bytes.set(f, offset), offset + f.byteLength), 0);
  const responses = await rawExchange(home.paths.socketPath, bytes, ids.length + 1);
  equal(responses[0]!.type, "hello");
  const byId = new Map(responses.slice(1).map((r) => [r.id, r.type]));
  for (const id of ids) equal(byId.get(id), id % 2 ? "ok" : "status", `id ${id}`);
});

Deno.test("a wrong token gets UNAUTHORIZED and the connection is closed", async () => {
  await using home = await createTestHome();
  await home.startDaemon();
  await rejects(
    connect({ socketPath: home.paths.socketPath, token: "0".repeat(64) }),
    (error: unknown) => error instanceof RemoteError && error.code === "UNAUTHORIZED",
  );
  const responses = await rawExchange(
    home.paths.socketPath,
    encodeRequest({ type: "ping", id: 5 }),
    1,
  );
  equal(responses[0]!.type, "error");
  equal((responses[0] as { code: string }).code, "HANDSHAKE_REQUIRED");
});

Deno.test("a client that sends half a frame and stalls does not hold up others", async () => {
  await using home = await createTestHome();
  await home.startDaemon();
  const stalled = await Deno.connect({ transport: "unix", path: home.paths.socketPath });
  await stalled.write(new Uint8Array([0, 0, 1])); // 3 of the 4 header bytes, then nothing
  const client = await connect({
    socketPath: home.paths.socketPath,
    tokenPath: home.paths.tokenPath,
  });
  for (let i = 0; i < 50; i++) await client.ping();
  await client.close();
  // The daemon closes the stalled connection after its partial-frame timeout.
  const closed = await Promise.race([
    stalled.read(new Uint8Array(16)).then((n) => n === null, () => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 8_000)),
  ]);
  ok(closed, "the stalled connection is closed by the daemon");
  stalled.close();
});

Deno.test("the daemon refuses a group- or world-writable state folder and says how to fix it", async () => {
  await using home = await createTestHome();
  for (const mode of [0o777, 0o775]) {
    await Deno.mkdir(home.paths.stateDir, { recursive: true });
    Deno.chmodSync(home.paths.stateDir, mode);
    const result = await home.run(["daemon", "start", "--detach"]);
    equal(result.code, 1);
    ok(/group- or world-writable/.test(result.stderr), result.stderr);
    ok(/chmod 700/.test(result.stderr), result.stderr);
    ok(!exists(home.paths.socketPath), "no socket in an insecure folder");
    equal(Deno.statSync(home.paths.stateDir).mode! & 0o777, mode, "left for the user to check");
  }
});

Deno.test("daemon start makes a project state folder created earlier as 0755 private (0700)", async () => {
  const home = await createTestHome();
  const project = `${home.home}/web app`;
  const stateDir = `${project}/.claude/ntfy-service`;
  try {
    await Deno.mkdir(stateDir, { recursive: true });
    Deno.chmodSync(stateDir, 0o755);
    const started = await home.run(["daemon", "start", "--detach", `--project=${project}`]);
    equal(started.code, 0, started.stderr);
    equal(Deno.statSync(stateDir).mode! & 0o777, 0o700);
    equal(Deno.statSync(`${stateDir}/daemon.sock`).mode! & 0o777, 0o600);
    const stopped = await home.run(["daemon", "stop", `--project=${project}`]);
    equal(stopped.code, 0, stopped.stderr);
  } finally {
    const pid = readPidFile(`${stateDir}/daemon.pid`);
    if (pid !== undefined && processAlive(pid)) Deno.kill(pid, "SIGKILL");
    await home.cleanup();
  }
});

Deno.test("the daemon process itself makes a 0750 state folder private before it listens", async () => {
  const home = await createTestHome();
  const stateDir = `${home.home}/state`;
  await Deno.mkdir(stateDir);
  Deno.chmodSync(stateDir, 0o750);
  // Straight to "daemon run", past the CLI's own preparation in "daemon start".
  const daemon = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", CLI_ENTRY, "daemon", "run", `--state-dir=${stateDir}`],
    env: home.env,
    clearEnv: true,
    cwd: home.home,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    await waitFor(() => exists(`${stateDir}/daemon.sock`), {
      timeoutMs: 10_000,
      what: "the daemon to listen",
    });
    equal(Deno.statSync(stateDir).mode! & 0o777, 0o700);
  } finally {
    try {
      daemon.kill("SIGTERM");
    } catch {
      // It already exited; its stderr says why.
    }
    await daemon.output();
    await home.cleanup();
  }
});
