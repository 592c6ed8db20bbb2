// `claude-ntfy hook` as Claude Code runs it, fed bad input: it must never exit with 2 (a
// "blocking error" to Claude Code), never hang on stdin, never print on stdout (except
// --dry-run), and explain an error in one line on stderr.
import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import {
  CLI_ENTRY,
  type CliRun,
  createTestHome,
  REPO_ROOT,
  type TestHome,
} from "../../support/cli_process.ts";
import { SeededRandom } from "../../support/seeded_random.ts";

const HANG_GUARD_MS = 10_000;
const ONE_LINE = /^claude-ntfy hook: [^\n]+\n$/;
const MB = 1024 * 1024;

/** A port on 127.0.0.1 that nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * A HOME whose config points at a closed loopback port. Autostart is off so that no test
 * leaves a daemon behind (`cleanup()` only stops daemons it started itself).
 */
async function hookHome(daemon = "autostart = false"): Promise<TestHome> {
  const home = await createTestHome("cn-hook-");
  await home.writeConfig(
    `[ntfy]\nserver_url = "http://127.0.0.1:${closedPort()}"\ndefault_topic = "hook-bad-input"\n` +
      `\n[daemon]\n${daemon}\n`,
  );
  return home;
}

/** Runs the hook to completion and checks the rules every run must keep. */
async function runHook(
  home: TestHome,
  stdin: string | Uint8Array,
  args: string[] = [],
): Promise<CliRun & { ms: number }> {
  const started = performance.now();
  const run = await home.run(["hook", ...args], { stdin });
  const ms = performance.now() - started;
  ok(ms < HANG_GUARD_MS, `the hook took ${Math.round(ms)} ms`);
  ok(run.code === 0 || run.code === 1, `exit code ${run.code}: ${run.stderr}`);
  if (!args.includes("--dry-run")) equal(run.stdout, "", "nothing on stdout");
  return { ...run, ms };
}

function assertError(run: CliRun, code: string): void {
  equal(run.code, 1, run.stderr);
  match(run.stderr, ONE_LINE);
  ok(run.stderr.includes(`[${code}]`), `expected ${code}: ${run.stderr}`);
}

/** The hook's own bundle, as `init --install-hooks` registers it (built by the test task). */
const HOOK_BUNDLE = `${REPO_ROOT}/dist/hook/claude-ntfy-hook.js`;

