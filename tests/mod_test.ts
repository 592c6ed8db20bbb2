// The public surface, pinned (as oak's mod.test.ts does): adding, removing or renaming an
// export of a published module is a decision, made here on purpose.
import { deepStrictEqual } from "node:assert/strict";
import * as mod from "../mod.ts";
import * as protocol from "../protocol/mod.ts";
import * as testing from "../client/fake_daemon.ts";

/** The protocol's runtime exports. */
const PROTOCOL_VALUES = [
  "CONNECTION_ERROR_ID",
  "DECISION_LIMITS",
  "DEFAULT_MAX_FRAME_BYTES",
  "EVENT_LIMITS",
  "ErrorCode",
  "FRAME_HEADER_BYTES",
  "FrameDecoder",
  "FrameDecoderStream",
  "MAX_BODY_CHARS",
  "MAX_FIELD_CHARS",
  "MAX_LIST_ENTRIES",
  "MAX_REQUEST_ID",
  "MIN_PROTOCOL_VERSION",
  "PROTOCOL_VERSION",
  "ProtocolError",
  "REQUEST_TYPES",
  "SEQUENCE_MODES",
  "TASK_OPERATIONS",
  "TOPIC_PATTERN",
  "checkFrameLength",
  "decodeEventAnswer",
  "decodeFlatEventAnswer",
  "decodeFrame",
  "decodeRequest",
  "decodeResponse",
  "encodeEventExchange",
  "encodeEventFrame",
  "encodeFrame",
  "encodeMessage",
  "encodeRequest",
  "encodeResponse",
  "isForwardedEnvName",
  "readFrameHeader",
  "validateEventRequest",
  "validatePermissionDecision",
  "validateTask",
  "writeFrameHeader",
];

/** The client's runtime exports, in mod.ts beside the protocol's. */
const CLIENT_VALUES = [
  "ClientError",
  "ConnectionClosedError",
  "DaemonClient",
  "DaemonNotRunningError",
  "MAX_SOCKET_PATH_BYTES",
  "RemoteError",
  "TimeoutError",
  "connect",
  "requestOnce",
  "resolveDaemonPaths",
  "sendEventOnce",
  "submitOnce",
];

/** The protocol's type-only exports. */
const PROTOCOL_TYPES = [
  "DaemonStatus",
  "DeadTask",
  "ErrorResponse",
  "EventAnswer",
  "EventRequest",
  "FrameOptions",
  "HeldTask",
  "HeldTaskState",
  "HelloRequest",
  "HelloResponse",
  "HookContext",
  "LatencySummary",
  "NotificationMessage",
  "NotificationTask",
  "NtfyAction",
  "NtfyAuth",
  "NtfyTarget",
  "OkResponse",
  "PermissionDecision",
  "PermissionUpdate",
  "PingRequest",
  "Priority",
  "ProtocolErrorOptions",
  "PurgeRequest",
  "QueueRequest",
  "QueueResponse",
  "ReloadRequest",
  "Request",
  "RequestType",
  "Response",
  "ResponseType",
  "RetryRequest",
  "SendFormat",
  "SequenceMode",
  "ShutdownRequest",
  "StatusRequest",
  "StatusResponse",
  "SubmitRequest",
  "TaskOperation",
  "TaskOrigin",
];

/** The client's type-only exports. */
const CLIENT_TYPES = ["ConnectOptions", "DaemonPaths", "EventAck", "PathInputs", "RequestBody"];

const sorted = (names: readonly string[]) => [...names].sort();

/** Every name a module exports, types included, as `deno doc` sees it. */
async function documentedNames(entry: string): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", entry],
    cwd: new URL("../", import.meta.url),
    stdout: "piped",
  }).output();
  const json = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    nodes: Record<string, { symbols: Array<{ name: string }> }>;
  };
  const names = Object.values(json.nodes).flatMap((node) => node.symbols.map((s) => s.name));
  return sorted([...new Set(names)]);
}

Deno.test("mod.ts exports exactly the protocol's and the client's values", () => {
  deepStrictEqual(sorted(Object.keys(mod)), sorted([...PROTOCOL_VALUES, ...CLIENT_VALUES]));
});

Deno.test("protocol/mod.ts exports exactly the protocol's values", () => {
  deepStrictEqual(sorted(Object.keys(protocol)), sorted(PROTOCOL_VALUES));
});

Deno.test("the testing module exports startFakeDaemon alone", () => {
  deepStrictEqual(Object.keys(testing), ["startFakeDaemon"]);
});

Deno.test("mod.ts, protocol/mod.ts and testing export exactly these types and values", async () => {
  deepStrictEqual(
    await documentedNames("mod.ts"),
    sorted([...PROTOCOL_VALUES, ...CLIENT_VALUES, ...PROTOCOL_TYPES, ...CLIENT_TYPES]),
  );
  deepStrictEqual(
    await documentedNames("protocol/mod.ts"),
    sorted([...PROTOCOL_VALUES, ...PROTOCOL_TYPES]),
  );
  deepStrictEqual(await documentedNames("client/fake_daemon.ts"), [
    "FakeDaemon",
    "FakeDaemonOptions",
    "startFakeDaemon",
  ]);
});
