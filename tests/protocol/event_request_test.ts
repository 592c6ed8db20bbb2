// The `event` request as a specification: every field of a raw hook event and the hook's
// context is checked, with a limit, before a daemon holds it; what passes survives the
// wire unchanged.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import {
  decodeFrame,
  decodeRequest,
  encodeRequest,
  ErrorCode,
  EVENT_LIMITS,
  type EventRequest,
  isForwardedEnvName,
  ProtocolError,
  validateEventRequest,
} from "../../protocol/mod.ts";

const ID = 9;
const text = new TextEncoder();
const PAYLOAD = text.encode('{"hook_event_name":"Stop","cwd":"/src/app"}');
const CONTEXT = { cwd: "/src/app", env: {}, receivedAt: 1_700_000_000_000 };

/** Decodes an event request whose fields are given raw, as a peer could send them. */
function decodeEvent(fields: Record<string, unknown>): EventRequest {
  const request = decodeRequest(encode({ type: "event", id: ID, ...fields }));
  equal(request.type, "event");
  return request as EventRequest;
}

/** Decodes an event whose context is `CONTEXT` changed by `change`. */
function decodeContext(change: Record<string, unknown>): EventRequest {
  return decodeEvent({ payload: PAYLOAD, context: { ...CONTEXT, ...change } });
}

/** Asserts that decoding fails with INVALID_MESSAGE for this request, naming `detail`. */
function assertRejected(decode: () => unknown, detail: string): void {
  let caught: unknown;
  try {
    decode();
  } catch (error) {
    caught = error;
  }
  ok(caught instanceof ProtocolError, `expected a ProtocolError, got ${caught}`);
  equal(caught.code, ErrorCode.InvalidMessage);
  equal(caught.requestId, ID, "the error is tied to the request, so the daemon can answer it");
  ok(caught.message.startsWith("Invalid event request: "), caught.message);
  ok(caught.message.includes(detail), `"${caught.message}" should mention ${detail}`);
}

const fail = (message: string) => new TypeError(message);

/** Asserts that `validate` throws the error `fail` builds, with exactly this message. */
function assertThrows(validate: () => unknown, message: string): void {
  let caught: unknown;
  try {
    validate();
  } catch (error) {
    caught = error;
  }
  ok(caught instanceof TypeError, `expected a TypeError, got ${caught}`);
  equal(caught.message, message);
}

/** An env map with `count` forwarded variables. */
function envOf(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`CLAUDE_NTFY_X${i}`, "v"]));
}

Deno.test("an event request with every field survives encodeRequest() and decodeRequest()", () => {
  const request: EventRequest = {
    type: "event",
    id: ID,
    payload: text.encode('{"hook_event_name":"Notification","message":"héllo ✍️"}'),
    context: {
      hookName: "Notification",
      projectDir: "/src/webapp",
      cwd: "/src/webapp/lib",
      env: { CLAUDE_NTFY_TOPIC: "alerts", NTFY_TOKEN: "tk_secret" },
      receivedAt: 1_700_000_000_123,
      truncated: true,
      projectConfig: text.encode('[ntfy]\ndefault_topic = "alerts"\n'),
    },
  };
  const decoded = decodeRequest(decodeFrame(encodeRequest(request)));
  deepStrictEqual(decoded, request);
  ok((decoded as EventRequest).payload instanceof Uint8Array, "the payload stays binary");
});

Deno.test("a minimal event request decodes without any optional key, not even as undefined", () => {
  const decoded = decodeRequest(decodeFrame(encodeRequest({
    type: "event",
    id: ID,
    payload: PAYLOAD,
    context: CONTEXT,
  })));
  deepStrictEqual(decoded, { type: "event", id: ID, payload: PAYLOAD, context: CONTEXT });
  deepStrictEqual(Object.keys((decoded as EventRequest).context).sort(), [
    "cwd",
    "env",
    "receivedAt",
  ]);
});

Deno.test("decodeRequest() treats null optional context fields and a missing env as absent", () => {
  const decoded = decodeEvent({
    payload: PAYLOAD,
    context: {
      cwd: "/src/app",
      receivedAt: 0,
      hookName: null,
      projectDir: null,
      truncated: null,
      projectConfig: null,
    },
  });
  deepStrictEqual(decoded.context, { cwd: "/src/app", env: {}, receivedAt: 0 });
});

