// The submit fast path answers exactly as decodeRequest does, or steps aside: on every input
// it takes, the request is the same, and the task's own bytes decode to that same task.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import {
  decodeRequest,
  encodeRequest,
  FrameDecoder,
  type NotificationTask,
  type Request,
} from "../../protocol/mod.ts";
import { decodeSubmit } from "../../protocol/submit_decoder.ts";
import { MsgpackDecoder } from "../../protocol/msgpack_decoder.ts";
import { SeededRandom } from "../support/seeded_random.ts";
import { fuzzCase, mutate, randomTask } from "./_fuzz_cases.ts";

const rawDecoder = new MsgpackDecoder();

const plainTask: NotificationTask = {
  target: {
    serverUrl: "https://ntfy.example",
    topic: "alerts",
    auth: { type: "bearer", token: "tk_x" },
    sendFormat: "text",
    timeoutSecs: 2.5,
    sequence: "on",
  },
  message: {
    title: "Done",
    body: "Claude finished ✍️",
    priority: 4,
    tags: ["tada", ""],
    click: "https://example.com",
    markdown: true,
    icon: "i",
    delay: "30m",
    attach: "a",
    filename: "f",
    email: "e@example.com",
    sequenceId: "seq-1",
  },
  origin: { event: "Stop", project: "/p", sessionId: "s", createdAt: 1_760_000_000_000 },
  operation: "clear",
  notBefore: 1_760_000_000_500,
};

/** Checks one payload; returns whether the fast path took it. */
function agree(payload: Uint8Array, context: string): boolean {
  let expected: Request | undefined;
  try {
    expected = decodeRequest(payload);
  } catch {
    expected = undefined;
  }
  const fast = decodeSubmit(payload);
  if (fast === undefined) return false;
  ok(expected !== undefined, `fast path took a payload decodeRequest refuses: ${context}`);
  deepStrictEqual(fast.request, expected, context);
  deepStrictEqual(
    rawDecoder.decode(payload.subarray(fast.taskStart, fast.taskEnd)),
    fast.request.task,
    `task bytes: ${context}`,
  );
  return true;
}

function payloadOf(request: unknown): Uint8Array {
  return encode(request, { ignoreUndefined: true });
}

Deno.test("decodeSubmit() takes a plain submit, every field set, and agrees with decodeRequest", () => {
  ok(agree(payloadOf({ type: "submit", id: 9, task: plainTask }), "every field"));
  const bare: NotificationTask = {
    target: { serverUrl: "http://127.0.0.1:1", topic: "t" },
    message: { body: "" },
    origin: { event: "e", createdAt: -1.5 },
  };
  ok(agree(payloadOf({ task: bare, id: 4_294_967_295, type: "submit" }), "bare, keys reordered"));
  ok(agree(encodeRequest({ type: "submit", id: 1, task: bare }).subarray(4), "own codec"));
});

Deno.test("decodeSubmit() steps aside for what validation would change or refuse", () => {
  const cases: Array<[string, unknown]> = [
    ["null field", { ...plainTask, notBefore: null }],
    ["unknown field", { ...plainTask, extra: 1 }],
    ["publish", { ...plainTask, operation: "publish" }],
    ["actions", { ...plainTask, message: { body: "b", actions: [] } }],
    ["unknown message field", { ...plainTask, message: { body: "b", color: "red" } }],
    ["bad topic", { ...plainTask, target: { serverUrl: "https://x", topic: "a b" } }],
    ["bad url", { ...plainTask, target: { serverUrl: "ftp://x", topic: "a" } }],
    ["bad priority", { ...plainTask, message: { body: "b", priority: 6 } }],
    ["long body", { ...plainTask, message: { body: "x".repeat(65_537) } }],
    ["long title", { ...plainTask, message: { body: "b", title: "x".repeat(2_049) } }],
    ["33 tags", { ...plainTask, message: { body: "b", tags: Array(33).fill("t") } }],
    ["auth extra", {
      ...plainTask,
      target: { ...plainTask.target, auth: { type: "bearer", token: "t", username: "u" } },
    }],
    ["clear without sequence id", { ...plainTask, message: { body: "b" } }],
    ["no origin", { target: plainTask.target, message: plainTask.message }],
  ];
  for (const [name, task] of cases) {
    equal(decodeSubmit(payloadOf({ type: "submit", id: 1, task })), undefined, name);
  }
  equal(decodeSubmit(payloadOf({ type: "submit", id: 0, task: plainTask })), undefined, "id 0");
  equal(decodeSubmit(payloadOf({ type: "ping", id: 1 })), undefined, "ping");
  const trailing = new Uint8Array([...payloadOf({ type: "submit", id: 1, task: plainTask }), 0]);
  equal(decodeSubmit(trailing), undefined, "trailing byte");
});

Deno.test("decodeSubmit() agrees with decodeRequest on random, mutated and fuzzed payloads", () => {
  const rng = new SeededRandom(20261125);
  let taken = 0;
  for (let i = 0; i < 3_000; i++) {
    const request = { type: "submit", id: rng.range(1, 1_000), task: randomTask(rng) };
    const payload = payloadOf(request);
    if (agree(payload, `random ${i}`)) taken++;
    agree(mutate(rng, payload), `mutated ${i}`);
  }
  ok(taken > 1_000, `the fast path took ${taken} of 3000 random valid submits`);
  for (let i = 0; i < 3_000; i++) {
    const frames = new FrameDecoder();
    let payloads: Uint8Array[];
    try {
      payloads = frames.push(fuzzCase(rng, { hugeRate: 0 }).bytes);
    } catch {
      continue; // A stream the frame decoder refuses: no payload to compare.
    }
    for (const payload of payloads) agree(payload, `fuzz ${i}`);
  }
});
