// CPU placement for the round-trip figures. On this machine (a VM) a wake-up on another
// core costs 30-50 µs more than one on the same core, and the scheduler picks either at
// random, so an unpinned ping-pong flips between two figures from run to run. Pinning both
// ends makes each placement reproducible.

/** Pins every thread of `pid` to `cpus` (e.g. `"0"` or `"0,1"`); false if it cannot. */
export function pin(pid: number, cpus: string): boolean {
  try {
    return new Deno.Command("taskset", {
      args: ["-a", "-p", "-c", cpus, String(pid)],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}

/** The CPUs this process may run on, e.g. `"0,1"`, or undefined without `taskset`. */
export function allowedCpus(): string | undefined {
  try {
    const output = new Deno.Command("taskset", {
      args: ["-c", "-p", String(Deno.pid)],
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    if (!output.success) return undefined;
    return /:\s*(\S+)\s*$/.exec(new TextDecoder().decode(output.stdout))?.[1];
  } catch {
    return undefined;
  }
}

/** Expands a CPU list such as `"0-2,5"` into `[0, 1, 2, 5]`. */
export function expandCpus(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.split(",")) {
    const [low, high] = part.split("-").map(Number);
    for (let cpu = low!; cpu <= (high ?? low!); cpu++) cpus.push(cpu);
  }
  return cpus;
}
