/**
 * A loopback stand-in for the Anthropic Messages API, so the real Claude Code CLI can run
 * headless (`claude -p`) in tests with `ANTHROPIC_BASE_URL` pointing here: `POST
 * /v1/messages` answers with scripted content, streamed as server-sent events when asked
 * (`message_start`, `content_block_start`/`_delta`/`_stop`, `message_delta`,
 * `message_stop`) or as one JSON message; `count_tokens` gives an estimate; anything else is
 * a 404 in the API's error shape.
 *
 * @module
 */

/** One content block of a scripted reply. */
export type ReplyBlock =
  | { readonly type: "text"; readonly text: string }
  | {
    readonly type: "tool_use";
    readonly name: string;
    readonly input: Record<string, unknown>;
    /** @default {a fresh `toolu_…` id} */
    readonly id?: string;
  };

/** A `POST /v1/messages` request as received. */
export interface MessagesRequest {
  /** The request path, with its query (e.g. `/v1/messages?beta=true`). */
  readonly path: string;
  /** The parsed JSON body. */
  readonly body: MessagesBody;
}

/** The parts of a Messages API request body the scripts look at. */
export interface MessagesBody {
  readonly model?: string;
  readonly stream?: boolean;
  readonly system?: unknown;
  readonly tools?: readonly { readonly name?: string }[];
  readonly messages?: readonly { readonly role: string; readonly content: unknown }[];
  readonly [key: string]: unknown;
}

/** Chooses the reply to a request. */
export type ReplyScript = (request: MessagesRequest) => readonly ReplyBlock[];

/** Options for {@linkcode startAnthropicApiServer}. */
export interface AnthropicApiServerOptions {
  /** The reply to each `POST /v1/messages`. @default {a one-line text reply} */
  reply?: ReplyScript;
}

/** Whether a request comes from Claude Code's main agent: only it offers the `Agent` tool. */
export function isMainAgent(request: MessagesRequest): boolean {
  return (request.body.tools ?? []).some((tool) => tool.name === "Agent");
}

/** How many assistant turns the request's conversation already holds. */
export function assistantTurns(request: MessagesRequest): number {
  return (request.body.messages ?? []).filter((message) => message.role === "assistant").length;
}

/**
 * A script for one conversation: the main agent's n-th request gets `turns[n]` (the last
 * one again once they run out); other requests (subagents, compaction) get `other`.
 *
 * @example Run a tool, then answer
 * ```ts
 * import { scriptedConversation } from "./anthropic_api_server.ts";
 *
 * const reply = scriptedConversation([
 *   [{ type: "tool_use", name: "Bash", input: { command: "echo hi" } }],
 *   [{ type: "text", text: "It printed hi." }],
 * ]);
 * const request = { path: "/v1/messages", body: { tools: [{ name: "Agent" }], messages: [] } };
 * console.log(reply(request)[0].type); // tool_use
 * ```
 */
export function scriptedConversation(
  turns: readonly (readonly ReplyBlock[])[],
  other: readonly ReplyBlock[] = [{ type: "text", text: DEFAULT_REPLY_TEXT }],
): ReplyScript {
  return (request) => {
    if (!isMainAgent(request)) return other;
    return turns[Math.min(assistantTurns(request), turns.length - 1)];
  };
}

/** Every path requested, with its method, and the Messages requests in order. */
export interface AnthropicApiLog {
  /** `METHOD /path?query` of every request, oldest first. */
  readonly requests: string[];
  /** The bodies of `POST /v1/messages` requests, oldest first. */
  readonly messages: MessagesRequest[];
}

/** The text the default script answers with. */
export const DEFAULT_REPLY_TEXT = "Done.";

let nextId = 0;

