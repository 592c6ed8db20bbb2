// Raw frames over a Unix socket, without the client library: used for the echo baseline
// and, against the daemon, to separate what the client costs from what the daemon costs.

import { decodeResponse, encodeRequest, FrameDecoder, PROTOCOL_VERSION } from "../protocol/mod.ts";
import { onCleanup, stopChild } from "./_cleanup.ts";
import { writeAll } from "../client/write_all.ts";

/** `count` copies of `frame`, back to back. */
export function repeatFrame(frame: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(frame.byteLength * count);
  for (let i = 0; i < count; i++) out.set(frame, i * frame.byteLength);
  return out;
}

/** A connection that reads whole frames. */
export class FrameConn {
  readonly conn: Deno.UnixConn;
  readonly #decoder = new FrameDecoder();
  readonly #buffer = new Uint8Array(256 * 1024);
  #ready: Uint8Array[] = [];

  constructor(conn: Deno.UnixConn) {
    this.conn = conn;
  }

  /** Connects to `path`. */
  static async open(path: string): Promise<FrameConn> {
    return new FrameConn(await Deno.connect({ transport: "unix", path }));
  }

  /** Reads until one more frame has arrived and returns its payload (a copy). */
  async readFrame(): Promise<Uint8Array> {
    while (this.#ready.length === 0) {
      const read = await this.conn.read(this.#buffer);
      if (read === null) throw new Error("The peer closed the connection");
      for (const payload of this.#decoder.push(this.#buffer.subarray(0, read))) {
        this.#ready.push(payload.slice());
      }
    }
    return this.#ready.shift()!;
  }

  /** Sends `frame` and waits for one frame back; resolves with the round trip in ms. */
  async roundTrip(frame: Uint8Array): Promise<number> {
    const started = performance.now();
    await writeAll(this.conn, frame);
    await this.readFrame();
    return performance.now() - started;
  }

  /** Sends the daemon's `hello` with its token; throws unless the daemon says hello back. */
  async hello(token: string): Promise<void> {
    const frame = encodeRequest({ type: "hello", id: 1, version: PROTOCOL_VERSION, token });
    await writeAll(this.conn, frame);
    const response = decodeResponse(await this.readFrame());
    if (response.type !== "hello") throw new Error(`hello refused: ${JSON.stringify(response)}`);
  }

  close(): void {
    try {
      this.conn.close();
    } catch {
      // Already closed.
    }
  }
}

/** What a pipelined run measured. */
export interface PipelineResult {
  /** Wall time from the first write to the last answer, in ms. */
  readonly ms: number;
  /** Answers that were errors (daemon only). */
  readonly errors: number;
}

/**
 * Sends `total` copies of `frame` on one connection, keeping at most `window` unanswered,
 * and waits for every answer. With `checkAnswers`, each answer is decoded as a response
 * and errors are counted (the echo baseline sends back requests, so it skips this).
 */
export async function pipelineFrames(
  conn: Deno.UnixConn,
  frame: Uint8Array,
  options: { total: number; window: number; checkAnswers: boolean },
): Promise<PipelineResult> {
  const { total, window, checkAnswers } = options;
  const batchFrames = Math.max(1, Math.min(512, Math.floor(window / 4)));
  const batch = repeatFrame(frame, batchFrames);
  const decoder = new FrameDecoder();
  let sent = 0;
  let answered = 0;
  let errors = 0;
  let wake: (() => void) | undefined;
  const started = performance.now();
  const reading = (async () => {
    const buffer = new Uint8Array(256 * 1024);
    while (answered < total) {
      const read = await conn.read(buffer);
      if (read === null) throw new Error(`Connection closed after ${answered} answers`);
      const payloads = decoder.push(buffer.subarray(0, read));
      answered += payloads.length;
      if (checkAnswers) {
        for (const payload of payloads) if (decodeResponse(payload).type === "error") errors++;
      }
      const resume = wake;
      wake = undefined;
      resume?.();
    }
  })();
  let failure: unknown;
  reading.catch((error) => {
    failure = error;
    wake?.();
  });
  while (sent < total) {
    if (failure) throw failure;
    const count = Math.min(batchFrames, total - sent);
    if (sent + count - answered > window) {
      await new Promise<void>((resolve) => wake = resolve);
      continue;
    }
    await writeAll(conn, count === batchFrames ? batch : batch.subarray(0, count * frame.length));
    sent += count;
  }
  await reading;
  return { ms: performance.now() - started, errors };
}

/** A running echo server child (bench/_echo_server.ts). */
export interface EchoServer {
  readonly socketPath: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Spawns the echo server on a socket in `dir` and waits until it listens. */
export async function startEchoServer(dir: string): Promise<EchoServer> {
  const socketPath = `${dir}/echo.sock`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-net=unix:${socketPath}`,
      `--allow-read=${socketPath}`,
      `--allow-write=${socketPath}`,
      "--quiet",
      new URL("./_echo_server.ts", import.meta.url).pathname,
      socketPath,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stop = onCleanup(`echo server ${child.pid}`, () => stopChild(child));
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("ready")) {
    const { done, value } = await reader.read();
    if (done) {
      await stop();
      throw new Error("The echo server exited before it was ready");
    }
    text += value;
  }
  await reader.cancel().catch(() => {});
  return { socketPath, pid: child.pid, stop };
}
