// 5. Delivery latency: from the hook's spawn, from a client's submit and from a client's
// connect to the message's arrival at the loopback ntfy server, against the file-polling
// design's drop-to-pickup time. Also measures the HTTP floor for the delivery rate, which
// the memory phase compares the daemon's rate with.

import { connect } from "../client/client.ts";
import { measureFilePolling } from "./_file_polling.ts";
import { typicalTask } from "./_messages.ts";
import { summarize, type Summary } from "./_stats.ts";
import type { BenchContext } from "./_context.ts";

async function submitToArrival(context: BenchContext, reconnect: boolean): Promise<number[]> {
  const { home, arrivals } = context;
  const task = typicalTask(arrivals.url);
  const samples: number[] = [];
  const open = () =>
    connect({
      socketPath: home.paths.socketPath,
      tokenPath: home.paths.tokenPath,
      connectTimeoutMs: 1_000,
      requestTimeoutMs: 5_000,
      clientName: "claude-ntfy-bench",
    });
  let client = reconnect ? undefined : await open();
  try {
    const total = context.sizes.arrivalSamples + 10;
    for (let i = 0; i < total; i++) {
      const expected = arrivals.count + 1;
      const started = performance.now();
      if (reconnect) client = await open();
      await client!.submit(task);
      if (reconnect) await client!.close();
      const arrived = await arrivals.until(expected, 10_000);
      // The first ten warm up both ends.
      if (i >= 10) samples.push(arrived - started);
    }
  } finally {
    await client?.close();
  }
  return samples;
}

/** Runs the floor for the delivery rate: plain fetch POSTs from another Deno process. */
async function directFetchRate(context: BenchContext): Promise<{ perSecond: number; ms: number }> {
  const total = context.sizes.directFetches;
  const expected = context.arrivals.count + total;
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      "--quiet",
      new URL("./_fetch_client.ts", import.meta.url).pathname,
      context.arrivals.url,
      String(total),
      "8",
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`_fetch_client.ts exited with ${output.code}`);
  const result = JSON.parse(new TextDecoder().decode(output.stdout)) as { ms: number };
  await context.arrivals.until(expected, 60_000);
  return { perSecond: (total / result.ms) * 1000, ms: result.ms };
}

export async function runDelivery(context: BenchContext): Promise<void> {
  context.progress("delivery: file-polling baseline");
  const polling = await measureFilePolling({
    dir: `${context.scratch}/polling`,
    task: typicalTask(context.arrivals.url),
    drops: context.sizes.pollingDrops,
    spanMs: context.sizes.pollingSpanMs,
  });
  const pickup = summarize(polling.pickup);
  context.series["File polling every 100 ms, drop → pickup"] = polling.pickup;

  context.progress("delivery: submit → arrival");
  const openSamples = await submitToArrival(context, false);
  const reconnectSamples = await submitToArrival(context, true);
  const open = summarize(openSamples);
  const reconnect = summarize(reconnectSamples);
  context.series["Submit → arrival at ntfy (client)"] = openSamples;

  context.progress("delivery: HTTP floor");
  const direct = await directFetchRate(context);
  const hook = (context.figures.endToEnd as { hookToArrival: Summary } | undefined)
    ?.hookToArrival;
  context.figures.delivery = {
    unit: "ms",
    filePolling: { intervalMs: 100, pickup, delivered: summarize(polling.delivered) },
    submitToArrivalOpenConnection: open,
    connectSubmitToArrival: reconnect,
    hookSpawnToArrival: hook,
    directFetch: { total: context.sizes.directFetches, concurrency: 8, ...direct },
  };

  const section = "5 Delivery (to loopback ntfy)";
  const base = (stat: "p50" | "p99") => ({
    name: "file polling drop → pickup",
    value: pickup[stat],
  });
  if (hook) {
    const floor = (context.figures.endToEnd as
      | { variants?: Record<string, { wall?: { p50: number } }> }
      | undefined)?.variants?.empty?.wall?.p50;
    context.rows.push(
      {
        section,
        figure: "Hook spawn → arrival p50",
        value: hook.p50,
        unit: "ms",
        baseline: base("p50"),
        target: floor === undefined ? undefined : {
          text: `≤ floor + 3 ms (${(floor + 3).toFixed(1)})`,
          pass: hook.p50 <= floor + 3,
        },
      },
      {
        section,
        figure: "Hook spawn → arrival p99",
        value: hook.p99,
        unit: "ms",
        baseline: base("p99"),
      },
    );
    const minimal = (context.figures.endToEnd as { minimalToArrival?: Summary } | undefined)
      ?.minimalToArrival;
    if (minimal) {
      context.rows.push({
        section,
        figure: "Hook spawn → arrival p50, against the minimal forwarder's",
        value: hook.p50,
        unit: "ms",
        baseline: { name: "minimal forwarder spawn → arrival", value: minimal.p50 },
      });
    }
  }
  context.rows.push(
    {
      section,
      figure: "Connect + submit → arrival p50 (hook minus process start)",
      value: reconnect.p50,
      unit: "ms",
      baseline: base("p50"),
      target: { text: "< 5 ms", pass: reconnect.p50 < 5 },
    },
    {
      section,
      figure: "Connect + submit → arrival p99",
      value: reconnect.p99,
      unit: "ms",
      baseline: base("p99"),
    },
    {
      section,
      figure: "Submit → arrival p50 (open connection)",
      value: open.p50,
      unit: "ms",
      baseline: base("p50"),
    },
    {
      section,
      figure: "Submit → arrival p99 (open connection)",
      value: open.p99,
      unit: "ms",
      baseline: base("p99"),
    },
  );
}
