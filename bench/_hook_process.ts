// One hook process run as Claude Code runs it: spawned with the bench home's environment only,
// the event written to its stdin, timed from spawn to exit.

/** How one run of a hook process ended. */
export interface HookProcessRun {
  /** Milliseconds from spawn to exit. */
  readonly wall: number;
  /** When it was spawned (`performance.now()`), for timing arrivals from the same start. */
  readonly started: number;
  /** Why it failed (a non-zero exit or anything on stderr), or `undefined`. */
  readonly failure?: string;
}

/**
 * Spawns `program args` as Claude Code spawns a hook: in the project folder, with exactly
 * `env` and `CLAUDE_PROJECT_DIR`; feeds it `stdin` and waits for it.
 */
export async function runHookProcess(
  program: string,
  args: string[],
  home: { readonly project: string; readonly env: Record<string, string> },
  stdin: Uint8Array,
): Promise<HookProcessRun> {
  const started = performance.now();
  const child = new Deno.Command(program, {
    args,
    env: { ...home.env, CLAUDE_PROJECT_DIR: home.project },
    clearEnv: true,
    cwd: home.project,
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(stdin).catch(() => {});
  await writer.close().catch(() => {});
  const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
  const wall = performance.now() - started;
  const failed = !status.success || stderr.trim() !== "";
  return {
    wall,
    started,
    ...(failed ? { failure: `exit ${status.code}: ${stderr.trim().slice(0, 300)}` } : {}),
  };
}

/**
 * The payload with another `session_id`: each run its own session, so that the daemon does
 * not merge repeated Stops of one session into one notification.
 */
export function inSession(stdin: Uint8Array, sessionId: string): Uint8Array {
  const payload = JSON.parse(new TextDecoder().decode(stdin));
  return new TextEncoder().encode(JSON.stringify({ ...payload, session_id: sessionId }));
}
