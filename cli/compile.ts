/**
 * `deno task compile`: builds two executables in `dist/`:
 *
 * - `claude-ntfy`: the whole CLI (hook, daemon control, config), all permissions;
 * - `claude-ntfy-daemon`: the daemon alone (`claude-ntfy daemon run` baked in), with the
 *   scoped permissions of this user's state folder, socket, config and ntfy hosts baked in.
 *   `claude-ntfy daemon start` launches it when it sits next to `claude-ntfy`.
 *
 * `deno compile` downloads its runtime (`denort`) on first use; offline, point
 * `DENORT_BIN` at a `denort` binary of the same Deno version.
 *
 * @module
 */

import { daemonScope } from "./daemon_launch.ts";
import { resolveContext } from "./context.ts";
import { daemonPermissionFlags } from "./daemon_permissions.ts";
import { processIo } from "./io.ts";

const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const target = Deno.args.find((arg) => arg.startsWith("--target="));

async function compile(args: string[]): Promise<void> {
  console.error(`$ deno ${args.join(" ")}`);
  const status = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  if (!status.success) {
    console.error(
      `deno compile failed (exit ${status.code}). It downloads its runtime (denort) unless ` +
        "DENORT_BIN points at one; offline, set DENORT_BIN=/path/to/denort.",
    );
    Deno.exit(1);
  }
}

if (import.meta.main) {
  const context = resolveContext(processIo());
  const common = ["compile", "--no-check", ...(target ? [target] : [])];
  await compile([
    ...common,
    "--allow-all",
    "--output",
    `${root}/dist/claude-ntfy`,
    `${root}/cli/main.ts`,
  ]);
  await compile([
    ...common,
    ...daemonPermissionFlags(daemonScope(context)),
    "--output",
    `${root}/dist/claude-ntfy-daemon`,
    `${root}/cli/main.ts`,
    "daemon",
    "run",
  ]);
  console.error(
    `Built dist/claude-ntfy and dist/claude-ntfy-daemon (daemon scoped to ${context.paths.stateDir})`,
  );
}
