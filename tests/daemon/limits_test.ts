// The daemon's resource limits under load: connection floods, frames at the size limit,
// pipelining past the in-flight limit, stalled frames. It must stay up, refuse what is over
// a limit, keep serving a well-behaved client, and keep its memory bounded.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { connect, type DaemonClient } from "../../client/client.ts";
import { encodeFrame, encodeRequest, ErrorCode } from "../../protocol/mod.ts";
import { rawClient } from "../support/raw_client.ts";
import { DEFAULT_CONNECTION_LIMITS } from "../../daemon/connection.ts";
import { DEFAULT_DAEMON_LIMITS } from "../../daemon/daemon.ts";
import { DEFAULT_SERVER_LIMITS } from "../../daemon/server.ts";
import { sampleTask } from "../protocol/_messages.ts";
import { startChildDaemon, vmRss } from "./_child_daemon.ts";
import { startInProcess } from "./_in_process.ts";

const MB = 1024 * 1024;
const RSS_GROWTH_LIMIT = 300 * MB;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The soft limit on open files of this process. */
function openFileLimit(): number {
  const line = Deno.readTextFileSync("/proc/self/limits").split("\n")
    .find((l) => l.startsWith("Max open files"));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === undefined || soft === "unlimited" ? 1 << 20 : Number(soft);
}

async function authed(path: string, token: string) {
  const client = await rawClient(path);
  await client.write(encodeRequest({ type: "hello", id: 1, version: 1, token }));
  equal((await client.waitFor(1))[0]?.type, "hello");
  return client;
}

/** Pings every few milliseconds until stopped; every ping must succeed. */
function startPinger(client: DaemonClient) {
  let running = true;
  let count = 0;
  let slowest = 0;
  const failures: string[] = [];
  const loop = (async () => {
    while (running) {
      try {
        slowest = Math.max(slowest, await client.ping());
        count += 1;
      } catch (error) {
        failures.push(String(error));
      }
      await sleep(20);
    }
  })();
  return {
    get slowest() {
      return slowest;
    },
    async stop() {
      running = false;
      await loop;
      return { count, slowest, failures };
    },
  };
}

/** Connects, retrying while the listen backlog is full (EAGAIN on a Unix socket). */
async function connectRetrying(path: string): Promise<Deno.UnixConn> {
  for (let attempt = 0;; attempt++) {
    try {
      return await Deno.connect({ transport: "unix", path });
    } catch (error) {
      if (!(error instanceof Deno.errors.WouldBlock) || attempt > 200) throw error;
      await sleep(2);
    }
  }
}

Deno.test("10,000 connections in waves: the daemon refuses those over its limit and keeps serving", async () => {
  const max = DEFAULT_SERVER_LIMITS.maxConnections;
  const total = 10_000;
  const wave = Math.min(2_000, openFileLimit() - 512);
  ok(wave > max, `the open-file limit ${openFileLimit()} is too low for this test`);
  await using d = await startChildDaemon("cn-lim-");
  const client = await connect({ socketPath: d.socketPath, token: d.token });
  const pinger = startPinger(client);
  const baseline = vmRss(d.pid);
  let peak = baseline;
  let opened = 0;
  let refused = 0;
  const active = async () => (await client.status()).connectionsActive;
  try {
    while (opened < total) {
      const size = Math.min(wave, total - opened);
      const conns: Deno.UnixConn[] = [];
      for (let i = 0; i < size; i += 64) {
        const batch = Math.min(64, size - i);
        conns.push(
          ...await Promise.all(
            Array.from({ length: batch }, () => connectRetrying(d.socketPath)),
          ),
        );
      }
      opened += size;
      let ended = 0;
      const reads = conns.map((conn) =>
        conn.read(new Uint8Array(1)).then(() => ended++, () => ended++)
      );
      // All but our client's slot are taken; every connection past that is closed at once.
      const expected = size - (max - 1);
      const deadline = performance.now() + 5_000;
      while (ended < expected && performance.now() < deadline) await sleep(5);
      const endedBefore = ended;
      // The status round trip is the barrier, not a pause: if the daemon holds exactly its
      // limit (our client and max - 1 of this wave), at most `expected` of the wave can be
      // closed, so `endedBefore` (counted before asking) is exactly `expected` or it is wrong.
      equal(await active(), max, "the daemon holds exactly its limit");
      equal(
        endedBefore,
        expected,
        `wave ending at ${opened}: ${endedBefore} refused, expected ${expected}`,
      );
      refused += ended;
      peak = Math.max(peak, vmRss(d.pid));
      ok((await client.ping()) < 1_000, "the authenticated client is served at the limit");
      for (const conn of conns) conn.close();
      await Promise.allSettled(reads);
      const drained = performance.now() + 5_000;
      while ((await active()) > 1 && performance.now() < drained) await sleep(10);
      equal(await active(), 1, "closed connections are released");
    }
    const growth = vmRss(d.pid) - baseline;
    const pings = await pinger.stop();
    console.log(
      `connections: ${opened} opened in waves of ${wave}, ${refused} refused, ` +
        `${pings.count} pings (slowest ${pings.slowest.toFixed(1)} ms), daemon RSS ` +
        `${(baseline / MB).toFixed(0)} MB -> peak ${(peak / MB).toFixed(0)} MB -> ` +
        `${((baseline + growth) / MB).toFixed(0)} MB`,
    );
    deepStrictEqual(pings.failures, [], "every ping succeeded");
    ok(pings.count > 0);
    equal(refused, total - Math.ceil(total / wave) * (max - 1));
    ok(
      peak - baseline < RSS_GROWTH_LIMIT,
      `daemon RSS peaked ${((peak - baseline) / MB).toFixed(0)} MB up`,
    );
    ok(growth < RSS_GROWTH_LIMIT, `daemon RSS grew by ${(growth / MB).toFixed(0)} MB`);
    const status = await client.status();
    ok(
      status.connectionsTotal >= total - refused,
      `${status.connectionsTotal} connections counted`,
    );
  } finally {
    await pinger.stop();
    await client.close();
  }
});

