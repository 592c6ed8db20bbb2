// Small shape checks shared by the message and task validators.

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
