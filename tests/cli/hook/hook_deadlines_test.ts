// The hook's deadlines, added up on its slowest path (stdin that never ends, a daemon that
// accepts and never answers, then the retry to a socket the config names), stay under the
// timeout Claude Code gives the hook: killed at its timeout, it would not spool the event.
import { ok } from "node:assert/strict";
import { HOOK_STDIN_TIMEOUT_MS } from "../../../cli/hook/hook_event.ts";
import { CONFIG_SOCKET_RETRY } from "../../../cli/hook/hook_fallback.ts";
import { daemonConnectOptions } from "../../../cli/daemon_connect_options.ts";
import { HOOK_TIMEOUT_SECS } from "../../../cli/install/hooked_events.ts";
import { resolveDaemonPaths } from "../../../client/paths.ts";

Deno.test("the hook's deadlines on its slowest path add up to less than Claude Code's timeout, with a second to spare", () => {
  const hook = daemonConnectOptions(resolveDaemonPaths({ homeDir: "/home/ada" }), "hook");
  const slowest = HOOK_STDIN_TIMEOUT_MS + hook.connectTimeoutMs! + hook.requestTimeoutMs! +
    CONFIG_SOCKET_RETRY.connectTimeoutMs + CONFIG_SOCKET_RETRY.requestTimeoutMs;
  ok(slowest <= HOOK_TIMEOUT_SECS * 1000 - 1000, `${slowest} ms of ${HOOK_TIMEOUT_SECS} s`);
});
