/**
 * The hook's own entry point, bundled apart from the rest of the CLI
 * (`dist/hook/claude-ntfy-hook.js`, one minified file) so that what Claude Code starts on
 * every event loads only the hook's fast path (`hook/forward_event.ts`). The full hook
 * command, for flags and every slow path, is a bundle of its own
 * (`dist/hook/claude-ntfy-hook-full.js`), loaded only when needed.
 *
 * Its name is computed rather than written out, on purpose: Deno reads and analyses the
 * target of a literal `import("…")` when the process starts, whether or not it runs, and
 * the full command is about 0.6 ms of such work on every event.
 *
 * Takes the hook's arguments, with or without a leading `hook`.
 *
 * @module
 */

import { forwardEvent } from "./hook/forward_event.ts";
import type { HookHandOver } from "./hook/hook_event.ts";
import { ExitCode, processIo } from "./io.ts";

/** The full hook command: beside this file in the bundle, in `commands/` in the source. */
function fullCommandUrl(): string {
  const bundled = !import.meta.url.endsWith(".ts");
  return new URL(bundled ? "./claude-ntfy-hook-full.js" : "./commands/hook.ts", import.meta.url)
    .href;
}

if (import.meta.main) {
  const args = Deno.args[0] === "hook" ? Deno.args.slice(1) : Deno.args;
  const io = processIo();
  // No flags is how Claude Code runs it: the fast path.
  const outcome: number | HookHandOver | undefined = args.length === 0
    ? await forwardEvent(io)
    : undefined;
  if (typeof outcome === "number") Deno.exit(outcome);
  let full: typeof import("./commands/hook.ts");
  try {
    full = await import(fullCommandUrl());
  } catch (error) {
    // An install missing half of the hook: said in one line, as every hook error.
    io.stderr(
      `claude-ntfy hook: not sent: cannot load the full hook command (${
        error instanceof Error ? error.message.split("\n")[0] : String(error)
      }); run "deno task build"\n`,
    );
    Deno.exit(ExitCode.Error);
  }
  Deno.exit(await full.runHookCommand(args, io, outcome));
}
