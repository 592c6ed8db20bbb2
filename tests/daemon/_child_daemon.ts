// A daemon in its own process, started through the real CLI in a temporary HOME, that is
// always stopped afterwards, even when `daemon start` failed half way (the process may
// then be running without the test knowing its PID).
import { readPidFile } from "../../core/state_dir.ts";
import { createTestHome, processAlive, type TestHome } from "../support/cli_process.ts";

export interface ChildDaemon extends AsyncDisposable {
  readonly home: TestHome;
  readonly pid: number;
  readonly token: string;
  readonly socketPath: string;
  /** The ntfy server in its config: a closed port on 127.0.0.1. */
  readonly serverUrl: string;
  /** SIGTERM, then SIGKILL after `graceMs`, then removes HOME; disposing does the same. */
  stop(graceMs?: number): Promise<void>;
}

/** A port on 127.0.0.1 that nothing listens on. */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Resident memory of a process now (`VmRSS`) or at its peak (`VmHWM`), from /proc. */
export function vmRss(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  const line = Deno.readTextFileSync(`/proc/${pid}/status`).split("\n")
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.match(/(\d+)\s*kB/)?.[1] ?? NaN) * 1024;
}

async function stopAndClean(home: TestHome, pid: number | undefined, graceMs: number) {
  const target = pid ?? readPidFile(home.paths.pidPath);
  if (target !== undefined && processAlive(target)) {
    try {
      Deno.kill(target, "SIGTERM");
    } catch {
      // gone meanwhile
    }
    const deadline = performance.now() + graceMs;
    while (processAlive(target) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (processAlive(target)) Deno.kill(target, "SIGKILL");
  }
  await home.cleanup();
}

/** Starts a daemon with the CLI's defaults and a config naming a closed loopback port. */
export async function startChildDaemon(prefix: string): Promise<ChildDaemon> {
  const home = await createTestHome(prefix);
  const serverUrl = `http://127.0.0.1:${closedPort()}`;
  let pid: number;
  try {
    await home.writeConfig(`[ntfy]\nserver_url = "${serverUrl}"\ndefault_topic = "limits"\n`);
    pid = await home.startDaemon();
  } catch (error) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stopAndClean(home, undefined, 500);
    throw error;
  }
  const token = Deno.readTextFileSync(home.paths.tokenPath).trim();
  return {
    home,
    pid,
    token,
    socketPath: home.paths.socketPath,
    serverUrl,
    stop: (graceMs = 2_000) => stopAndClean(home, pid, graceMs),
    [Symbol.asyncDispose]: () => stopAndClean(home, pid, 2_000),
  };
}
