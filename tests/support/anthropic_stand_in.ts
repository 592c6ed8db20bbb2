/**
 * A minimal loopback stand-in for the Anthropic Messages API, so that the real Claude Code
 * CLI can run headless (`claude -p`) in tests with `ANTHROPIC_BASE_URL` pointing here.
 * `POST /v1/messages` answers every request with one text reply, streamed as server-sent
 * events (`message_start`, `content_block_start`, `content_block_delta`,
 * `content_block_stop`, `message_delta`, `message_stop`) when the request asks for a
 * stream, else as one JSON message. Anything else is a 404 in the API's error shape.
 *
 * @module
 */

/** Options for {@linkcode startAnthropicStandIn}. */
export interface AnthropicStandInOptions {
  /** The text of every reply. @default {"Done."} */
  replyText?: string;
}

/** A running stand-in. */
export interface AnthropicStandIn extends AsyncDisposable {
  /** The base URL for `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** `METHOD /path` of every request, oldest first. */
  readonly requests: readonly string[];
  /** Stops listening. */
  close(): Promise<void>;
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function message(id: string, model: string, text: string, outputTokens: number) {
  return {
    id,
    type: "message",
    role: "assistant",
    model,
    content: text === "" ? [] : [{ type: "text", text }],
    stop_reason: text === "" ? null : "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: outputTokens },
  };
}

function replyStream(id: string, model: string, text: string): string {
  return [
    sse("message_start", { type: "message_start", message: message(id, model, "", 1) }),
    sse("content_block_start", {
      type: "content_block_start",
      index: 0,
      content_block: { type: "text", text: "" },
    }),
    sse("content_block_delta", {
      type: "content_block_delta",
      index: 0,
      delta: { type: "text_delta", text },
    }),
    sse("content_block_stop", { type: "content_block_stop", index: 0 }),
    sse("message_delta", {
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: 5 },
    }),
    sse("message_stop", { type: "message_stop" }),
  ].join("");
}

function apiError(status: number, type: string, text: string): Response {
  return Response.json({ type: "error", error: { type, message: text } }, { status });
}

/**
 * Starts the stand-in on 127.0.0.1 on a free port.
 *
 * @example
 * ```ts ignore
 * await using api = startAnthropicStandIn({ replyText: "Hello." });
 * // run `claude -p` with ANTHROPIC_BASE_URL=api.url
 * ```
 */
export function startAnthropicStandIn(options: AnthropicStandInOptions = {}): AnthropicStandIn {
  const replyText = options.replyText ?? "Done.";
  const requests: string[] = [];
  let count = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const path = new URL(request.url).pathname;
      requests.push(`${request.method} ${path}`);
      if (request.method !== "POST" || path !== "/v1/messages") {
        return apiError(404, "not_found_error", `Not found: ${request.method} ${path}`);
      }
      let body: { model?: unknown; stream?: unknown };
      try {
        body = await request.json();
      } catch {
        return apiError(400, "invalid_request_error", "Body is not JSON");
      }
      count++;
      const id = `msg_standin${String(count).padStart(6, "0")}`;
      const model = typeof body.model === "string" ? body.model : "claude-stand-in";
      if (body.stream !== true) return Response.json(message(id, model, replyText, 5));
      return new Response(replyStream(id, model, replyText), {
        headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" },
      });
    },
  );
  const close = async () => {
    await server.shutdown();
  };
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}
