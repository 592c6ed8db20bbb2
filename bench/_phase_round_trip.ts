// 2. Round trip: Ping on one connection to the daemon (through the client, and as raw
// frames) against a raw echo of a same-size frame between two Deno processes, with both
// ends on the same core, on different cores, and left to the scheduler.

import { encodeRequest } from "../protocol/mod.ts";
import { allowedCpus, expandCpus, pin } from "./_affinity.ts";
import { FrameConn } from "./_raw_socket.ts";
import { summarize, type Summary } from "./_stats.ts";
import type { BenchContext } from "./_context.ts";
import type { Row } from "./_report.ts";

interface Placement {
  readonly name: string;
  readonly client: string;
  readonly server: string;
  readonly pinned: boolean;
}

function placements(): Placement[] {
  const allowed = allowedCpus();
  const cpus = allowed ? expandCpus(allowed) : [];
  const unpinned = {
    name: "unpinned",
    client: allowed ?? "",
    server: allowed ?? "",
    pinned: false,
  };
  if (cpus.length < 2 || !pin(Deno.pid, allowed!)) return [unpinned];
  const [first, second] = [String(cpus[0]), String(cpus[1])];
  return [
    { name: "same core", client: first, server: first, pinned: true },
    { name: "cross core", client: first, server: second, pinned: true },
    unpinned,
  ];
}

export async function runRoundTrip(context: BenchContext): Promise<void> {
  context.progress("round trip");
  const { roundTripSamples: samples, roundTripWarmup: warmup } = context.sizes;
  const pingFrame = encodeRequest({ type: "ping", id: 1 });
  const token = Deno.readTextFileSync(context.home.paths.tokenPath).trim();
  const servers = [context.echo.pid, context.home.daemonPid];

  const echo = await FrameConn.open(context.echo.socketPath);
  const raw = await FrameConn.open(context.home.paths.socketPath);
  await raw.hello(token);
  const client = await context.home.connect();
  const results: Record<string, { echo: Summary; raw: Summary; client: Summary }> = {};
  const all = placements();
  try {
    for (const placement of all) {
      if (placement.client) {
        pin(Deno.pid, placement.client);
        for (const pid of servers) pin(pid, placement.server);
      }
      for (let i = 0; i < warmup; i++) {
        await echo.roundTrip(pingFrame);
        await raw.roundTrip(pingFrame);
        await client.ping();
      }
      const series = { echo: [] as number[], raw: [] as number[], client: [] as number[] };
      // Interleaved blocks, so that drift in the machine's load hits all three alike.
      const block = Math.min(200, samples);
      for (let done = 0; done < samples; done += block) {
        const count = Math.min(block, samples - done);
        for (let i = 0; i < count; i++) series.echo.push(await echo.roundTrip(pingFrame));
        for (let i = 0; i < count; i++) series.raw.push(await raw.roundTrip(pingFrame));
        for (let i = 0; i < count; i++) series.client.push(await client.ping());
      }
      results[placement.name] = {
        echo: summarize(series.echo),
        raw: summarize(series.raw),
        client: summarize(series.client),
      };
      if (placement.name === "cross core" || all.length === 1) {
        context.series[`Raw echo, Deno to Deno (${placement.name})`] = series.echo;
        context.series[`Ping through the client (${placement.name})`] = series.client;
      }
    }
  } finally {
    const unpinned = all[all.length - 1]!;
    if (unpinned.client) { for (const pid of [Deno.pid, ...servers]) pin(pid, unpinned.client); }
    echo.close();
    raw.close();
    await client.close();
  }
  context.figures.roundTrip = {
    samples,
    warmup,
    frameBytes: pingFrame.byteLength,
    unit: "ms",
    note: "placements pin every thread of the client and the server with taskset",
    placements: results,
  };
  context.rows.push(...rows(all, results));
}

function rows(
  all: readonly Placement[],
  results: Record<string, { echo: Summary; raw: Summary; client: Summary }>,
): Row[] {
  const section = "2 Round trip (one connection)";
  const out: Row[] = [];
  for (const placement of all) {
    const { echo, raw, client } = results[placement.name]!;
    const us = (ms: number) => ms * 1000;
    const base = (stat: keyof Summary) => ({
      name: `raw echo, ${placement.name}`,
      value: us(echo[stat]),
    });
    const where = placement.name;
    out.push(
      {
        section,
        figure: `Ping p50, client, ${where}`,
        value: us(client.p50),
        unit: "µs",
        baseline: base("p50"),
        ...(placement.pinned
          ? { target: { text: "≤ 2× echo p50", pass: client.p50 <= 2 * echo.p50 } }
          : {}),
      },
      {
        section,
        figure: `Ping p99, client, ${where}`,
        value: us(client.p99),
        unit: "µs",
        baseline: base("p99"),
        ...(placement.pinned ? { target: { text: "< 1 ms", pass: client.p99 < 1 } } : {}),
      },
      {
        section,
        figure: `Ping max, client, ${where}`,
        value: us(client.max),
        unit: "µs",
        baseline: base("max"),
      },
      {
        section,
        figure: `Ping p50, raw frames (no client), ${where}`,
        value: us(raw.p50),
        unit: "µs",
        baseline: base("p50"),
      },
    );
  }
  return out;
}
