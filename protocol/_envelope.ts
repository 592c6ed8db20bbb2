// The envelope every reader of messages checks first: the general codec and the hook's.
// Apart from the shape checks of _validate.ts, which the message types' validators use:
// those must not import the messages module back.

import { ErrorCode, ProtocolError } from "./errors.ts";
import { MAX_REQUEST_ID } from "./messages.ts";
import { isRecord, nonNegativeInteger } from "./_validate.ts";

/**
 * A decoded message's envelope: a map with an unsigned 32-bit `id` and a string `type`,
 * what every reader of messages checks first (the general codec and the hook's).
 */
export function readEnvelope(value: unknown): { record: Record<string, unknown>; id: number } {
  if (!isRecord(value)) {
    throw new ProtocolError(ErrorCode.InvalidMessage, "Invalid message: expected a map");
  }
  const id = value.id;
  if (!nonNegativeInteger(id) || id > MAX_REQUEST_ID) {
    throw new ProtocolError(
      ErrorCode.InvalidMessage,
      'Invalid message: "id" must be an unsigned 32-bit integer',
    );
  }
  if (typeof value.type !== "string") {
    throw new ProtocolError(ErrorCode.InvalidMessage, 'Invalid message: "type" must be a string', {
      requestId: id,
    });
  }
  return { record: value, id };
}
