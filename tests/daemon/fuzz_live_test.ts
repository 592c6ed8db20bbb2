// Fuzzing a live daemon over its socket: thousands of mutated and random frames on many
// connections, some authenticated first, some not. The daemon must answer only well-formed
// responses with known codes (never INTERNAL), close nothing it should keep, and still
// answer a fresh client afterwards.
//
// Replay a run with FUZZ_SEED=<seed> (printed in the test names).
import { HookInputErrorCode } from "../../core/events/hook_input_error.ts";
import { equal, ok } from "node:assert/strict";
import { connect } from "../../client/client.ts";
import { RemoteError } from "../../client/errors.ts";
import {
  decodeRequest,
  decodeResponse,
  DEFAULT_MAX_FRAME_BYTES,
  encodeRequest,
  ErrorCode,
  FrameDecoder,
  type Request,
  type Response,
} from "../../protocol/mod.ts";
import { DEFAULT_DAEMON_LIMITS } from "../../daemon/daemon.ts";
import { SeededRandom, seedFromEnv } from "../support/seeded_random.ts";
import { processAlive } from "../support/cli_process.ts";
import { startChildDaemon } from "./_child_daemon.ts";
import { fuzzCase, randomTask } from "../protocol/_fuzz_cases.ts";
import { concatBytes } from "../../protocol/concat_bytes.ts";
import { startInProcess } from "./_in_process.ts";

const SEED = seedFromEnv("FUZZ_SEED");
/** The protocol's codes, and what a hook event's payload can be refused for. */
const KNOWN_CODES: ReadonlySet<string> = new Set([
  ...Object.values(ErrorCode),
  ...Object.values(HookInputErrorCode),
]);
const SENTINEL_ID = 0xffff_fffe;

interface LiveFindings {
  cases: number;
  connections: number;
  authenticated: number;
  responses: number;
  closedByDaemon: number;
  codes: Map<string, number>;
  violations: string[];
}

/** The valid requests a stream holds, as the daemon's decoder will see them. */
function requestsIn(stream: Uint8Array): Request[] {
  const decoder = new FrameDecoder();
  const requests: Request[] = [];
  try {
    // Frame by frame, as the daemon reads them: frames before an oversize header count
    // (a valid shutdown slipped through when they were dropped).
    decoder.each(stream, (payload) => {
      try {
        requests.push(decodeRequest(payload));
      } catch {
        // A bad payload is what we want to send.
      }
    });
  } catch {
    // An oversize header: the daemon stops reading there too.
  }
  return requests;
}

/** Whether `bytes` is a whole number of frames under the limit (the stream stays in step). */
function keepsFraming(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.byteLength) {
    if (bytes.byteLength - offset < 4) return false;
    const length = view.getUint32(offset);
    if (length > DEFAULT_MAX_FRAME_BYTES || bytes.byteLength - offset - 4 < length) return false;
    offset += 4 + length;
  }
  return true;
}

/**
 * Builds one connection's stream: `count` cases that keep the framing in step, so the
 * daemon reads them all, and now and then one that breaks it at the end. Never holds a
 * request the run must not send.
 */
function connectionStream(
  rng: SeededRandom,
  count: number,
  allowed: (request: Request) => boolean,
  hugeRate: number,
): Uint8Array {
  let stream: Uint8Array = new Uint8Array(0);
  const breakAtEnd = rng.chance(0.5);
  for (let i = 0; i < count; i++) {
    const last = i === count - 1;
    for (let attempt = 0; attempt < 100; attempt++) {
      const bytes = fuzzCase(rng, { hugeRate }).bytes;
      if (!(last && breakAtEnd) && !keepsFraming(bytes)) continue;
      const next = concatBytes([stream, bytes]);
      // Check what the daemon will see: the sentinel ping written after the stream can
      // complete a frame cut short at the end (a shutdown slipped through that way).
      const seen = concatBytes([next, encodeRequest({ type: "ping", id: SENTINEL_ID })]);
      if (!requestsIn(next).every(allowed) || !requestsIn(seen).every(allowed)) continue;
      stream = next;
      break;
    }
  }
  return stream;
}