/** A submit frame of about `bytes` bytes whose task has one huge field. */
function hugeSubmit(
  id: number,
  field: "body" | "tags" | "title",
  bytes: number,
  serverUrl = sampleTask.target.serverUrl,
): Uint8Array {
  const message = field === "tags"
    ? { body: "b", tags: Array.from({ length: Math.floor(bytes / 2) }, () => "") }
    : { body: "b", [field]: "x".repeat(bytes) };
  const target = { ...sampleTask.target, serverUrl };
  return encodeFrame(encode({ type: "submit", id, task: { ...sampleTask, target, message } }));
}

Deno.test("wrong-typed huge strings and arrays inside a 1 MiB frame get an Error and the connection keeps serving", async () => {
  await using d = await startInProcess();
  const client = await authed(d.paths.socketPath, d.token);
  const near = MB - 1_024;
  const bigString = "s".repeat(near);
  const frames: Array<[string, Uint8Array, string]> = [
    ["a huge type", encodeFrame(encode({ type: bigString, id: 2 })), ErrorCode.UnknownType],
    [
      "a huge string id",
      encodeFrame(encode({ type: "ping", id: bigString })),
      ErrorCode.InvalidMessage,
    ],
    [
      "a huge hello version",
      encodeFrame(encode({ type: "hello", id: 4, version: bigString })),
      ErrorCode.InvalidMessage,
    ],
    [
      "bin as the topic",
      encodeFrame(encode({
        type: "submit",
        id: 5,
        task: {
          ...sampleTask,
          target: { ...sampleTask.target, topic: new Uint8Array(near - 400) },
        },
      })),
      ErrorCode.InvalidTask,
    ],
    [
      "an array of 100,000 items",
      encodeFrame(encode({ type: "ping", id: 6, pad: new Array(100_000).fill(0) })),
      ErrorCode.MalformedPayload,
    ],
    [
      "a map of 60,000 keys as the task",
      encodeFrame(encode({
        type: "submit",
        id: 7,
        task: Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i])),
      })),
      ErrorCode.InvalidTask,
    ],
    [
      "60,000 number tags",
      encodeFrame(encode({
        type: "submit",
        id: 8,
        task: { ...sampleTask, message: { body: "b", tags: new Array(60_000).fill(1) } },
      })),
      ErrorCode.InvalidTask,
    ],
  ];
  for (const [, frame] of frames) ok(frame.byteLength <= MB + 4, `frame of ${frame.byteLength}`);
  for (const [what, frame, code] of frames) {
    const before = client.responses.length;
    await client.write(frame);
    const responses = await client.waitFor(before + 1);
    const response = responses[before];
    equal(response?.type, "error", `${what}: ${JSON.stringify(response)?.slice(0, 200)}`);
    equal((response as { code: string }).code, code, what);
  }
  await client.write(encodeRequest({ type: "ping", id: 99 }));
  const last = (await client.waitFor(frames.length + 2)).at(-1);
  equal(last?.type, "ok", "the connection still answers");
  equal(last?.id, 99);
  await client.close();
});

