/**
 * Limits and validation for the `event` request: a raw hook event and the hook's context,
 * checked field by field so that a daemon never holds an unchecked value.
 *
 * @module
 */

import type { EventRequest, HookContext } from "./messages.ts";
import { isRecord, nonNegativeInteger, optionalBoolean, optionalString } from "./_validate.ts";

/** Bounds on an `event` request's fields. */
export const EVENT_LIMITS = {
  /** The raw payload: the hook reads at most 1 MiB of stdin. */
  maxPayloadBytes: 1024 * 1024,
  /** A project config file sent along. */
  maxProjectConfigBytes: 256 * 1024,
  /** Paths (`cwd`, `projectDir`). */
  maxPathChars: 4096,
  /** The hook name. */
  maxHookNameChars: 128,
  /** The id the hook gives an event. */
  maxEventIdChars: 64,
  /** Forwarded environment variables. */
  maxEnvEntries: 64,
  /** An environment variable's name. */
  maxEnvNameChars: 128,
  /** An environment variable's value. */
  maxEnvValueChars: 4096,
  /** How long a hook may say it waits for a decision: one day. */
  maxDecisionWaitMs: 24 * 3600 * 1000,
} as const;

/**
 * Whether a hook forwards this environment variable to the daemon.
 *
 * @param name The variable's name.
 * @returns `true` for `CLAUDE_NTFY_*` and `NTFY_*` followed by capitals, digits and `_`
 * (`/^(CLAUDE_NTFY_|NTFY_)[A-Z0-9_]+$/`).
 *
 * @example Which variables travel with an event
 * ```ts
 * import assert from "node:assert/strict";
 * import { isForwardedEnvName } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * assert.equal(isForwardedEnvName("NTFY_TOKEN"), true);
 * assert.equal(isForwardedEnvName("AWS_SECRET_ACCESS_KEY"), false);
 * ```
 */
export function isForwardedEnvName(name: string): boolean {
  // By hand rather than with a regular expression: the hook runs this on every event, and a
  // regular expression is compiled the first time it is used.
  const prefix = name.startsWith("CLAUDE_NTFY_") ? 12 : name.startsWith("NTFY_") ? 5 : 0;
  if (prefix === 0 || prefix === name.length) return false;
  for (let index = prefix; index < name.length; index++) {
    const code = name.charCodeAt(index);
    const allowed = (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) ||
      code === 0x5f;
    if (!allowed) return false;
  }
  return true;
}

type Fail = (message: string) => Error;

function bytes(value: unknown, key: string, max: number, fail: Fail): Uint8Array {
  if (!(value instanceof Uint8Array)) throw fail(`"${key}" must be binary`);
  if (value.byteLength > max) throw fail(`"${key}" holds at most ${max} bytes`);
  return value;
}

function boundedString(value: string | undefined, key: string, max: number, fail: Fail) {
  if (value !== undefined && value.length > max) {
    throw fail(`"${key}" holds at most ${max} characters`);
  }
  return value;
}

function validateEnv(value: unknown, fail: Fail): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw fail('"context.env" must be a map');
  const entries = Object.entries(value);
  if (entries.length > EVENT_LIMITS.maxEnvEntries) {
    throw fail(`"context.env" holds at most ${EVENT_LIMITS.maxEnvEntries} variables`);
  }
  const env: Record<string, string> = {};
  for (const [name, entry] of entries) {
    if (name.length > EVENT_LIMITS.maxEnvNameChars || !isForwardedEnvName(name)) {
      throw fail(`"context.env" may only hold CLAUDE_NTFY_* and NTFY_* variables`);
    }
    if (typeof entry !== "string" || !entry.isWellFormed()) {
      throw fail(`"context.env.${name}" must be a string`);
    }
    if (entry.length > EVENT_LIMITS.maxEnvValueChars) {
      throw fail(`"context.env.${name}" holds at most ${EVENT_LIMITS.maxEnvValueChars} characters`);
    }
    env[name] = entry;
  }
  return env;
}

function validateContext(value: unknown, fail: Fail): HookContext {
  if (!isRecord(value)) throw fail('"context" must be a map');
  const { maxPathChars, maxHookNameChars } = EVENT_LIMITS;
  const cwd = optionalString(value, "cwd", fail);
  if (cwd === undefined) throw fail('"context.cwd" must be a string');
  boundedString(cwd, "context.cwd", maxPathChars, fail);
  const projectDir = boundedString(
    optionalString(value, "projectDir", fail),
    "context.projectDir",
    maxPathChars,
    fail,
  );
  const hookName = boundedString(
    optionalString(value, "hookName", fail),
    "context.hookName",
    maxHookNameChars,
    fail,
  );
  const receivedAt = value.receivedAt;
  if (!nonNegativeInteger(receivedAt)) {
    throw fail('"context.receivedAt" must be a non-negative integer');
  }
  const truncated = optionalBoolean(value, "truncated", fail);
  const eventId = boundedString(
    optionalString(value, "eventId", fail),
    "context.eventId",
    EVENT_LIMITS.maxEventIdChars,
    fail,
  );
  const decisionWaitMs = value.decisionWaitMs ?? undefined;
  if (
    decisionWaitMs !== undefined &&
    (!nonNegativeInteger(decisionWaitMs) || decisionWaitMs > EVENT_LIMITS.maxDecisionWaitMs)
  ) {
    throw fail(
      `"context.decisionWaitMs" must be an integer from 0 to ${EVENT_LIMITS.maxDecisionWaitMs}`,
    );
  }
  const projectConfig = value.projectConfig === undefined || value.projectConfig === null
    ? undefined
    : bytes(
      value.projectConfig,
      "context.projectConfig",
      EVENT_LIMITS.maxProjectConfigBytes,
      fail,
    );
  return {
    cwd,
    env: validateEnv(value.env, fail),
    receivedAt,
    ...(hookName === undefined ? {} : { hookName }),
    ...(projectDir === undefined ? {} : { projectDir }),
    ...(truncated === undefined ? {} : { truncated }),
    ...(projectConfig === undefined ? {} : { projectConfig }),
    ...(decisionWaitMs === undefined ? {} : { decisionWaitMs }),
    ...(eventId === undefined ? {} : { eventId }),
  };
}

/**
 * Checks the fields of an `event` request read from the wire.
 *
 * @param record The decoded map.
 * @param id The request id, already checked.
 * @param fail Builds the error to throw for a field that is wrong.
 * @returns The typed request.
 * @throws whatever `fail` returns, for the first field that is wrong.
 *
 * @example A well-formed event
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateEventRequest } from "@claude-ntfy/claude-ntfy/protocol";
 *
 * const request = validateEventRequest({
 *   payload: new TextEncoder().encode('{"hook_event_name":"Stop"}'),
 *   context: { cwd: "/src/app", env: {}, receivedAt: 1_700_000_000_000 },
 * }, 3, (message) => new TypeError(message));
 * assert.equal(request.context.cwd, "/src/app");
 * ```
 */
export function validateEventRequest(
  record: Record<string, unknown>,
  id: number,
  fail: (message: string) => Error,
): EventRequest {
  return {
    type: "event",
    id,
    payload: bytes(record.payload, "payload", EVENT_LIMITS.maxPayloadBytes, fail),
    context: validateContext(record.context, fail),
  };
}
