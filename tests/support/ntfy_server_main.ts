/**
 * Runs the loopback ntfy server so a person can watch notifications arrive: each accepted
 * message is printed to stdout as one JSON line.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 tests/support/ntfy_server_main.ts --port 8080 \
 *   [--token tk_abc]... [--user alice:secret]... [--require-auth] [--no-sequence-ids]
 * ```
 *
 * @module
 */

import { startNtfyServer } from "./ntfy_server.ts";
import { errorMessage } from "../../protocol/error_message.ts";

const USAGE = "Usage: ntfy_server_main.ts [--port N] [--token TK]... [--user USER:PASS]... " +
  "[--require-auth] [--no-sequence-ids]";

/** Parses the command line; throws a `TypeError` naming the bad argument. */
function parseArgs(args: string[]) {
  let port = 8080;
  const tokens: string[] = [];
  const users: Record<string, string> = {};
  let requireAuth = false;
  let sequenceIds = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new TypeError(`Missing value for ${arg}`);
      return next;
    };
    if (arg === "--port") {
      port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new TypeError(`Invalid port "${args[i]}"`);
      }
    } else if (arg === "--token") tokens.push(value());
    else if (arg === "--user") {
      const [user, ...rest] = value().split(":");
      if (!user || rest.length === 0) {
        throw new TypeError(`Invalid --user "${user}": use USER:PASS`);
      }
      users[user] = rest.join(":");
    } else if (arg === "--require-auth") requireAuth = true;
    // Behave like ntfy before 2.16.
    else if (arg === "--no-sequence-ids") sequenceIds = false;
    else throw new TypeError(`Unknown argument "${arg}"`);
  }
  const auth = tokens.length > 0 || Object.keys(users).length > 0;
  return { port, requireAuth, sequenceIds, ...(auth ? { tokens, users } : {}) };
}

if (import.meta.main) {
  let options;
  try {
    options = parseArgs(Deno.args);
  } catch (error) {
    console.error(`${errorMessage(error)}\n${USAGE}`);
    Deno.exit(2);
  }
  const server = await startNtfyServer({
    ...options,
    onMessage: (message) => console.log(JSON.stringify(message)),
  });
  console.error(`ntfy test server listening on ${server.url} (Ctrl-C to stop)`);
  Deno.addSignalListener("SIGINT", () => {
    server.close().then(() => Deno.exit(0), (error) => {
      console.error(error);
      Deno.exit(1);
    });
  });
}