Deno.test("a submit with a huge body, title or tag list inside a valid 1 MiB frame gets an Error", async () => {
  await using d = await startInProcess({
    limits: { ...DEFAULT_DAEMON_LIMITS, drainTimeoutMs: 100 },
  });
  const client = await connect({ socketPath: d.paths.socketPath, token: d.token });
  const raw = await authed(d.paths.socketPath, d.token);
  try {
    const cases: Array<[string, Uint8Array]> = [
      ["a 1 MB body", hugeSubmit(2, "body", MB - 1_000)],
      ["a 512 KB title", hugeSubmit(3, "title", 512 * 1024)],
      ["60,000 empty tags", hugeSubmit(4, "tags", 120_000)],
    ];
    const accepted: string[] = [];
    for (const [what, frame] of cases) {
      ok(frame.byteLength <= MB + 4, `${what}: frame of ${frame.byteLength}`);
      const before = raw.responses.length;
      await raw.write(frame);
      const response = (await raw.waitFor(before + 1))[before];
      if (response?.type !== "error") accepted.push(what);
    }
    // The daemon keeps serving: ping() rejects unless it answers.
    await client.ping();
    deepStrictEqual(accepted, [], `accepted and queued: ${accepted.join(", ")}`);
  } finally {
    await raw.close();
    await client.close();
  }
});

Deno.test("memory stays bounded while clients send hundreds of 1 MiB submits", async () => {
  await using d = await startChildDaemon("cn-lim-");
  const client = await connect({ socketPath: d.socketPath, token: d.token });
  const pinger = startPinger(client);
  const baseline = vmRss(d.pid);
  let peak = baseline;
  // Batches under maxProtocolErrors, so that rejected submits do not close the connection.
  const perConnection = 50;
  const connections = 7;
  const frame = hugeSubmit(2, "body", MB - 1_000, d.serverUrl);
  let answered = 0;
  try {
    for (let c = 0; c < connections; c++) {
      const raw = await authed(d.socketPath, d.token);
      try {
        for (let i = 0; i < perConnection; i++) await raw.write(frame);
        answered += (await raw.waitFor(perConnection + 1, 30_000)).length - 1;
        peak = Math.max(peak, vmRss(d.pid));
      } finally {
        await raw.close();
      }
    }
    const growth = vmRss(d.pid) - baseline;
    const pings = await pinger.stop();
    const status = await client.status();
    const held = status.queueSize + status.inFlight + status.retrying;
    console.log(
      `huge submits: ${connections * perConnection} x ${(frame.byteLength / MB).toFixed(2)} MiB, ` +
        `${held} held, daemon RSS ${(baseline / MB).toFixed(0)} MB -> peak ` +
        `${(peak / MB).toFixed(0)} MB -> ${((baseline + growth) / MB).toFixed(0)} MB, ` +
        `slowest ping ${pings.slowest.toFixed(1)} ms`,
    );
    deepStrictEqual(pings.failures, []);
    equal(answered, connections * perConnection, "every submit was answered");
    ok(
      growth < RSS_GROWTH_LIMIT,
      `daemon RSS grew by ${(growth / MB).toFixed(0)} MB (${held} tasks held)`,
    );
  } finally {
    await pinger.stop();
    await client.close();
  }
});