/** Spawns the hook with a stdin the test controls (from the CLI's source, or `entry`). */
function spawnHook(
  home: TestHome,
  args: string[] = [],
  entry = CLI_ENTRY,
  env: Record<string, string> = home.env,
) {
  const child = new Deno.Command(Deno.execPath(), {
    // The bundle with the flags the installed command gives it (`hookCommandLine`).
    args: [
      "run",
      "-A",
      "--quiet",
      ...(entry === HOOK_BUNDLE ? ["--no-prompt", "--no-config", "--v8-flags=--no-lazy"] : []),
      entry,
      "hook",
      ...args,
    ],
    env,
    clearEnv: true,
    cwd: home.home,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // A hang guard that cannot leave the test waiting for ever.
  const guard = setTimeout(() => child.kill("SIGKILL"), HANG_GUARD_MS + 5_000);
  const started = performance.now();
  const done = child.output().then((output) => {
    clearTimeout(guard);
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
      ms: performance.now() - started,
    };
  });
  return { child, done };
}

/** Streams up to `total` bytes into the hook's stdin; resolves with how many it took. */
async function stream(
  writer: WritableStreamDefaultWriter<Uint8Array>,
  prefix: Uint8Array,
  fill: Uint8Array,
  total: number,
): Promise<number> {
  let written = 0;
  try {
    await writer.write(prefix);
    written += prefix.byteLength;
    while (written < total) {
      await writer.write(fill);
      written += fill.byteLength;
    }
    await writer.close();
  } catch {
    // The hook stopped reading and exited: the pipe is broken, as it should be.
  }
  return written;
}

Deno.test("hook: garbage text is INVALID_JSON in one line, exit 1", async () => {
  const home = await hookHome();
  try {
    assertError(await runHook(home, "this is not json at all\nline two"), "INVALID_JSON");
  } finally {
    await home.cleanup();
  }
});

Deno.test("hook: binary bytes are INVALID_JSON and nothing binary reaches stderr", async () => {
  const home = await hookHome();
  try {
    const run = await runHook(home, new SeededRandom(7).bytes(8_192));
    assertError(run, "INVALID_JSON");
    match(run.stderr, /^[\x20-\x7e]+\n$/, "printable stderr");
  } finally {
    await home.cleanup();
  }
});

Deno.test("hook: empty or blank stdin is EMPTY_INPUT, exit 1", async () => {
  const home = await hookHome();
  try {
    assertError(await runHook(home, ""), "EMPTY_INPUT");
    assertError(await runHook(home, " \n\t\r\n"), "EMPTY_INPUT");
  } finally {
    await home.cleanup();
  }
});

Deno.test("hook: invalid JSON, and JSON that is not an object, are named in one line", async () => {
  const home = await hookHome();
  try {
    assertError(await runHook(home, '{"hook_event_name": "Stop",'), "INVALID_JSON");
    assertError(await runHook(home, "\uFEFF{]"), "INVALID_JSON");
    for (const json of ['[{"hook_event_name":"Stop"}]', "null", "42", '"Stop"']) {
      const run = await runHook(home, json);
      assertError(run, "NOT_AN_OBJECT");
    }
    assertError(await runHook(home, "{}"), "NO_EVENT_NAME");
    assertError(
      await runHook(home, JSON.stringify({ hook_event_name: "../../etc/passwd\nrm -rf" })),
      "INVALID_EVENT_NAME",
    );
  } finally {
    await home.cleanup();
  }
});

Deno.test("hook: an unknown event name is skipped quietly with exit 0", async () => {
  const home = await hookHome();
  try {
    const quiet = await runHook(home, JSON.stringify({ hook_event_name: "NoSuchEvent" }));
    equal(quiet.code, 0);
    equal(quiet.stderr, "");
    const verbose = await runHook(home, JSON.stringify({ hook_event_name: "NoSuchEvent" }), ["-v"]);
    equal(verbose.code, 0);
    match(verbose.stderr, ONE_LINE);
    ok(verbose.stderr.includes("NoSuchEvent skipped"), verbose.stderr);
  } finally {
    await home.cleanup();
  }
});

Deno.test("hook: an event that cannot be delivered (daemon off, closed port) exits 1 in one line", async () => {
  const home = await hookHome("enabled = false");
  try {
    const run = await runHook(
      home,
      JSON.stringify({ hook_event_name: "Notification", message: "hi", cwd: home.home }),
    );
    equal(run.code, 1, run.stderr);
    match(run.stderr, ONE_LINE);
    ok(run.stderr.includes("not sent"), run.stderr);
  } finally {
    await home.cleanup();
  }
});

Deno.test("hook: with no daemon and autostart off the event is spooled and that is said in one line", async () => {
  const home = await hookHome();
  try {
    const run = await runHook(
      home,
      JSON.stringify({ hook_event_name: "Notification", message: "hi", cwd: home.home }),
    );
    equal(run.code, 0, run.stderr);
    match(run.stderr, ONE_LINE);
    ok(run.stderr.includes("spooled"), run.stderr);
  } finally {
    await home.cleanup();
  }
});

Deno.test("hook: 100 MB of stdin is cut at 1 MiB; the hook returns promptly without reading it all", async () => {
  const home = await hookHome();
  try {
    const total = 100 * MB;
    const fill = new Uint8Array(64 * 1024).fill(0x61);

    // A real event whose message never ends: recovered from the first 1 MiB.
    const event = spawnHook(home, ["--dry-run"]);
    const prefix = new TextEncoder().encode('{"hook_event_name":"Notification","message":"');
    const [taken, run] = await Promise.all([
      stream(event.child.stdin.getWriter(), prefix, fill, total),
      event.done,
    ]);
    console.log(
      `event: the hook took ${(taken / MB).toFixed(1)} MiB of 100 MiB in ${Math.round(run.ms)} ms`,
    );
    ok(run.ms < HANG_GUARD_MS, `took ${Math.round(run.ms)} ms`);
    ok(taken < 16 * MB, `the hook read ${(taken / MB).toFixed(1)} MiB`);
    equal(run.code, 0, run.stderr);
    ok(run.stdout.includes("hook-bad-input"), "the dry run describes the task");

    // Garbage: an error that says the input was cut.
    const garbage = spawnHook(home);
    const [takenGarbage, runGarbage] = await Promise.all([
      stream(garbage.child.stdin.getWriter(), new Uint8Array([0x7b]), fill.fill(0xff), total),
      garbage.done,
    ]);
    console.log(
      `garbage: the hook took ${(takenGarbage / MB).toFixed(1)} MiB in ${
        Math.round(runGarbage.ms)
      } ms`,
    );
    ok(runGarbage.ms < HANG_GUARD_MS);
    ok(takenGarbage < 16 * MB, `the hook read ${(takenGarbage / MB).toFixed(1)} MiB`);
    assertError(runGarbage, "INVALID_JSON");
    ok(runGarbage.stderr.includes("cut at the size limit"), runGarbage.stderr);
    equal(runGarbage.stdout, "");
  } finally {
    await home.cleanup();
  }
});

Deno.test("hook: a stdin that stays open and never writes does not hold the hook past ~2 s", async () => {
  const home = await hookHome();
  try {
    const silent = spawnHook(home);
    const writer = silent.child.stdin.getWriter();
    const run = await silent.done;
    await writer.close().catch(() => {});
    console.log(`silent stdin: the hook exited after ${Math.round(run.ms)} ms`);
    ok(run.ms < 5_000, `the hook waited ${Math.round(run.ms)} ms`);
    assertError(run, "EMPTY_INPUT");
    equal(run.stdout, "");
  } finally {
    await home.cleanup();
  }
});

Deno.test("hook: a whole event on a stdin that is never closed is still handled after the timeout", async () => {
  const home = await hookHome();
  try {
    const open = spawnHook(home, ["--dry-run"]);
    const writer = open.child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(
      JSON.stringify({ hook_event_name: "Notification", message: "still here" }),
    ));
    const run = await open.done;
    await writer.close().catch(() => {});
    ok(run.ms < 5_000, `the hook waited ${Math.round(run.ms)} ms`);
    equal(run.code, 0, run.stderr);
    ok(run.stdout.includes("hook-bad-input"), run.stdout);
  } finally {
    await home.cleanup();
  }
});

