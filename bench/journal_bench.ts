/**
 * Journal throughput and cost: tasks per second and CPU time per task with fsync on,
 * beside fsync off and an in-memory baseline measured in the same run.
 *
 * Scenarios:
 * - `add`: producers each await their add before the next, as connections submitting
 *   tasks do.
 * - `add+done`: the same, each producer marking its task done as soon as the add resolved.
 * - `done later`: tasks added beforehand (not measured), then delivered one at a time: a
 *   loopback TCP round trip, then `markDone`, so each done comes in its own event-loop turn
 *   as deliveries to a local ntfy do. Ends with `flush()` so that every record is written
 *   inside the measured time.
 * - `add, done later`: producers add while one deliverer delivers acknowledged tasks the
 *   same way: the daemon under load.
 *
 * CPU is the whole process's (all threads, so the I/O threads' share too), from
 * `process.cpuUsage()`.
 *
 * Run: `deno run -A bench/journal_bench.ts [--adds 100000] [--producers 64] [--out FILE]`
 * Writes `bench/results/journal_bench.json` unless `--out` names another file.
 *
 * @module
 */

import process from "node:process";
import { Journal } from "../daemon/queue/journal.ts";
import type { NotificationTask } from "../protocol/mod.ts";

/** One measured configuration. */
export interface JournalBenchResult {
  /** What was measured. */
  readonly name: string;
  /** Concurrent producers. */
  readonly producers: number;
  /** Tasks added (`done later`: tasks marked done). */
  readonly tasks: number;
  /** Tasks per second: acknowledged adds, or dones written for `done later`. */
  readonly tasksPerSec: number;
  /** Process CPU time (user + system) per task, in microseconds. */
  readonly cpuMicrosPerTask: number;
  /** Write batches made while measured (journal runs only). */
  readonly writes?: number;
  /** fsyncs made while measured (journal runs only). */
  readonly syncs?: number;
  /** Compactions made while measured (journal runs only). */
  readonly compactions?: number;
}

interface Counters {
  readonly writes: number;
  readonly syncs: number;
  readonly compactions: number;
}

interface Sink {
  add(entry: { id: string; task: NotificationTask }): Promise<void>;
  markDone(id: string): void;
  flush(): Promise<void>;
  readonly stats?: Counters;
}

type Scenario = "add" | "add+done" | "done later" | "add, done later";

function task(n: number): NotificationTask {
  return {
    target: { serverUrl: "https://ntfy.sh", topic: "bench-topic" },
    message: { title: "Claude is waiting", body: `webapp: permission to use Write (${n})` },
    origin: { event: "Notification", project: "/home/ada/webapp", createdAt: Date.now() },
  };
}

/**
 * A one-byte round trip over loopback TCP to a server in this process: stands in for a
 * delivery to a local ntfy, so each delivered task finishes in its own event-loop turn.
 */
class LoopbackPing {
  readonly #listener: Deno.TcpListener;
  readonly #client: Deno.TcpConn;
  readonly #server: Deno.TcpConn;
  readonly #echo: Promise<void>;
  readonly #byte = new Uint8Array(1);

  private constructor(listener: Deno.TcpListener, client: Deno.TcpConn, server: Deno.TcpConn) {
    this.#listener = listener;
    this.#client = client;
    this.#server = server;
    this.#echo = (async () => {
      const buffer = new Uint8Array(1);
      try {
        while (await server.read(buffer) !== null) await server.write(buffer);
      } catch {
        // Closed by close().
      }
    })();
  }

  static async open(): Promise<LoopbackPing> {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const [client, server] = await Promise.all([
      Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
      listener.accept(),
    ]);
    client.setNoDelay(true);
    server.setNoDelay(true);
    return new LoopbackPing(listener, client, server);
  }

  async ping(): Promise<void> {
    await this.#client.write(this.#byte);
    if (await this.#client.read(this.#byte) === null) throw new Error("The echo closed");
  }

  async close(): Promise<void> {
    this.#client.close();
    await this.#echo;
    this.#server.close();
    this.#listener.close();
  }
}

