// kill -9 at any moment loses nothing acknowledged: a child process adds tasks as fast as it
// can (compacting all the while) and is killed with SIGKILL; every id it acknowledged and
// did not mark done must come back from replay.
import { ok } from "node:assert/strict";
import { Journal } from "../../../daemon/queue/journal.ts";
import { withTempDir } from "./_tasks.ts";

const CHILD = new URL("./_journal_crash_child.ts", import.meta.url).pathname;
const REPO_ROOT = new URL("../../../", import.meta.url).pathname;

interface ChildRun {
  acked: Set<string>;
  done: Set<string>;
  compactions: number;
}

/** Runs the child until it has acknowledged `ackTarget` adds, then SIGKILLs it. */
async function runAndKill(dir: string, prefix: string, ackTarget: number): Promise<ChildRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-read", "--allow-write", CHILD, dir, prefix],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const run: ChildRun = { acked: new Set(), done: new Set(), compactions: 0 };
  const decoder = new TextDecoder();
  let partial = "";
  let killed = false;
  for await (const chunk of child.stdout) {
    const lines = (partial + decoder.decode(chunk, { stream: true })).split("\n");
    // A line cut by the kill has no newline yet: it was not acknowledged.
    partial = lines.pop()!;
    for (const line of lines) {
      const [kind, value] = line.split(" ");
      if (kind === "ack") run.acked.add(value!);
      else if (kind === "done") run.done.add(value!);
      else if (kind === "compactions") run.compactions = Number(value);
    }
    if (!killed && run.acked.size >= ackTarget && run.compactions > 0) {
      child.kill("SIGKILL");
      killed = true;
    }
  }
  const status = await child.status;
  ok(killed && status.signal === "SIGKILL", `child ended with ${JSON.stringify(status)}`);
  return run;
}

Deno.test("a journal writer killed with SIGKILL mid-stream loses no acknowledged task", async () => {
  await withTempDir(async (dir) => {
    const everAcked = new Set<string>();
    const everDone = new Set<string>();
    for (let round = 0; round < 4; round++) {
      const run = await runAndKill(dir, `r${round}`, 3_000 + round * 1_500);
      for (const id of run.acked) everAcked.add(id);
      for (const id of run.done) everDone.add(id);
      const { journal, pending } = await Journal.open(dir);
      const pendingIds = new Set(pending.map((entry) => entry.id));
      const lost = [...everAcked].filter((id) => !everDone.has(id) && !pendingIds.has(id));
      ok(
        lost.length === 0,
        `round ${round}: lost ${lost.length} acknowledged tasks: ${lost.slice(0, 5)}`,
      );
      ok(run.compactions > 0, "the child compacted before it was killed");
      // Mark everything pending done so the next round starts from a small journal.
      for (const id of pendingIds) {
        if (everAcked.has(id) && !everDone.has(id)) continue;
        journal.markDone(id);
      }
      await journal.close();
    }
  });
});
