import { errorMessage } from "../protocol/error_message.ts";
// Everything the benchmark starts or creates registers how to undo it here, so that child
// processes and temp folders go away on success, on error and on Ctrl-C alike.

type Undo = () => void | Promise<void>;

const undos: Array<{ what: string; undo: Undo }> = [];
let running: Promise<void> | undefined;

/** Registers `undo` to run at cleanup, newest first. Returns a function that runs it now. */
export function onCleanup(what: string, undo: Undo): () => Promise<void> {
  const entry = { what, undo };
  undos.push(entry);
  return async () => {
    const index = undos.indexOf(entry);
    if (index === -1) return;
    undos.splice(index, 1);
    await undo();
  };
}

/** Runs every registered undo, newest first; reports failures on stderr and goes on. */
export function cleanupAll(): Promise<void> {
  running ??= (async () => {
    while (undos.length > 0) {
      const { what, undo } = undos.pop()!;
      try {
        await undo();
      } catch (error) {
        console.error(`bench: cleanup of ${what} failed: ${errorMessage(error)}`);
      }
    }
  })();
  return running;
}

/** Makes Ctrl-C and SIGTERM clean up before exiting. */
export function cleanupOnSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      console.error(`\nbench: ${signal}, cleaning up`);
      cleanupAll().finally(() => Deno.exit(130));
    });
  }
}

/** Sends SIGKILL to `pid` if it still exists. */
export function killPid(pid: number): void {
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Kills a spawned child (SIGTERM, then SIGKILL after `graceMs`) and waits for it. */
export async function stopChild(child: Deno.ChildProcess, graceMs = 1_000): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch {
    // Already exited.
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const exited = await Promise.race([
    child.status.then(() => true),
    new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), graceMs)),
  ]);
  clearTimeout(timer);
  if (!exited) {
    try {
      child.kill("SIGKILL");
    } catch {
      // Exited meanwhile.
    }
    await child.status;
  }
}