function freshId(prefix: string): string {
  nextId++;
  return `${prefix}_${String(nextId).padStart(4, "0")}${crypto.randomUUID().slice(0, 8)}`;
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function usage(request: MessagesRequest, outputTokens: number) {
  return {
    input_tokens: Math.max(1, Math.ceil(JSON.stringify(request.body).length / 4)),
    output_tokens: outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

function withIds(blocks: readonly ReplyBlock[]): ReplyBlock[] {
  return blocks.map((block) =>
    block.type === "tool_use" && block.id === undefined ? { ...block, id: freshId("toolu") } : block
  );
}

function messageJson(request: MessagesRequest, blocks: readonly ReplyBlock[]) {
  return {
    id: freshId("msg"),
    type: "message",
    role: "assistant",
    model: request.body.model ?? "claude-stand-in",
    content: blocks,
    stop_reason: blocks.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: usage(request, 8),
  };
}

/** The reply as the API streams it. */
function eventStream(request: MessagesRequest, blocks: readonly ReplyBlock[]): string {
  const message = messageJson(request, blocks);
  let out = sse("message_start", {
    type: "message_start",
    message: { ...message, content: [], stop_reason: null, usage: usage(request, 1) },
  });
  blocks.forEach((block, index) => {
    if (block.type === "text") {
      out += sse("content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "text", text: "" },
      });
      out += sse("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "text_delta", text: block.text },
      });
    } else {
      out += sse("content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
      });
      out += sse("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
      });
    }
    out += sse("content_block_stop", { type: "content_block_stop", index });
  });
  out += sse("message_delta", {
    type: "message_delta",
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: 8 },
  });
  out += sse("message_stop", { type: "message_stop" });
  return out;
}

function apiError(status: number, type: string, message: string): Response {
  return Response.json({ type: "error", error: { type, message } }, { status });
}

/**
 * A loopback Messages API. Close it with {@linkcode AnthropicApiServer.close}.
 *
 * @example Answer every request with a fixed text
 * ```ts
 * import { startAnthropicApiServer } from "./anthropic_api_server.ts";
 *
 * const api = startAnthropicApiServer({ reply: () => [{ type: "text", text: "hi" }] });
 * try {
 *   const response = await fetch(`${api.url}/v1/messages`, {
 *     method: "POST",
 *     body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "?" }] }),
 *   });
 *   console.log((await response.json()).content[0].text); // hi
 * } finally {
 *   await api.close();
 * }
 * ```
 */
export class AnthropicApiServer {
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #reply: ReplyScript;
  readonly #log: AnthropicApiLog = { requests: [], messages: [] };

  /** Starts listening on a free port of 127.0.0.1; use {@linkcode startAnthropicApiServer}. */
  constructor(options: AnthropicApiServerOptions = {}) {
    this.#reply = options.reply ?? (() => [{ type: "text", text: DEFAULT_REPLY_TEXT }]);
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      (request) => this.#handle(request),
    );
  }

  /** The base URL for `ANTHROPIC_BASE_URL`, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  /** What was requested so far (live arrays). */
  get log(): AnthropicApiLog {
    return this.#log;
  }

  /** Stops listening and ends open responses. */
  async close(): Promise<void> {
    await this.#server.shutdown();
  }

  async #handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname + url.search;
    this.#log.requests.push(`${request.method} ${path}`);
    if (request.method !== "POST") {
      return apiError(404, "not_found_error", `Not found: ${request.method} ${url.pathname}`);
    }
    let body: MessagesBody;
    try {
      body = await request.json();
    } catch {
      return apiError(400, "invalid_request_error", "Cannot parse the request body as JSON");
    }
    if (url.pathname === "/v1/messages/count_tokens") {
      return Response.json({ input_tokens: Math.ceil(JSON.stringify(body).length / 4) });
    }
    if (url.pathname !== "/v1/messages") {
      return apiError(404, "not_found_error", `Not found: POST ${url.pathname}`);
    }
    const messages: MessagesRequest = { path, body };
    this.#log.messages.push(messages);
    const blocks = withIds(this.#reply(messages));
    if (body.stream !== true) return Response.json(messageJson(messages, blocks));
    return new Response(eventStream(messages, blocks), {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
    });
  }
}

/** Starts a {@linkcode AnthropicApiServer} on a free loopback port. */
export function startAnthropicApiServer(
  options: AnthropicApiServerOptions = {},
): AnthropicApiServer {
  return new AnthropicApiServer(options);
}
