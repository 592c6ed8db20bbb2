// Errors made by the fast path's bundle, whose classes are copies, are re-made as the full
// command's own, so that its `instanceof` checks tell a refusal from a dead daemon.
import { deepStrictEqual, equal, ok, strictEqual } from "node:assert/strict";
import { reviveError } from "../../../cli/hook/revive_error.ts";
import {
  ClientError,
  ConnectionClosedError,
  DaemonNotRunningError,
  RemoteError,
  TimeoutError,
} from "../../../client/errors.ts";
import { ProtocolError } from "../../../protocol/errors.ts";

/** An error as another copy of the modules would make it: same name and fields, other class. */
function foreign(name: string, message: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...fields });
}

Deno.test("reviveError() re-makes each client error with its code, message and details", () => {
  const cause = new Error("ECONNREFUSED");
  const remote = reviveError(
    foreign("RemoteError", "Full", { code: "QUEUE_FULL", retryable: true }),
  );
  ok(remote instanceof RemoteError);
  deepStrictEqual([remote.code, remote.message, remote.retryable], ["QUEUE_FULL", "Full", true]);

  const gone = reviveError(foreign("DaemonNotRunningError", "Nothing listens", { cause }));
  ok(gone instanceof DaemonNotRunningError);
  equal(gone.code, "DAEMON_NOT_RUNNING");
  strictEqual(gone.cause, cause);

  const slow = reviveError(foreign("TimeoutError", "No answer"));
  ok(slow instanceof TimeoutError);
  equal(slow.message, "No answer");

  const closed = reviveError(foreign("ConnectionClosedError", "Hung up", { cause }));
  ok(closed instanceof ConnectionClosedError);
  strictEqual(closed.cause, cause);

  const other = reviveError(foreign("ClientError", "Unreadable", { code: "TOKEN_UNREADABLE" }));
  ok(other instanceof ClientError);
  equal(other.code, "TOKEN_UNREADABLE");
});

Deno.test("reviveError() re-makes a protocol error with its request id and recoverability", () => {
  const revived = reviveError(
    foreign("ProtocolError", "Too large", {
      code: "FRAME_TOO_LARGE",
      requestId: 2,
      recoverable: false,
    }),
  );
  ok(revived instanceof ProtocolError);
  deepStrictEqual([revived.code, revived.requestId, revived.recoverable], [
    "FRAME_TOO_LARGE",
    2,
    false,
  ]);
});

Deno.test("reviveError() leaves this bundle's own errors, other errors and non-errors as they are", () => {
  const own = new RemoteError("INVALID_JSON", "Bad");
  strictEqual(reviveError(own), own);
  const plain = new TypeError("oops");
  strictEqual(reviveError(plain), plain);
  strictEqual(reviveError("a string"), "a string");
});