Deno.test("decodeRequest() requires a binary payload of at most 1 MiB", () => {
  assertRejected(() => decodeEvent({ context: CONTEXT }), '"payload" must be binary');
  assertRejected(
    () => decodeEvent({ payload: '{"hook_event_name":"Stop"}', context: CONTEXT }),
    '"payload" must be binary',
  );
  assertRejected(() => decodeEvent({ payload: [123, 125], context: CONTEXT }), '"payload"');
  equal(EVENT_LIMITS.maxPayloadBytes, 1024 * 1024);
  const largest = new Uint8Array(EVENT_LIMITS.maxPayloadBytes).fill(0x61);
  equal(decodeEvent({ payload: largest, context: CONTEXT }).payload.byteLength, largest.length);
  const over = new Uint8Array(EVENT_LIMITS.maxPayloadBytes + 1);
  assertThrows(
    () => validateEventRequest({ payload: over, context: CONTEXT }, ID, fail),
    `"payload" holds at most ${EVENT_LIMITS.maxPayloadBytes} bytes`,
  );
  // On the wire the msgpack decoder already refuses a binary longer than a frame.
  let caught: unknown;
  try {
    decodeEvent({ payload: over, context: CONTEXT });
  } catch (error) {
    caught = error;
  }
  ok(caught instanceof ProtocolError, `expected a ProtocolError, got ${caught}`);
  equal(decodeEvent({ payload: new Uint8Array(), context: CONTEXT }).payload.byteLength, 0);
});

Deno.test("decodeRequest() requires the context to be a map", () => {
  assertRejected(() => decodeEvent({ payload: PAYLOAD }), '"context" must be a map');
  for (const context of [null, "ctx", 7, [CONTEXT], new Uint8Array([1])]) {
    assertRejected(() => decodeEvent({ payload: PAYLOAD, context }), '"context" must be a map');
  }
});

Deno.test("decodeRequest() requires context.cwd, a string of at most 4096 characters", () => {
  const { cwd: _, ...withoutCwd } = CONTEXT;
  assertRejected(
    () => decodeEvent({ payload: PAYLOAD, context: withoutCwd }),
    '"context.cwd" must be a string',
  );
  assertRejected(() => decodeContext({ cwd: null }), '"context.cwd" must be a string');
  assertRejected(() => decodeContext({ cwd: 42 }), '"cwd" must be a string');
  const longest = `/${"d".repeat(EVENT_LIMITS.maxPathChars - 1)}`;
  equal(decodeContext({ cwd: longest }).context.cwd, longest);
  assertRejected(
    () => decodeContext({ cwd: `${longest}x` }),
    `"context.cwd" holds at most ${EVENT_LIMITS.maxPathChars} characters`,
  );
});

Deno.test("decodeRequest() bounds context.projectDir and context.hookName", () => {
  const longestPath = `/${"p".repeat(EVENT_LIMITS.maxPathChars - 1)}`;
  equal(decodeContext({ projectDir: longestPath }).context.projectDir, longestPath);
  assertRejected(
    () => decodeContext({ projectDir: `${longestPath}p` }),
    `"context.projectDir" holds at most ${EVENT_LIMITS.maxPathChars} characters`,
  );
  assertRejected(() => decodeContext({ projectDir: ["/src"] }), '"projectDir" must be a string');
  const longestName = "E".repeat(EVENT_LIMITS.maxHookNameChars);
  equal(decodeContext({ hookName: longestName }).context.hookName, longestName);
  assertRejected(
    () => decodeContext({ hookName: `${longestName}E` }),
    `"context.hookName" holds at most ${EVENT_LIMITS.maxHookNameChars} characters`,
  );
  assertRejected(() => decodeContext({ hookName: 1 }), '"hookName" must be a string');
});

Deno.test("decodeRequest() requires context.receivedAt, a non-negative integer", () => {
  const { receivedAt: _, ...withoutTime } = CONTEXT;
  assertRejected(
    () => decodeEvent({ payload: PAYLOAD, context: withoutTime }),
    '"context.receivedAt" must be a non-negative integer',
  );
  for (const receivedAt of [-1, 1.5, "1700000000000", null, true]) {
    assertRejected(
      () => decodeContext({ receivedAt }),
      '"context.receivedAt" must be a non-negative integer',
    );
  }
  equal(decodeContext({ receivedAt: 0 }).context.receivedAt, 0);
});

Deno.test("decodeRequest() requires context.truncated to be a boolean when present", () => {
  equal(decodeContext({ truncated: false }).context.truncated, false);
  assertRejected(() => decodeContext({ truncated: "yes" }), '"truncated" must be a boolean');
  assertRejected(() => decodeContext({ truncated: 1 }), '"truncated" must be a boolean');
});

Deno.test("decodeRequest() accepts only CLAUDE_NTFY_* and NTFY_* variables in context.env", () => {
  const env = { CLAUDE_NTFY_TOPIC: "alerts", NTFY_TOKEN: "tk_1", CLAUDE_NTFY_X_2: "" };
  deepStrictEqual(decodeContext({ env }).context.env, env);
  for (
    const name of [
      "PATH",
      "HOME",
      "AWS_SECRET_ACCESS_KEY",
      "CLAUDE_PROJECT_DIR",
      "CLAUDE_NTFY_",
      "NTFY_",
      "CLAUDE_NTFYX",
      "claude_ntfy_topic",
      "NTFY_topic",
      "NTFY_TOPIC\n",
      " NTFY_TOPIC",
      "",
    ]
  ) {
    assertRejected(
      () => decodeContext({ env: { CLAUDE_NTFY_TOPIC: "alerts", [name]: "x" } }),
      '"context.env" may only hold CLAUDE_NTFY_* and NTFY_* variables',
    );
  }
  assertRejected(
    () => decodeContext({ env: ["CLAUDE_NTFY_TOPIC"] }),
    '"context.env" must be a map',
  );
  assertRejected(
    () => decodeContext({ env: "CLAUDE_NTFY_TOPIC=x" }),
    '"context.env" must be a map',
  );
});

