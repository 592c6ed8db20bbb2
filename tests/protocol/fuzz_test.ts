// Fuzzing the pure protocol: every byte stream, however mangled, must come out of
// FrameDecoder + decodeRequest as valid requests (that survive a round trip) or as a
// ProtocolError with a known code; never another exception, never a hang.
//
// Replay a run with FUZZ_SEED=<seed> (printed in the test name); FUZZ_CASES sets the count.
import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import {
  decodeFrame,
  decodeRequest,
  DEFAULT_MAX_FRAME_BYTES,
  encodeRequest,
  ErrorCode,
  FrameDecoder,
  FrameDecoderStream,
  MAX_REQUEST_ID,
  ProtocolError,
  type Request,
  REQUEST_TYPES,
} from "../../protocol/mod.ts";
import { SeededRandom, seedFromEnv } from "../support/seeded_random.ts";
import { type FuzzCase, fuzzCase, randomRequest, randomTask } from "./_fuzz_cases.ts";

const SEED = seedFromEnv("FUZZ_SEED");
const CASES = Number(Deno.env.get("FUZZ_CASES") ?? 100_000);
const SLOW_CASE_MS = 2_000;
/** Share of cases near the 1 MiB frame limit: ~400 per 100,000, most of the runtime. */
const HUGE_RATE = 0.004;
const MAX_ERROR_MESSAGE_CHARS = 1_000;

const DECODER_CODES: ReadonlySet<string> = new Set([ErrorCode.FrameTooLarge]);
const FRAME_CODES: ReadonlySet<string> = new Set([
  ErrorCode.FrameTooLarge,
  ErrorCode.TruncatedFrame,
]);
const REQUEST_CODES: ReadonlySet<string> = new Set([
  ErrorCode.MalformedPayload,
  ErrorCode.InvalidMessage,
  ErrorCode.UnknownType,
  ErrorCode.InvalidTask,
]);
const REQUEST_KEYS: Readonly<Record<string, readonly string[]>> = {
  hello: ["type", "id", "version", "token", "client"],
  submit: ["type", "id", "task"],
  event: ["type", "id", "payload", "context"],
  retry: ["type", "id", "taskIds", "all"],
};