async function addAll(sink: Sink, adds: number, producers: number, onAck: (id: string) => void) {
  let next = 0;
  await Promise.all(Array.from({ length: producers }, async () => {
    while (next < adds) {
      const n = next++;
      const id = `b${n}`;
      await sink.add({ id, task: task(n) });
      onAck(id);
    }
  }));
}

/**
 * Runs `scenario` against `sink`: tasks per second, CPU µs per task, and for a journal the
 * writes, syncs and compactions made while measured.
 */
async function drive(sink: Sink, scenario: Scenario, tasks: number, producers: number) {
  const delivery = await LoopbackPing.open();
  try {
    if (scenario === "done later") await addAll(sink, tasks, producers, () => {});
    const before = sink.stats && { ...sink.stats };
    const cpu = process.cpuUsage();
    const start = performance.now();
    if (scenario === "add" || scenario === "add+done") {
      const done = scenario === "add+done";
      await addAll(sink, tasks, producers, (id) => done && sink.markDone(id));
    } else if (scenario === "done later") {
      for (let n = 0; n < tasks; n++) {
        await delivery.ping();
        sink.markDone(`b${n}`);
      }
    } else {
      const acked: string[] = [];
      let adding = true;
      let wake: (() => void) | undefined;
      const added = addAll(sink, tasks, producers, (id) => {
        acked.push(id);
        wake?.();
      }).finally(() => {
        adding = false;
        wake?.();
      });
      for (let n = 0; adding || n < acked.length;) {
        if (n === acked.length) {
          await new Promise<void>((resolve) => wake = resolve);
          wake = undefined;
          continue;
        }
        await delivery.ping();
        sink.markDone(acked[n++]!);
      }
      await added;
    }
    await sink.flush();
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const after = sink.stats;
    return {
      tasksPerSec: tasks / seconds,
      cpuMicrosPerTask: (used.user + used.system) / tasks,
      ...(before && after
        ? {
          writes: after.writes - before.writes,
          syncs: after.syncs - before.syncs,
          compactions: after.compactions - before.compactions,
        }
        : {}),
    };
  } finally {
    await delivery.close();
  }
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
    flush: () => Promise.resolve(),
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
  const scenarios: Scenario[] = ["add", "add+done", "done later", "add, done later"];
  try {
    for (const scenario of scenarios) {
      for (const p of scenario.includes("later") ? [producers] : [producers, 1]) {
        const n = p === 1 ? Math.min(adds, 5_000) : adds;
        const base = { producers: p, tasks: n };
        results.push({
          name: `in-memory ${scenario}`,
          ...base,
          ...await drive(memorySink(), scenario, n, p),
        });
        for (const fsync of [false, true]) {
          const path = `${dir}/${scenario.replaceAll(/\W/g, "_")}-${p}-${fsync}`;
          const { journal } = await Journal.open(path, { fsync });
          results.push({
            name: `journal fsync=${fsync ? "on" : "off"} ${scenario}`,
            ...base,
            ...await drive(journal, scenario, n, p),
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
    return index >= 0 ? Deno.args[index + 1] : undefined;
  };
  const number = (name: string) => flag(name) === undefined ? undefined : Number(flag(name));
  const results = await benchJournal({ adds: number("adds"), producers: number("producers") });
  const n = (value: number) => Math.round(value).toLocaleString("en-US");
  for (const r of results) {
    const extra = r.syncs === undefined
      ? ""
      : `  writes ${n(r.writes!).padStart(7)}  syncs ${n(r.syncs).padStart(6)}  ` +
        `compactions ${r.compactions}`;
    console.log(
      `${r.name.padEnd(37)} p ${String(r.producers).padStart(2)}  ` +
        `${n(r.tasksPerSec).padStart(9)} tasks/s  ` +
        `${r.cpuMicrosPerTask.toFixed(1).padStart(6)} µs CPU/task${extra}`,
    );
  }
  const out = flag("out") ?? new URL("./results/journal_bench.json", import.meta.url).pathname;
  await Deno.mkdir(out.slice(0, out.lastIndexOf("/")) || "/", { recursive: true });
  await Deno.writeTextFile(
    out,
    JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + "\n",
  );
}
