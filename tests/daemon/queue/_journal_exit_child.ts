// Child process for the journal tests: adds a task, marks it done and returns without
// closing the journal. The pending lazy write must not keep the process alive; the done
// record is then never written. Args: <journal dir>.
import { Journal } from "../../../daemon/queue/journal.ts";
import { sampleTask } from "./_tasks.ts";

const [dir] = Deno.args;
if (!dir) throw new Error("usage: _journal_exit_child.ts <dir>");
const { journal } = await Journal.open(dir, { lazyWriteMs: 60_000 });
await journal.add({ id: "a", task: sampleTask("a") });
journal.markDone("a");
