/**
 * The ntfy side of delivery: publishing a task with `fetch`, sequence ids where the server
 * has them, the errors a publish ends in, the retry backoff, and secret redaction.
 *
 * @module
 */

export * from "./errors.ts";
export * from "./host_port.ts";
export * from "./priority.ts";
export * from "./publisher.ts";
export * from "./redact.ts";
export * from "./retry_policy.ts";
export * from "./sequence_support.ts";
