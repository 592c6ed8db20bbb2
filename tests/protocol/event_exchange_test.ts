// The hook's lean codec as a specification: whatever it writes, the daemon's general
// decoder reads back unchanged, and it reads every answer the general codec writes the way
// `decodeResponse` does.
import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import {
  decodeEventAnswer,
  decodeFlatEventAnswer,
  decodeFrame,
  decodeRequest,
  decodeResponse,
  encodeEventExchange,
  encodeEventFrame,
  encodeResponse,
  ErrorCode,
  type EventRequest,
  type HelloRequest,
  ProtocolError,
  readFrameHeader,
  type Response,
} from "../../protocol/mod.ts";
import { MsgpackDecoder } from "../../protocol/msgpack_decoder.ts";

const HELLO: HelloRequest = { type: "hello", id: 1, version: 2, token: "t0k3n", client: "hook" };
const text = new TextEncoder();

function event(context: Partial<EventRequest["context"]> = {}, payload?: Uint8Array): EventRequest {
  return {
    type: "event",
    id: 2,
    payload: payload ?? text.encode('{"hook_event_name":"Stop","session_id":"s1"}'),
    context: { cwd: "/src/app", env: {}, receivedAt: 1_700_000_000_000, ...context },
  };
}

/** Splits the exchange's bytes into its two frames and decodes each as the daemon does. */
function readExchange(bytes: Uint8Array): [unknown, unknown] {
  const helloEnd = 4 + readFrameHeader(bytes);
  const eventEnd = helloEnd + 4 + readFrameHeader(bytes, helloEnd);
  equal(eventEnd, bytes.byteLength, "exactly two frames");
  return [
    decodeRequest(decodeFrame(bytes.subarray(0, helloEnd))),
    decodeRequest(decodeFrame(bytes.subarray(helloEnd))),
  ];
}

const cases: Record<string, EventRequest> = {
  "a plain Stop": event(),
  "every optional field": event({
    hookName: "Stop",
    projectDir: "/src/app",
    truncated: true,
    projectConfig: text.encode('[ntfy]\ndefault_topic = "x"\n'),
    decisionWaitMs: 90_000,
  }),
  "multi-byte text (accents, CJK, emoji)": event({
    cwd: "/home/zoë/プロジェクト/🚀",
    env: { NTFY_TITLE: "Ünïcödé ✓ 完了 👍" },
  }),
  "strings of 31, 32, 255, 256 and 8,000 bytes": event({
    hookName: "h".repeat(31),
    projectDir: "/" + "p".repeat(31),
    cwd: "/" + "c".repeat(254),
    env: { NTFY_A: "a".repeat(256), NTFY_B: "é".repeat(4_000) },
  }),
  "sixteen and more variables (a map16)": event({
    env: Object.fromEntries(
      Array.from({ length: 40 }, (_, index) => [`CLAUDE_NTFY_VAR_${index}`, `${index}`]),
    ),
  }),
  "an empty payload": event({}, new Uint8Array()),
  "payloads of 255, 256, 65,535 and 65,536 bytes": event({}, new Uint8Array(255).fill(7)),
  "a payload of 65,536 bytes": event({}, new Uint8Array(65_536).fill(9)),
  "a payload near a MiB": event({}, new Uint8Array(1_000_000).fill(1)),
  "times past 32 bits, and zero": event({ receivedAt: 2 ** 45 + 3, decisionWaitMs: 0 }),
};

for (const [name, request] of Object.entries(cases)) {
  Deno.test(`encodeEventExchange() writes what decodeRequest() reads back unchanged: ${name}`, () => {
    const [hello, decoded] = readExchange(encodeEventExchange(HELLO, request));
    deepStrictEqual(hello, HELLO);
    deepStrictEqual(decoded, request);
  });

  Deno.test(`encodeEventFrame() writes the exchange's event frame: ${name}`, () => {
    const exchange = encodeEventExchange(HELLO, request);
    const helloEnd = 4 + readFrameHeader(exchange);
    deepStrictEqual(encodeEventFrame(request), exchange.subarray(helloEnd));
  });
}

Deno.test("encodeEventExchange() writes a hello without token or client name", () => {
  const bare: HelloRequest = { type: "hello", id: 1, version: 1 };
  deepStrictEqual(readExchange(encodeEventExchange(bare, event()))[0], bare);
});