Deno.test("hook bundle: a whole event on a stdin that is never closed is spooled after the timeout", async () => {
  const home = await hookHome();
  try {
    const open = spawnHook(home, [], HOOK_BUNDLE);
    const writer = open.child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(
      JSON.stringify({ hook_event_name: "Notification", message: "still here", session_id: "s" }),
    ));
    const run = await open.done;
    await writer.close().catch(() => {});
    ok(run.ms < 5_000, `the hook waited ${Math.round(run.ms)} ms`);
    equal(run.stdout, "");
    match(run.stderr, /spooled/, run.stderr);
    const spooled = [...Deno.readDirSync(home.pathsFor().spoolDir)]
      .filter((entry) => entry.name.endsWith(".event"));
    equal(spooled.length, 1, "the event waits in the spool for the daemon");
  } finally {
    await home.cleanup();
  }
});

Deno.test("hook bundle: what the daemon refuses is said in one line and not spooled; what it takes is silent", async () => {
  // The fast path sends, the full command reports: the daemon's refusal crosses from one
  // bundle to the other and must still read as a refusal, not as a daemon gone.
  const home = await hookHome("autostart = false");
  try {
    await home.startDaemon();
    const hook = (stdin: string) => home.run(["hook"], { stdin, entry: HOOK_BUNDLE });
    assertError(await hook("this is not json"), "INVALID_JSON");
    assertError(await hook("[1, 2]"), "NOT_AN_OBJECT");
    const taken = await hook(JSON.stringify({ hook_event_name: "PreToolUse", session_id: "s" }));
    equal(taken.code, 0, taken.stderr);
    equal(taken.stderr, "");
    equal(taken.stdout, "");
    const spool = home.pathsFor().spoolDir;
    const spooled = Array.from(Deno.readDirSync(spool), (entry) => entry.name);
    deepStrictEqual(spooled, [], "nothing was spooled");
  } finally {
    await home.cleanup();
  }
});

Deno.test("hook bundle: without HOME, a state folder in CLAUDE_NTFY_STATE_DIR is enough; with neither, NO_HOME in one line", async () => {
  const home = await hookHome("autostart = false");
  try {
    await home.startDaemon();
    // A project of its own: HOME is also the test's cwd, whose state folder would be found.
    const project = `${home.home}/project`;
    await Deno.mkdir(project);
    const { HOME: _home, ...rest } = home.env;
    const withoutHome = { ...rest, CLAUDE_PROJECT_DIR: project };
    const hook = async (env: Record<string, string>) => {
      const open = spawnHook(home, ["-v"], HOOK_BUNDLE, env);
      const writer = open.child.stdin.getWriter();
      await writer.write(
        new TextEncoder().encode(JSON.stringify({ hook_event_name: "Stop", session_id: "nh" })),
      );
      await writer.close();
      return await open.done;
    };
    const taken = await hook({ ...withoutHome, CLAUDE_NTFY_STATE_DIR: home.paths.stateDir });
    equal(taken.code, 0, taken.stderr);
    match(taken.stderr, /^claude-ntfy hook: queued by the daemon as \S+\n$/);
    assertError(await hook(withoutHome), "NO_HOME");
  } finally {
    await home.cleanup();
  }
});

Deno.test("hook bundle: copied without the full command beside it, it says so in one line and exits 1", async () => {
  const home = await hookHome();
  try {
    // Without a daemon the fast path must hand over, and there is nothing to hand over to.
    const alone = `${home.home}/alone/claude-ntfy-hook.js`;
    await Deno.mkdir(`${home.home}/alone`);
    await Deno.copyFile(HOOK_BUNDLE, alone);
    const run = await home.run(["hook"], { stdin: '{"hook_event_name":"Stop"}', entry: alone });
    equal(run.code, 1);
    match(run.stderr, ONE_LINE);
    match(run.stderr, /cannot load the full hook command .*deno task build/);
  } finally {
    await home.cleanup();
  }
});
