/**
 * The hook's own entry point, bundled apart from the rest of the CLI
 * (`dist/hook/claude-ntfy-hook.js`) so that what Claude Code starts on every event loads
 * only the hook's fast path: a couple of files instead of the CLI's command table and the
 * chunks it shares. Everything else the hook may need is loaded only on a slow path.
 *
 * Takes the hook's arguments, with or without a leading `hook`.
 *
 * @module
 */

import { hookCommand } from "./commands/hook.ts";
import { processIo } from "./io.ts";

if (import.meta.main) {
  const args = Deno.args[0] === "hook" ? Deno.args.slice(1) : Deno.args;
  Deno.exit(await hookCommand.run(args, processIo()));
}
