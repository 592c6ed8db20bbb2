// A permission decision is what a hook prints for Claude Code: only a well-formed one
// survives decoding, and a waiting hook's patience travels in its context.
import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import {
  DECISION_LIMITS,
  decodeRequest,
  decodeResponse,
  ErrorCode,
  EVENT_LIMITS,
  ProtocolError,
  validatePermissionDecision,
} from "../../protocol/mod.ts";

const fail = (message: string) => new TypeError(message);

function decodeOk(decision: unknown) {
  return decodeResponse(encode({ type: "ok", id: 5, taskId: "t-1", decision }));
}

function rejected(decision: unknown, detail: string): void {
  let caught: unknown;
  try {
    decodeOk(decision);
  } catch (error) {
    caught = error;
  }
  ok(caught instanceof ProtocolError, `expected a ProtocolError, got ${caught}`);
  equal(caught.code, ErrorCode.InvalidMessage);
  ok(caught.message.includes(detail), `"${caught.message}" should mention ${detail}`);
}

Deno.test("decodeResponse() keeps an allow, a deny with its message and an always-allow with its rules", () => {
  deepStrictEqual(decodeOk({ behavior: "allow" }), {
    type: "ok",
    id: 5,
    taskId: "t-1",
    decision: { behavior: "allow" },
  });
  const deny = decodeOk({ behavior: "deny", message: "no" });
  deepStrictEqual(deny.type === "ok" && deny.decision, { behavior: "deny", message: "no" });
  const rules = [{
    type: "addRules",
    rules: [{ toolName: "Bash", ruleContent: "rm -rf dist" }],
    behavior: "allow",
    destination: "localSettings",
  }];
  const always = decodeOk({ behavior: "allow", updatedPermissions: rules });
  deepStrictEqual(always.type === "ok" && always.decision, {
    behavior: "allow",
    updatedPermissions: rules,
  });
});

Deno.test("decodeResponse() drops unknown decision fields and takes no decision when there is none", () => {
  const decoded = decodeOk({ behavior: "allow", updatedInput: { command: "rm -rf /" }, x: 1 });
  deepStrictEqual(decoded.type === "ok" && decoded.decision, { behavior: "allow" });
  const none = decodeResponse(encode({ type: "ok", id: 5, taskId: "t-1" }));
  equal("decision" in none, false);
});

Deno.test("decodeResponse() rejects a decision that is not allow or deny", () => {
  rejected("allow", '"decision" must be a map');
  rejected({}, '"decision.behavior"');
  rejected({ behavior: "ask" }, '"decision.behavior"');
  rejected({ behavior: "ALLOW" }, '"decision.behavior"');
});

Deno.test("decodeResponse() rejects rules on a deny, rules that are not plain JSON and too many", () => {
  rejected({ behavior: "deny", updatedPermissions: [] }, 'goes with "allow" only');
  rejected({ behavior: "allow", updatedPermissions: {} }, "updatedPermissions");
  rejected({ behavior: "allow", updatedPermissions: ["rule"] }, "updatedPermissions");
  rejected({ behavior: "allow", updatedPermissions: [{ bytes: new Uint8Array(2) }] }, "plain JSON");
  rejected(
    { behavior: "allow", updatedPermissions: [{ a: { b: { c: { d: { e: 1 } } } } }] },
    "plain JSON",
  );
  const many = Array.from({ length: DECISION_LIMITS.maxUpdates + 1 }, () => ({ type: "setMode" }));
  rejected({ behavior: "allow", updatedPermissions: many }, "at most");
  rejected(
    { behavior: "deny", message: "x".repeat(DECISION_LIMITS.maxMessageChars + 1) },
    "at most",
  );
});

Deno.test("validatePermissionDecision() throws what fail() builds", () => {
  throws(() => validatePermissionDecision({ behavior: "maybe" }, fail), TypeError);
});

Deno.test("decodeRequest() keeps an event's decisionWaitMs and bounds it", () => {
  const event = (decisionWaitMs: unknown) =>
    decodeRequest(encode({
      type: "event",
      id: 3,
      payload: new Uint8Array(2),
      context: { cwd: "/", env: {}, receivedAt: 1, decisionWaitMs },
    }));
  const kept = event(150_000);
  equal(kept.type === "event" && kept.context.decisionWaitMs, 150_000);
  for (const bad of [-1, 1.5, "150000", EVENT_LIMITS.maxDecisionWaitMs + 1]) {
    throws(
      () => event(bad),
      (error: unknown) =>
        error instanceof ProtocolError && error.message.includes("decisionWaitMs"),
    );
  }
  const without = event(undefined);
  equal(without.type === "event" && "decisionWaitMs" in without.context, false);
});