async function fuzzConnection(
  socketPath: string,
  token: string,
  rng: SeededRandom,
  authenticate: boolean,
  stream: Uint8Array,
  findings: LiveFindings,
): Promise<void> {
  const conn = await Deno.connect({ transport: "unix", path: socketPath });
  findings.connections += 1;
  const decoder = new FrameDecoder();
  const responses: Response[] = [];
  let closed = false;
  const reading = (async () => {
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const n = await conn.read(buffer);
        if (n === null) break;
        for (const payload of decoder.push(buffer.slice(0, n))) {
          try {
            responses.push(decodeResponse(payload));
          } catch (error) {
            findings.violations.push(`the daemon sent a response that does not decode: ${error}`);
          }
        }
      }
    } catch {
      // Reset by the daemon: same as closed.
    }
    closed = true;
  })();
  const waitUntil = async (done: () => boolean, ms: number) => {
    const deadline = performance.now() + ms;
    while (!done() && !closed && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  try {
    if (authenticate) {
      findings.authenticated += 1;
      await conn.write(encodeRequest({ type: "hello", id: 1, version: 1, token }));
      await waitUntil(() => responses.length > 0, 2_000);
      if (responses[0]?.type !== "hello") {
        findings.violations.push(`hello was answered with ${JSON.stringify(responses[0])}`);
      }
    }
    // Random chunks, now and then a pause so the daemon sees the pieces separately.
    for (let at = 0; at < stream.byteLength && !closed;) {
      const size = rng.range(1, rng.chance(0.2) ? 16 : 64 * 1024);
      try {
        await conn.write(stream.subarray(at, at + size));
      } catch {
        break; // The daemon closed the connection: expected after many kinds of error.
      }
      at += size;
      if (rng.chance(0.05)) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    if (authenticate && !closed) {
      try {
        await conn.write(encodeRequest({ type: "ping", id: SENTINEL_ID }));
      } catch {
        // closed meanwhile
      }
      await waitUntil(() => responses.some((r) => r.id === SENTINEL_ID), 150);
    } else {
      await waitUntil(() => false, 20);
    }
  } finally {
    if (closed) findings.closedByDaemon += 1;
    try {
      conn.close();
    } catch {
      // closed by the daemon
    }
    await reading;
  }
  findings.responses += responses.length;
  for (const response of responses) {
    if (response.type !== "error") continue;
    findings.codes.set(response.code, (findings.codes.get(response.code) ?? 0) + 1);
    if (!KNOWN_CODES.has(response.code) || response.code === ErrorCode.Internal) {
      findings.violations.push(
        `the daemon answered ${response.code}: ${response.message.slice(0, 200)}`,
      );
    }
  }
}

/** Fuzzes `connections` connections, `concurrency` at a time. */
async function fuzzDaemon(
  socketPath: string,
  token: string,
  options: {
    seed: number;
    connections: number;
    /** Cases per authenticated connection; unauthenticated ones close at the first error. */
    casesPerConnection: number;
    concurrency: number;
    allowed: (request: Request) => boolean;
    hugeRate: number;
  },
): Promise<LiveFindings> {
  const master = new SeededRandom(options.seed);
  const findings: LiveFindings = {
    cases: 0,
    connections: 0,
    authenticated: 0,
    responses: 0,
    closedByDaemon: 0,
    codes: new Map(),
    violations: [],
  };
  let next = 0;
  const worker = async () => {
    while (next < options.connections) {
      next += 1;
      const rng = new SeededRandom(master.uint32());
      const authenticate = rng.chance(0.5);
      const count = authenticate ? options.casesPerConnection : rng.range(1, 2);
      const stream = connectionStream(rng, count, options.allowed, options.hugeRate);
      await fuzzConnection(socketPath, token, rng, authenticate, stream, findings);
      findings.cases += count;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return findings;
}

function summary(findings: LiveFindings): string {
  return `${findings.cases} cases on ${findings.connections} connections ` +
    `(${findings.authenticated} authenticated, ${findings.closedByDaemon} closed by the daemon), ` +
    `${findings.responses} responses, error codes ${
      JSON.stringify(Object.fromEntries(findings.codes))
    }`;
}

/** A shutdown would end the run; everything else is fair game. */
const notShutdown = (request: Request) => request.type !== "shutdown";

Deno.test(`fuzz: a live in-process daemon survives thousands of bad frames (FUZZ_SEED=${SEED})`, async () => {
  await using d = await startInProcess({
    limits: { ...DEFAULT_DAEMON_LIMITS, drainTimeoutMs: 200 },
    publish: () => Promise.resolve({ id: "fuzz" }),
  });
  const findings = await fuzzDaemon(d.paths.socketPath, d.token, {
    seed: SEED,
    connections: 1_000,
    casesPerConnection: 8,
    concurrency: 16,
    allowed: notShutdown,
    hugeRate: 0.003,
  });
  console.log(`live fuzz (in-process): FUZZ_SEED=${SEED}, ${summary(findings)}`);
  ok(findings.cases >= 3_000, `only ${findings.cases} cases ran`);
  const after = d.daemon.status();
  const handled = after.protocolErrors +
    Object.values(after.requests).reduce((sum, n) => sum + n, 0);
  console.log(`the daemon handled ${handled} frames, ${after.protocolErrors} of them bad`);
  ok(handled >= 3_000, `the daemon saw only ${handled} frames`);
  equal(
    findings.violations.length,
    0,
    `FUZZ_SEED=${SEED}:\n${[...new Set(findings.violations)].slice(0, 20).join("\n")}`,
  );

  const client = await connect({ socketPath: d.paths.socketPath, token: d.token });
  try {
    // ping() resolving is the assertion: it rejects unless the daemon answers.
    await client.ping();
    const status = await client.status();
    ok(status.protocolErrors > 0, "protocol errors were counted");
    equal(status.protocolErrors, d.daemon.status().protocolErrors);
    ok(
      status.connectionsTotal >= findings.connections,
      `${status.connectionsTotal} connections counted`,
    );
    // Every fuzz connection is gone once the clients have closed theirs.
    const deadline = performance.now() + 3_000;
    while (d.daemon.status().connectionsActive > 1 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    equal(d.daemon.status().connectionsActive, 1, "only the fresh client is left");
  } finally {
    await client.close();
  }
});

Deno.test("a submit whose serverUrl only looks like a URL gets INVALID_TASK, not INTERNAL", async () => {
  await using d = await startInProcess({ publish: () => Promise.resolve({ id: "x" }) });
  const client = await connect({ socketPath: d.paths.socketPath, token: d.token });
  try {
    const task = randomTask(new SeededRandom(3));
    for (const serverUrl of ["http://[", "https://a b", "http://x:99999"]) {
      const error = await client
        .submit({ ...task, target: { ...task.target, serverUrl } })
        .then(() => undefined, (error: unknown) => error);
      ok(error instanceof RemoteError, `${serverUrl} was accepted`);
      equal(error.code, ErrorCode.InvalidTask, `${serverUrl}: ${error.message}`);
    }
    // The connection still works: ping() rejects unless the daemon answers on it.
    await client.ping();
  } finally {
    await client.close();
  }
});

Deno.test({
  name: `fuzz: a real daemon process survives bad frames (FUZZ_SEED=${SEED})`,
  async fn() {
    await using d = await startChildDaemon("cn-fuzz-");
    const findings = await fuzzDaemon(d.socketPath, d.token, {
      seed: SEED ^ 0x5eed,
      connections: 300,
      casesPerConnection: 8,
      concurrency: 8,
      // No deliveries from a real daemon, and no shutdown.
      allowed: (request) =>
        request.type !== "shutdown" && request.type !== "submit" && request.type !== "event",
      hugeRate: 0.003,
    });
    console.log(`live fuzz (child process): FUZZ_SEED=${SEED}, ${summary(findings)}`);
    equal(
      findings.violations.length,
      0,
      `FUZZ_SEED=${SEED}:\n${[...new Set(findings.violations)].slice(0, 20).join("\n")}`,
    );
    ok(processAlive(d.pid), "the daemon process is alive");
    const client = await connect({ socketPath: d.socketPath, token: d.token });
    try {
      // ping() resolving is the assertion: it rejects unless the daemon answers.
      await client.ping();
      const status = await client.status();
      equal(status.pid, d.pid);
      ok(status.protocolErrors > 0, "protocol errors were counted");
    } finally {
      await client.close();
    }
    const stopped = await d.home.run(["daemon", "stop"]);
    equal(stopped.code, 0, stopped.stderr);
  },
});