Deno.test("1 MiB frames of nested arrays neither balloon the daemon's memory nor stall other clients", async () => {
  // A daemon in its own process: its peak RSS is its own, and a blocked event loop shows
  // as a slow ping instead of stalling the pinger too.
  await using d = await startChildDaemon("cn-nest-");
  const client = await connect({ socketPath: d.socketPath, token: d.token });
  const attacker = await authed(d.socketPath, d.token);
  // 0x91 0x91 ... 0xc0: [[[...[nil]...]]], a million levels deep in one frame.
  const nested = new Uint8Array(MB - 8).fill(0x91);
  nested[nested.byteLength - 1] = 0xc0;
  const frame = encodeFrame(nested);
  await client.ping();
  const peakBefore = vmRss(d.pid, "VmHWM");
  const pinger = startPinger(client);
  try {
    for (let i = 0; i < 3; i++) await attacker.write(frame);
    // A ping after the frames is the barrier: a connection answers bad frames and pings
    // at once, in the order they came, so anything the frames caused comes before it.
    await attacker.write(encodeRequest({ type: "ping", id: 99 }));
    await attacker.waitFor(5, 30_000);
    const pings = await pinger.stop();
    const peakGrowth = vmRss(d.pid, "VmHWM") - peakBefore;
    console.log(
      `nested frames: daemon peak RSS +${(peakGrowth / MB).toFixed(0)} MB, ` +
        `slowest ping ${pings.slowest.toFixed(1)} ms over ${pings.count} pings`,
    );
    deepStrictEqual(pings.failures, []);
    equal(attacker.responses.length, 5, "hello, each frame once, and the ping were answered");
    ok(attacker.responses.slice(1, 4).every((r) => r.type === "error"), "each got an Error");
    deepStrictEqual(attacker.responses[4], { type: "ok", id: 99 }, "the ping came last");
    // Decoding builds one object per level: ~1M objects from 1 MiB. A depth check first
    // would cost a linear scan and no allocation.
    ok(
      peakGrowth < 64 * MB,
      `one 1 MiB frame raised the daemon's peak RSS by ${(peakGrowth / MB).toFixed(0)} MB`,
    );
    ok(
      pings.slowest < 1_000,
      `a ping waited ${pings.slowest.toFixed(0)} ms behind a nested frame`,
    );
  } finally {
    await pinger.stop();
    await attacker.close();
    await client.close();
  }
});

Deno.test("pipelining past maxInFlight gets retryable TOO_MANY_IN_FLIGHT; the rest are answered", async () => {
  const maxInFlight = 8;
  await using d = await startInProcess({
    limits: {
      ...DEFAULT_DAEMON_LIMITS,
      drainTimeoutMs: 100,
      connection: { ...DEFAULT_CONNECTION_LIMITS, maxInFlight },
    },
    maxQueueSize: 100_000,
  });
  const client = await authed(d.paths.socketPath, d.token);
  // Submits are answered only once the journal has them: they stay in flight for a while.
  // All 40 go out in one write, so the daemon dispatches them in one go.
  const count = 40;
  const task = {
    ...sampleTask,
    target: { ...sampleTask.target, serverUrl: "http://127.0.0.1:9" },
  };
  const frames = Array.from(
    { length: count },
    (_, i) => encodeRequest({ type: "submit", id: 100 + i, task }),
  );
  const batch = new Uint8Array(frames.reduce((sum, f) => sum + f.byteLength, 0));
  frames.reduce((offset, f) => (batch.set(f, offset), offset + f.byteLength), 0);
  await client.write(batch);
  const responses = (await client.waitFor(count + 1)).slice(1);
  equal(responses.length, count, "every request was answered");
  deepStrictEqual(
    responses.map((r) => r.id).sort((a, b) => a - b),
    frames.map((_, i) => 100 + i),
    "each id answered once",
  );
  const limited = responses.filter((r) =>
    r.type === "error" && r.code === ErrorCode.TooManyInFlight
  );
  const accepted = responses.filter((r) => r.type === "ok");
  equal(
    accepted.length + limited.length,
    count,
    JSON.stringify(responses.find((r) => r.type === "error")),
  );
  ok(
    limited.length >= count - 2 * maxInFlight,
    `${limited.length} refused, ${accepted.length} accepted`,
  );
  ok(accepted.length >= maxInFlight, `${accepted.length} accepted`);
  ok(limited.every((r) => r.type === "error" && r.retryable === true), "retryable");
  // After the limit, the connection is in step: one more request is answered normally.
  await client.write(encodeRequest({ type: "ping", id: 7 }));
  const last = (await client.waitFor(count + 2)).at(-1);
  equal(last?.type, "ok");
  await client.close();
});

Deno.test("a connection that sent only a frame header is closed after the partial-frame timeout", async () => {
  await using d = await startInProcess({
    limits: {
      ...DEFAULT_DAEMON_LIMITS,
      server: { ...DEFAULT_SERVER_LIMITS, partialFrameTimeoutMs: 200, idleTimeoutMs: 60_000 },
    },
  });
  const headerOnly = await authed(d.paths.socketPath, d.token);
  const headerAndByte = await authed(d.paths.socketPath, d.token);
  try {
    await headerOnly.write(new Uint8Array([0, 0x0f, 0, 0])); // announces ~1 MiB, sends none
    await headerAndByte.write(new Uint8Array([0, 0x0f, 0, 0, 0x80]));
    ok(await headerAndByte.waitClosed(3_000), "header + 1 byte: closed");
    ok(
      await headerOnly.waitClosed(3_000),
      "header only: still open after 3 s (60 s idle timeout)",
    );
  } finally {
    await headerOnly.close();
    await headerAndByte.close();
  }
});
