/**
 * Journal throughput: acknowledged adds per second with fsync on, beside fsync off and an
 * in-memory baseline measured in the same run. Producers each await their add before the
 * next, as connections submitting tasks do.
 *
 * Run: `deno run -A bench/journal_bench.ts [--adds 100000] [--producers 64]`
 * Writes `bench/results/journal_bench.json`.
 *
 * @module
 */

import { Journal } from "../daemon/queue/journal.ts";
import type { NotificationTask } from "../protocol/mod.ts";

/** One measured configuration. */
export interface JournalBenchResult {
  /** What was measured. */
  readonly name: string;
  /** Concurrent producers. */
  readonly producers: number;
  /** Adds made. */
  readonly adds: number;
  /** Acknowledged adds per second. */
  readonly addsPerSec: number;
  /** fsyncs made (journal runs only). */
  readonly syncs?: number;
  /** Compactions made (journal runs only). */
  readonly compactions?: number;
}

interface Sink {
  add(entry: { id: string; task: NotificationTask }): Promise<void>;
  markDone(id: string): void;
}

function task(n: number): NotificationTask {
  return {
    target: { serverUrl: "https://ntfy.sh", topic: "bench-topic" },
    message: { title: "Claude is waiting", body: `webapp: permission to use Write (${n})` },
    origin: { event: "Notification", project: "/home/ada/webapp", createdAt: Date.now() },
  };
}

async function drive(sink: Sink, adds: number, producers: number, done: boolean) {
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: producers }, async () => {
    while (next < adds) {
      const n = next++;
      const id = `b${n}`;
      await sink.add({ id, task: task(n) });
      if (done) sink.markDone(id);
    }
  }));
  return adds / ((performance.now() - start) / 1000);
}

/** An in-memory stand-in with the journal's interface: the cost of everything but I/O. */
function memorySink(): Sink {
  const live = new Map<string, NotificationTask>();
  return {
    add(entry) {
      live.set(entry.id, entry.task);
      return Promise.resolve();
    },
    markDone(id) {
      live.delete(id);
    },
  };
}

/** Measures every configuration and returns the results. */
export async function benchJournal(
  options: { adds?: number; producers?: number } = {},
): Promise<JournalBenchResult[]> {
  const adds = options.adds ?? 100_000;
  const producers = options.producers ?? 64;
  const results: JournalBenchResult[] = [];
  const dir = await Deno.makeTempDir({ prefix: "journal-bench-" });
  try {
    for (const [label, count, done] of [["add", adds, false], ["add+done", adds, true]] as const) {
      for (const p of [producers, 1]) {
        const n = p === 1 ? Math.min(count, 5_000) : count;
        results.push({
          name: `in-memory ${label}`,
          producers: p,
          adds: n,
          addsPerSec: await drive(memorySink(), n, p, done),
        });
        for (const fsync of [false, true]) {
          const path = `${dir}/${label}-${p}-${fsync}`;
          const { journal } = await Journal.open(path, { fsync });
          const addsPerSec = await drive(journal, n, p, done);
          results.push({
            name: `journal fsync=${fsync ? "on" : "off"} ${label}`,
            producers: p,
            adds: n,
            addsPerSec,
            syncs: journal.stats.syncs,
            compactions: journal.stats.compactions,
          });
          await journal.close();
        }
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return results;
}

if (import.meta.main) {
  const flag = (name: string) => {
    const index = Deno.args.indexOf(`--${name}`);
    return index >= 0 ? Number(Deno.args[index + 1]) : undefined;
  };
  const results = await benchJournal({ adds: flag("adds"), producers: flag("producers") });
  for (const r of results) {
    const extra = r.syncs === undefined ? "" : `  syncs ${r.syncs}  compactions ${r.compactions}`;
    console.log(
      `${r.name.padEnd(28)} producers ${String(r.producers).padStart(3)}  ` +
        `${Math.round(r.addsPerSec).toLocaleString("en-US").padStart(10)} adds/s${extra}`,
    );
  }
  const out = new URL("./results/", import.meta.url).pathname;
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeTextFile(
    `${out}journal_bench.json`,
    JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + "\n",
  );
}
