/**
 * Playing the ntfy app in tests: tapping an `http` action button of a received message
 * does what the app does, an HTTP request to the action's URL with its method, headers
 * and body.
 *
 * @module
 */

import type { ReceivedMessage } from "./ntfy_server.ts";

/** What a tap sent and what the server answered. */
export interface Tap {
  /** The HTTP status the action's URL answered. */
  readonly status: number;
  /** The body the phone sent. */
  readonly body: string;
}

/**
 * Taps the `http` button labelled `label` on `message`.
 *
 * @throws {Error} when the message has no such button.
 */
export async function tapButton(message: ReceivedMessage, label: string): Promise<Tap> {
  const action = message.actions?.find((candidate) => candidate.label === label);
  if (action === undefined || action.action !== "http" || action.url === undefined) {
    throw new Error(
      `No http button "${label}" on the message; it has: ${
        JSON.stringify(message.actions?.map((candidate) => candidate.label) ?? [])
      }`,
    );
  }
  const body = action.body ?? "";
  const response = await fetch(action.url, {
    // ntfy's app sends POST when the action names no method.
    method: action.method ?? "POST",
    headers: action.headers ?? {},
    body,
  });
  await response.body?.cancel();
  return { status: response.status, body };
}

/** The labels of a message's buttons, in order. */
export function buttonLabels(message: ReceivedMessage): string[] {
  return message.actions?.map((action) => action.label) ?? [];
}