Deno.test("decodeRequest() bounds context.env: 64 variables, names of 128 and values of 4096 characters", () => {
  const { maxEnvEntries, maxEnvNameChars, maxEnvValueChars } = EVENT_LIMITS;
  equal(Object.keys(decodeContext({ env: envOf(maxEnvEntries) }).context.env).length, 64);
  assertRejected(
    () => decodeContext({ env: envOf(maxEnvEntries + 1) }),
    `"context.env" holds at most ${maxEnvEntries} variables`,
  );
  const longestName = `CLAUDE_NTFY_${"N".repeat(maxEnvNameChars - "CLAUDE_NTFY_".length)}`;
  equal(longestName.length, maxEnvNameChars);
  ok(longestName in decodeContext({ env: { [longestName]: "v" } }).context.env);
  assertRejected(
    () => decodeContext({ env: { [`${longestName}N`]: "v" } }),
    "may only hold CLAUDE_NTFY_* and NTFY_* variables",
  );
  const longestValue = "v".repeat(maxEnvValueChars);
  equal(decodeContext({ env: { NTFY_TOKEN: longestValue } }).context.env.NTFY_TOKEN, longestValue);
  assertRejected(
    () => decodeContext({ env: { NTFY_TOKEN: `${longestValue}v` } }),
    `"context.env.NTFY_TOKEN" holds at most ${maxEnvValueChars} characters`,
  );
});

Deno.test("decodeRequest() requires every context.env value to be a well-formed string", () => {
  for (const value of [1, true, null, ["a"], { a: "b" }, new Uint8Array([0x61])]) {
    assertRejected(
      () => decodeContext({ env: { CLAUDE_NTFY_TOPIC: value } }),
      '"context.env.CLAUDE_NTFY_TOPIC" must be a string',
    );
  }
  // A lone surrogate cannot come out of msgpack; validate the decoded map directly.
  assertThrows(
    () =>
      validateEventRequest(
        {
          payload: PAYLOAD,
          context: { ...CONTEXT, env: { CLAUDE_NTFY_TOPIC: "a\uD800" } },
        },
        ID,
        fail,
      ),
    '"context.env.CLAUDE_NTFY_TOPIC" must be a string',
  );
});

Deno.test("decodeRequest() requires context.projectConfig to be binary, at most 256 KiB", () => {
  equal(EVENT_LIMITS.maxProjectConfigBytes, 256 * 1024);
  const largest = new Uint8Array(EVENT_LIMITS.maxProjectConfigBytes).fill(0x23);
  equal(
    decodeContext({ projectConfig: largest }).context.projectConfig?.byteLength,
    largest.length,
  );
  assertRejected(
    () => decodeContext({ projectConfig: new Uint8Array(EVENT_LIMITS.maxProjectConfigBytes + 1) }),
    `"context.projectConfig" holds at most ${EVENT_LIMITS.maxProjectConfigBytes} bytes`,
  );
  assertRejected(
    () => decodeContext({ projectConfig: '[ntfy]\ndefault_topic = "x"\n' }),
    '"context.projectConfig" must be binary',
  );
});

Deno.test("isForwardedEnvName() picks exactly the variables the configuration reads", () => {
  for (const name of ["CLAUDE_NTFY_TOPIC", "CLAUDE_NTFY_AUTOSTART", "NTFY_TOKEN", "NTFY_USER"]) {
    ok(isForwardedEnvName(name), name);
  }
  for (const name of ["CLAUDE_HOOK", "CLAUDE_PROJECT_DIR", "HOME", "PATH", "NTFY_", "ntfy_user"]) {
    ok(!isForwardedEnvName(name), name);
  }
});

Deno.test("isForwardedEnvName() is /^(CLAUDE_NTFY_|NTFY_)[A-Z0-9_]+$/, on names near its edges", () => {
  const pattern = /^(CLAUDE_NTFY_|NTFY_)[A-Z0-9_]+$/;
  const heads = ["", "NTFY_", "NTFY", "CLAUDE_NTFY_", "CLAUDE_NTFY", "CLAUDE_", "X_NTFY_", "ntfy_"];
  const tails = ["", "A", "TOPIC", "9", "_", "a", "TOPIC-1", "Ä", "A B", "NTFY_TOKEN"];
  for (const head of heads) {
    for (const tail of tails) {
      const name = head + tail;
      equal(isForwardedEnvName(name), pattern.test(name), JSON.stringify(name));
    }
  }
});
