// Child process for the journal crash test: adds tasks from several producers as fast as it
// can, prints `ack <id>` once an add resolved and `done <id>` before marking one done, and
// runs until the parent kills it with SIGKILL. Args: <journal dir> <id prefix>.
import { Journal } from "../../../daemon/queue/journal.ts";
import { sampleTask } from "./_tasks.ts";
import { writeAllSync } from "../../../client/write_all.ts";

const [dir, prefix] = Deno.args;
if (!dir || !prefix) throw new Error("usage: _journal_crash_child.ts <dir> <prefix>");
const { journal } = await Journal.open(dir, { compactAfterBytes: 64 * 1024 });
const encoder = new TextEncoder();
function say(line: string): void {
  writeAllSync(Deno.stdout, encoder.encode(line + "\n"));
}

let sequence = 0;
async function producer(): Promise<never> {
  while (true) {
    const id = `${prefix}-${++sequence}`;
    await journal.add({ id, task: sampleTask(id) });
    say(`ack ${id}`);
    // Most tasks are delivered quickly, so the journal is mostly dead weight and compacts.
    if (sequence % 4 !== 0) {
      say(`done ${id}`);
      journal.markDone(id);
    }
    if (sequence % 500 === 0) say(`compactions ${journal.stats.compactions}`);
  }
}
say("ready");
await Promise.all(Array.from({ length: 16 }, producer));