Deno.test("encodeEventExchange() writes a string of 70,000 bytes as msgpack (a str32)", () => {
  // Over hello's limits, so read with the bare msgpack decoder rather than decodeRequest.
  const long: HelloRequest = { ...HELLO, token: "ü".repeat(35_000) };
  const bytes = encodeEventExchange(long, event());
  const hello = new MsgpackDecoder().decode(
    decodeFrame(bytes.subarray(0, 4 + readFrameHeader(bytes))),
  );
  deepStrictEqual(hello, long);
});

Deno.test("encodeEventExchange() refuses a frame over the limit with FRAME_TOO_LARGE and its id", () => {
  throws(
    () => encodeEventExchange(HELLO, event({}, new Uint8Array(2_000)), 1_000),
    (error) =>
      error instanceof ProtocolError && error.code === ErrorCode.FrameTooLarge &&
      error.requestId === 2,
  );
  throws(
    () => encodeEventExchange({ ...HELLO, token: "t".repeat(2_000) }, event(), 1_000),
    (error) => error instanceof ProtocolError && error.requestId === 1,
  );
});

const answers: Record<string, Response> = {
  "an ok with a task id": { type: "ok", id: 2, taskId: "1h0myor-1" },
  "an ok that says why it skipped": { type: "ok", id: 2, skipped: "PreToolUse is off" },
  "an ok with a long reason (str16)": { type: "ok", id: 2, skipped: "ß".repeat(400) },
  "an ok with neither": { type: "ok", id: 7 },
  "an error": { type: "error", id: 2, code: "QUEUE_FULL", message: "Full", retryable: true },
  "an error without retryable": { type: "error", id: 1, code: "UNAUTHORIZED", message: "No" },
  "an error on the connection (id 0)": {
    type: "error",
    id: 0,
    code: "INVALID_MESSAGE",
    message: "garbled",
  },
  "an id of 65,536 and more": { type: "ok", id: 4_000_000_000, taskId: "x" },
};

for (const [name, answer] of Object.entries(answers)) {
  Deno.test(`decodeEventAnswer() reads as decodeResponse() does: ${name}`, () => {
    const payload = decodeFrame(encodeResponse(answer));
    deepStrictEqual(decodeEventAnswer(payload), decodeResponse(payload));
  });
}

for (const [name, answer] of Object.entries(answers)) {
  Deno.test(`decodeFlatEventAnswer() reads as decodeEventAnswer() does: ${name}`, () => {
    const payload = decodeFrame(encodeResponse(answer));
    deepStrictEqual(decodeFlatEventAnswer(payload), decodeEventAnswer(payload));
  });
}

Deno.test("decodeFlatEventAnswer() refuses a decision, a nested value and what is no msgpack", () => {
  const refused = (payload: Uint8Array) =>
    throws(
      () => decodeFlatEventAnswer(payload),
      (error) => error instanceof ProtocolError && error.code === ErrorCode.InvalidMessage,
    );
  refused(
    decodeFrame(
      encodeResponse({ type: "ok", id: 2, taskId: "t", decision: { behavior: "allow" } }),
    ),
  );
  refused(decodeFrame(encodeResponse({ type: "queue", id: 3, tasks: [], dead: [] })));
  refused(new Uint8Array([0xc1]));
  refused(decodeFrame(encodeResponse({ type: "ok", id: 2 })).subarray(0, 5));
  // What the general reader would take: a float id.
  refused(
    new Uint8Array([
      ...[0x82, 0xa4, ...text.encode("type"), 0xa2, ...text.encode("ok")],
      ...[0xa2, ...text.encode("id"), 0xcb, 0x40, 0, 0, 0, 0, 0, 0, 0],
    ]),
  );
  // And the hello answer, with a pid of any size, still reads.
  const hello = decodeFrame(
    encodeResponse({ type: "hello", id: 1, version: 2, daemonVersion: "0.1.0", pid: 4_000_000 }),
  );
  deepStrictEqual(decodeFlatEventAnswer(hello), { type: "hello", id: 1 });
});

