// Small shape checks shared by the message and task validators.

import { ErrorCode, ProtocolError } from "./errors.ts";
import { MAX_REQUEST_ID } from "./messages.ts";

/** A plain object (msgpack map) with string keys. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Uint8Array);
}

type Fail = (message: string) => Error;

export function requireString(record: Record<string, unknown>, key: string, fail: Fail): string {
  const value = record[key];
  if (typeof value !== "string") throw fail(`"${key}" must be a string`);
  if (!value.isWellFormed()) throw fail(`"${key}" must be valid UTF-8`);
  return value;
}

export function optionalString(
  record: Record<string, unknown>,
  key: string,
  fail: Fail,
): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw fail(`"${key}" must be a string`);
  if (!value.isWellFormed()) throw fail(`"${key}" must be valid UTF-8`);
  return value;
}

export function optionalBoolean(
  record: Record<string, unknown>,
  key: string,
  fail: Fail,
): boolean | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw fail(`"${key}" must be a boolean`);
  return value;
}

export function optionalStringArray(
  record: Record<string, unknown>,
  key: string,
  fail: Fail,
): string[] | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (
    !Array.isArray(value) ||
    !value.every((item) => typeof item === "string" && item.isWellFormed())
  ) {
    throw fail(`"${key}" must be an array of strings`);
  }
  return value as string[];
}

export function nonNegativeInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

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
