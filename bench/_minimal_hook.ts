// The floor for any Deno hook that hands an event to the daemon and waits for its durable
// acknowledgment: read stdin, read the token, connect, write hello and the event (the
// protocol's lean codec, as the real hook), read the two answers, `Deno.exit`. No deadlines, no
// project config, no fallback, no error handling: what the real hook does beyond this is
// what it costs to be safe. The end-to-end phase bundles it and runs it beside the hook.

import { encodeEventExchange } from "../protocol/event_exchange.ts";
import { concatBytes } from "../protocol/concat_bytes.ts";

const chunks: Uint8Array[] = [];
const buffer = new Uint8Array(65_536);
for (
  let read = await Deno.stdin.read(buffer);
  read !== null;
  read = await Deno.stdin.read(buffer)
) {
  chunks.push(buffer.slice(0, read));
}
const payload = concatBytes(chunks);
const stateDir = `${Deno.env.get("HOME")}/.claude/ntfy-service`;
const token = Deno.readTextFileSync(`${stateDir}/daemon.token`).trim();
const projectDir = Deno.env.get("CLAUDE_PROJECT_DIR");
const bytes = encodeEventExchange(
  { type: "hello", id: 1, version: 2, token, client: "minimal" },
  {
    type: "event",
    id: 2,
    payload,
    context: {
      cwd: Deno.cwd(),
      env: {},
      receivedAt: Date.now(),
      ...(projectDir ? { projectDir } : {}),
    },
  },
);
const conn = await Deno.connect({ transport: "unix", path: `${stateDir}/daemon.sock` });
await conn.write(bytes);
// Two answers, each a 4-byte length and a small payload: count the frames.
let answers = 0;
let pending = 0;
while (answers < 2) {
  const read = await conn.read(buffer);
  if (read === null) Deno.exit(1);
  for (let at = 0; at < read;) {
    if (pending === 0) {
      pending =
        (buffer[at]! << 24 | buffer[at + 1]! << 16 | buffer[at + 2]! << 8 | buffer[at + 3]!) + 4;
    }
    const take = Math.min(pending, read - at);
    pending -= take;
    at += take;
    if (pending === 0) answers++;
  }
}
conn.close();
// As the hook does: exiting at once skips the runtime's teardown (about 0.6 ms).
Deno.exit(0);