Deno.test("decodeEventAnswer() reads hello's answer as its type and id (pids of every size)", () => {
  for (const pid of [7, 200, 60_000, 4_000_000]) {
    const payload = decodeFrame(
      encodeResponse({ type: "hello", id: 1, version: 2, daemonVersion: "0.1.0", pid }),
    );
    deepStrictEqual(decodeEventAnswer(payload), { type: "hello", id: 1 });
  }
});

Deno.test("decodeEventAnswer() leaves an ok with a decision, and unknown types, to the general codec", () => {
  const decided = decodeFrame(encodeResponse({
    type: "ok",
    id: 2,
    taskId: "t",
    decision: { behavior: "allow" },
  }));
  deepStrictEqual(decodeEventAnswer(decided), { type: "other", id: 2 });
  const status = decodeFrame(encodeResponse({ type: "queue", id: 3, tasks: [], dead: [] }));
  deepStrictEqual(decodeEventAnswer(status), { type: "other", id: 3 });
});

Deno.test("decodeEventAnswer() refuses what is no answer with INVALID_MESSAGE", () => {
  const refused = (payload: Uint8Array) =>
    throws(
      () => decodeEventAnswer(payload),
      (error) => error instanceof ProtocolError && error.code === ErrorCode.InvalidMessage,
    );
  refused(new Uint8Array([0xc1])); // never used in msgpack
  refused(new Uint8Array([0x93, 1, 2, 3])); // an array
  refused(new Uint8Array([0x81, 0xa2, 0x69, 0x64, 0xa1, 0x78])); // {id: "x"}
  refused(new Uint8Array([0x82, 0xa2, 0x69, 0x64, 0x01, 0xa4, 0x74, 0x79, 0x70, 0x65, 0x05])); // type 5
  refused(decodeFrame(encodeResponse({ type: "ok", id: 2 })).subarray(0, 5)); // cut short
  const wrongType = new Uint8Array([
    ...[0x83, 0xa4, ...text.encode("type"), 0xa2, ...text.encode("ok")],
    ...[0xa2, ...text.encode("id"), 0x02],
    ...[0xa6, ...text.encode("taskId"), 0x05],
  ]);
  refused(wrongType); // taskId must be a string
  ok(true);
});

Deno.test("encodeEventExchange() writes lone surrogates as U+FFFD, as the general encoder does", () => {
  const request = event({ cwd: "/src/\ud800app", env: { NTFY_TITLE: "end\udfff" } });
  const decoded = readExchange(encodeEventExchange(HELLO, request))[1] as EventRequest;
  equal(decoded.context.cwd, "/src/\ufffdapp");
  equal(decoded.context.env.NTFY_TITLE, "end\ufffd");
});

Deno.test("encodeEventExchange() fits the largest ids and every optional field in its estimate", () => {
  const request: EventRequest = {
    ...event({
      cwd: "",
      hookName: "",
      projectDir: "",
      truncated: false,
      projectConfig: new Uint8Array(),
      decisionWaitMs: 86_400_000,
      receivedAt: Number.MAX_SAFE_INTEGER,
    }, new Uint8Array()),
    id: 0xffff_ffff,
  };
  const [, decoded] = readExchange(
    encodeEventExchange({ type: "hello", id: 0xffff_ffff, version: 0xffff_ffff }, request),
  );
  deepStrictEqual(decoded, request);
});

Deno.test("decodeEventAnswer() leaves __proto__ and invalid UTF-8 to the general decoder's rules", () => {
  // {"__proto__": nil, "type": "ok", "id": 2}: the general decoder refuses the key.
  const proto = new Uint8Array([
    ...[0x83, 0xa9, ...text.encode("__proto__"), 0xc0],
    ...[0xa4, ...text.encode("type"), 0xa2, ...text.encode("ok")],
    ...[0xa2, ...text.encode("id"), 0x02],
  ]);
  throws(() => decodeEventAnswer(proto), ProtocolError);
  // {"type": "ok", "id": 2, "skipped": "\xff"}: read as U+FFFD, as decodeResponse reads it.
  const badUtf8 = new Uint8Array([
    ...[0x83, 0xa4, ...text.encode("type"), 0xa2, ...text.encode("ok")],
    ...[0xa2, ...text.encode("id"), 0x02],
    ...[0xa7, ...text.encode("skipped"), 0xa1, 0xff],
  ]);
  deepStrictEqual(decodeEventAnswer(badUtf8), decodeResponse(badUtf8));
});