/** What a correct splitter makes of a whole stream: the spec the decoder is held to. */
function referenceSplit(bytes: Uint8Array, max: number) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: Uint8Array[] = [];
  let offset = 0;
  while (true) {
    const left = bytes.byteLength - offset;
    if (left < 4) return { frames, tooLarge: false, leftover: left };
    const length = view.getUint32(offset);
    if (length > max) return { frames, tooLarge: true, leftover: 0 };
    if (left - 4 < length) return { frames, tooLarge: false, leftover: left };
    frames.push(bytes.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Splits `bytes` into random chunks: whole, one byte at a time (small inputs) or random. */
function chunks(rng: SeededRandom, bytes: Uint8Array): Uint8Array[] {
  const mode = rng.int(bytes.byteLength <= 4_096 ? 4 : 3);
  if (mode === 0 || bytes.byteLength === 0) return [bytes];
  if (mode === 3) return Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  const out: Uint8Array[] = [];
  const most = mode === 1 ? 8 : Math.max(1, Math.ceil(bytes.byteLength / rng.range(1, 64)) * 2);
  for (let at = 0; at < bytes.byteLength;) {
    const size = rng.range(1, most);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

/** -0 and 0 are one value on the wire (msgpack has no integer -0). */
function normalize(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

function hex(bytes: Uint8Array, max = 48): string {
  const shown = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, "0"));
  return shown.join(" ") + (bytes.byteLength > max ? ` ... (${bytes.byteLength} bytes)` : "");
}

interface Violation {
  count: number;
  example: string;
}

class Findings {
  readonly violations = new Map<string, Violation>();
  readonly outcomes = new Map<string, number>();
  frames = 0;
  valid = 0;

  count(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  flag(category: string, detail: string): void {
    const seen = this.violations.get(category);
    if (seen) seen.count += 1;
    else this.violations.set(category, { count: 1, example: detail });
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : String(error);
}

function checkProtocolError(
  findings: Findings,
  error: unknown,
  codes: ReadonlySet<string>,
  where: string,
  context: string,
): boolean {
  if (!(error instanceof ProtocolError)) {
    findings.flag(`${where} threw a non-ProtocolError`, `${context}: ${describeError(error)}`);
    return false;
  }
  if (!codes.has(error.code)) {
    findings.flag(`${where} used an unexpected code ${error.code}`, `${context}: ${error.message}`);
  }
  if (
    error.requestId !== undefined &&
    !(Number.isInteger(error.requestId) && error.requestId >= 0 &&
      error.requestId <= MAX_REQUEST_ID)
  ) {
    findings.flag(`${where} gave an invalid requestId`, `${context}: ${error.requestId}`);
  }
  if (typeof error.message !== "string" || error.message.length === 0) {
    findings.flag(`${where} gave an empty message`, context);
  } else if (error.message.length > MAX_ERROR_MESSAGE_CHARS) {
    findings.flag(
      `${where} echoed input into an error message over ${MAX_ERROR_MESSAGE_CHARS} chars`,
      `${context}: ${error.code}, ${error.message.length} chars: ${error.message.slice(0, 100)}...`,
    );
  }
  return true;
}

function checkRequest(findings: Findings, request: Request, context: string): void {
  findings.valid += 1;
  findings.count(`valid ${request.type}`);
  if (!REQUEST_TYPES.includes(request.type)) {
    findings.flag("decodeRequest() returned an unknown type", `${context}: ${request.type}`);
  }
  if (!(Number.isInteger(request.id) && request.id >= 0 && request.id <= MAX_REQUEST_ID)) {
    findings.flag("decodeRequest() returned an invalid id", `${context}: ${request.id}`);
  }
  const allowed = REQUEST_KEYS[request.type] ?? ["type", "id"];
  const extra = Object.keys(request).filter((key) => !allowed.includes(key));
  if (extra.length > 0) {
    findings.flag("decodeRequest() kept unknown fields", `${context}: ${extra}`);
  }
  if (request.type === "submit") {
    const url = request.task.target.serverUrl;
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      findings.flag(
        "decodeRequest() accepted a submit whose serverUrl is not an http(s) URL",
        `${context}: ${JSON.stringify(url.slice(0, 80))}`,
      );
    }
  }
  let frame: Uint8Array;
  try {
    frame = encodeRequest(request);
  } catch (error) {
    findings.flag(
      "a request decodeRequest() accepted cannot be encoded again",
      `${context}: ${request.type} ${describeError(error)}`,
    );
    return;
  }
  try {
    const back = decodeRequest(decodeFrame(frame));
    deepStrictEqual(normalize(back), normalize(request));
    if (!sameBytes(encodeRequest(back), frame)) throw new Error("re-encoding is not stable");
  } catch (error) {
    findings.flag(
      "an accepted request does not survive a round trip",
      `${context}: ${describeError(error)}`,
    );
  }
}

/** Runs one case through a chunked decoder, checks it against the reference and decodes. */
function runCase(findings: Findings, rng: SeededRandom, input: FuzzCase, context: string): void {
  const reference = referenceSplit(input.bytes, DEFAULT_MAX_FRAME_BYTES);

  // The whole buffer at once must split exactly like the reference.
  try {
    const whole = new FrameDecoder();
    const frames = whole.push(input.bytes);
    if (reference.tooLarge) findings.flag("FrameDecoder missed an oversize header", context);
    else if (
      frames.length !== reference.frames.length ||
      frames.some((frame, i) => !sameBytes(frame, reference.frames[i]!))
    ) findings.flag("FrameDecoder split a whole buffer wrongly", context);
    if ((whole.bufferedBytes > 0) !== (reference.leftover > 0)) {
      findings.flag(
        "FrameDecoder.bufferedBytes disagrees with the bytes of an unfinished frame",
        `${context}: bufferedBytes ${whole.bufferedBytes}, unfinished frame holds ${reference.leftover} bytes`,
      );
    }
  } catch (error) {
    if (checkProtocolError(findings, error, DECODER_CODES, "FrameDecoder.push()", context)) {
      if (!reference.tooLarge) {
        findings.flag("FrameDecoder rejected a frame under the limit", context);
      }
    }
  }

  // Random chunks: the frames delivered before any error are a prefix of the reference.
  const decoder = new FrameDecoder();
  const delivered: Uint8Array[] = [];
  let failed = false;
  for (const chunk of chunks(rng, input.bytes)) {
    try {
      delivered.push(...decoder.push(chunk));
    } catch (error) {
      failed = true;
      findings.count("FRAME_TOO_LARGE");
      checkProtocolError(findings, error, DECODER_CODES, "FrameDecoder.push()", context);
      break;
    }
  }
  if (failed !== reference.tooLarge) {
    findings.flag("chunked FrameDecoder disagrees on an oversize header", context);
  }
  if (
    delivered.length > reference.frames.length ||
    delivered.some((frame, i) => !sameBytes(frame, reference.frames[i]!)) ||
    (!failed && delivered.length !== reference.frames.length)
  ) findings.flag("chunked FrameDecoder delivered different frames", context);

  // decodeFrame() on the whole buffer: one frame or a framing error.
  try {
    decodeFrame(input.bytes);
  } catch (error) {
    checkProtocolError(findings, error, FRAME_CODES, "decodeFrame()", context);
  }

  for (const payload of delivered) {
    findings.frames += 1;
    let request: Request;
    try {
      request = decodeRequest(payload);
    } catch (error) {
      if (checkProtocolError(findings, error, REQUEST_CODES, "decodeRequest()", context)) {
        findings.count((error as ProtocolError).code);
      }
      continue;
    }
    checkRequest(findings, request, `${context} payload ${hex(payload)}`);
  }
}

Deno.test(
  `fuzz: ${CASES} mutated and random frames through FrameDecoder and decodeRequest (FUZZ_SEED=${SEED})`,
  () => {
    const master = new SeededRandom(SEED);
    const findings = new Findings();
    const kinds = new Map<string, number>();
    const started = performance.now();
    let slowest = 0;
    let bytes = 0;
    for (let i = 0; i < CASES; i++) {
      const caseSeed = master.uint32();
      const rng = new SeededRandom(caseSeed);
      const t0 = performance.now();
      const input = fuzzCase(rng, { hugeRate: HUGE_RATE });
      kinds.set(input.kind, (kinds.get(input.kind) ?? 0) + 1);
      bytes += input.bytes.byteLength;
      const context = `case ${i} (${input.kind}, case seed ${caseSeed}) bytes ${hex(input.bytes)}`;
      try {
        runCase(findings, rng, input, context);
      } catch (error) {
        findings.flag("the fuzz harness itself threw", `${context}: ${describeError(error)}`);
      }
      const took = performance.now() - t0;
      slowest = Math.max(slowest, took);
      if (took > SLOW_CASE_MS) {
        findings.flag(`a case took over ${SLOW_CASE_MS} ms`, `${context}: ${Math.round(took)} ms`);
      }
    }
    const elapsed = performance.now() - started;
    console.log(
      `fuzz: FUZZ_SEED=${SEED}, ${CASES} cases (${
        [...kinds].map(([k, n]) => `${k} ${n}`).join(", ")
      }), ` +
        `${
          (bytes / 1e6).toFixed(1)
        } MB, ${findings.frames} frames, ${findings.valid} valid requests, ` +
        `outcomes ${JSON.stringify(Object.fromEntries(findings.outcomes))}, ` +
        `${Math.round(elapsed)} ms, slowest case ${Math.round(slowest)} ms`,
    );
    const report = [...findings.violations].map(([category, v]) =>
      `- ${category} (${v.count}x), first: ${v.example}`
    );
    equal(
      report.length,
      0,
      `FUZZ_SEED=${SEED} found ${report.length} kinds of violation:\n${report.join("\n")}`,
    );
    ok(findings.valid > 0 && findings.frames > CASES / 2, "the generator reaches the decoder");
  },
);

// Pinned cases the fuzzer found or aims at, kept deterministic.

Deno.test("FrameDecoder counts a frame whose header has arrived as unfinished", () => {
  const decoder = new FrameDecoder();
  deepStrictEqual(decoder.push(new Uint8Array([0, 0, 0, 10])), []);
  ok(decoder.bufferedBytes > 0, `bufferedBytes is ${decoder.bufferedBytes} inside a frame`);
});

Deno.test("FrameDecoderStream fails with TRUNCATED_FRAME when input ends right after a header", async () => {
  const input = ReadableStream.from([new Uint8Array([0, 0, 0, 10])]);
  let caught: unknown;
  try {
    for await (const _ of input.pipeThrough(new FrameDecoderStream())) {
      // no frame expected
    }
  } catch (error) {
    caught = error;
  }
  ok(caught instanceof ProtocolError, `expected TRUNCATED_FRAME, got ${caught}`);
  equal(caught.code, ErrorCode.TruncatedFrame);
});

Deno.test("decodeRequest() refuses a hello it could not encode again (invalid UTF-8 grows 3x)", () => {
  // A str of 0xff bytes decodes to U+FFFD (3 bytes each): 400 KB in, 1.2 MB out.
  const head = new Uint8Array([
    0x84,
    0xa4,
    ...new TextEncoder().encode("type"),
    0xa5,
    ...new TextEncoder().encode("hello"),
    0xa2,
    0x69,
    0x64,
    0x01,
    0xa7,
    ...new TextEncoder().encode("version"),
    0x01,
    0xa5,
    ...new TextEncoder().encode("token"),
    0xdb,
    0x00,
    0x06,
    0x1a,
    0x80,
  ]);
  const payload = new Uint8Array(head.byteLength + 400_000);
  payload.set(head);
  payload.fill(0xff, head.byteLength);
  let request: Request | undefined;
  try {
    request = decodeRequest(payload);
  } catch (error) {
    ok(error instanceof ProtocolError, `expected a ProtocolError, got ${error}`);
    return;
  }
  // Accepted: then it must at least be encodable again.
  encodeRequest(request);
});

Deno.test("decodeRequest() rejects a submit whose serverUrl only looks like a URL", () => {
  const rng = new SeededRandom(1);
  for (
    const serverUrl of ["http://[", "https://a b", "http://%zz", "http://x:99999", "https://<x>"]
  ) {
    const task = randomTask(rng);
    const request = { ...randomRequest(rng, "submit"), id: 5 } as Request & { type: "submit" };
    throws(
      () =>
        decodeRequest(
          decodeFrame(
            encodeRequest({ ...request, task: { ...task, target: { ...task.target, serverUrl } } }),
          ),
        ),
      (error: unknown) => error instanceof ProtocolError && error.code === ErrorCode.InvalidTask,
      `serverUrl ${JSON.stringify(serverUrl)} should be INVALID_TASK`,
    );
  }
});

Deno.test("decodeRequest() error messages do not echo a huge field", () => {
  const rng = new SeededRandom(2);
  const task = randomTask(rng);
  const sendFormat = "x".repeat(500_000);
  try {
    decodeRequest(
      decodeFrame(
        encodeRequest({
          type: "submit",
          id: 1,
          task: { ...task, target: { ...task.target, sendFormat } },
        } as unknown as Request),
      ),
    );
  } catch (error) {
    ok(error instanceof ProtocolError);
    ok(error.message.length <= MAX_ERROR_MESSAGE_CHARS, `message is ${error.message.length} chars`);
    return;
  }
  throw new Error("a 500 KB sendFormat was accepted");
});

Deno.test("decodeRequest() refuses a string that is not well-formed UTF-16 (it would change on re-encoding)", () => {
  // ED B0 AC is a UTF-8-encoded lone surrogate: the decoder's short-string path keeps it as
  // U+DC2C, and re-encoding a string of this length turns it into U+FFFD.
  const text = new TextEncoder();
  const token = new Uint8Array([...text.encode("a".repeat(100)), 0xed, 0xb0, 0xac]);
  const payload = new Uint8Array([
    0x84,
    0xa4,
    ...text.encode("type"),
    0xa5,
    ...text.encode("hello"),
    0xa2,
    ...text.encode("id"),
    0x01,
    0xa7,
    ...text.encode("version"),
    0x01,
    0xa5,
    ...text.encode("token"),
    0xd9,
    token.byteLength,
    ...token,
  ]);
  let request: Request;
  try {
    request = decodeRequest(payload);
  } catch (error) {
    ok(error instanceof ProtocolError, `expected a ProtocolError, got ${error}`);
    return;
  }
  deepStrictEqual(decodeRequest(decodeFrame(encodeRequest(request))), request);
});
