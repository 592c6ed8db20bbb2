// whenDaemonFailed(): an error that is not one of the ways reaching the daemon fails (a bug,
// say in the hook's codec) still spools the event, and says so on stderr, without -v, so
// that it is seen; the daemon's usual absence stays quiet.
import { equal, match } from "node:assert/strict";
import { whenDaemonFailed } from "../../../cli/hook/hook_fallback.ts";
import { DaemonNotRunningError } from "../../../client/errors.ts";
import { resolveDaemonPaths } from "../../../client/paths.ts";
import type { CliIo } from "../../../cli/io.ts";

async function attempt(error: unknown): Promise<{ code: number; stderr: string; spooled: number }> {
  const home = await Deno.makeTempDir({ dir: "/tmp", prefix: "cn-unexp-" });
  try {
    const paths = resolveDaemonPaths({ homeDir: home });
    await Deno.mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
    await Deno.writeTextFile(
      `${paths.stateDir}/config.toml`,
      '[ntfy]\nserver_url = "http://127.0.0.1:9"\ndefault_topic = "x"\n[daemon]\nautostart = false\n',
      { mode: 0o600 },
    );
    let stderr = "";
    const env: Record<string, string> = { HOME: home };
    const io = {
      stdout: () => {},
      stderr: (text: string) => void (stderr += text),
      stdin: ReadableStream.from([]),
      isTerminal: false,
      env: (name: string) => env[name],
      environment: () => env,
      cwd: home,
    } satisfies CliIo;
    const payload = new TextEncoder().encode('{"hook_event_name":"Stop"}');
    const code = await whenDaemonFailed(
      { io, flags: {}, payload, context: { cwd: home, env: {}, receivedAt: 0 }, projectDir: home },
      paths,
      error,
    );
    const spooled = [...Deno.readDirSync(paths.spoolDir)].filter((e) => e.name.endsWith(".event"));
    return { code, stderr, spooled: spooled.length };
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("whenDaemonFailed() spools after an unexpected error and says so in one line", async () => {
  const run = await attempt(new TypeError("Cannot read properties of undefined"));
  equal(run.code, 0);
  equal(run.spooled, 1);
  match(
    run.stderr,
    /^claude-ntfy hook: spooled after an unexpected error \(please report it\): .*Cannot read/,
  );
});

Deno.test("whenDaemonFailed() spools quietly when the daemon is just not running (autostart off says so)", async () => {
  const run = await attempt(new DaemonNotRunningError("nothing listens"));
  equal(run.code, 0);
  equal(run.spooled, 1);
  match(run.stderr, /autostart is off/);
});
