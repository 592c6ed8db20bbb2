// The real `claude-ntfy hook` against a real daemon process: each event is resolved by the
// daemon with the configuration of that moment and the hook's own context (its variables,
// its project's config file), with no restart and no reload, while the daemon itself may
// not even read the project's folder.
import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { withNtfyServer } from "../../support/ntfy_server.ts";
import { createTestHome, type TestHome } from "../../support/cli_process.ts";
import { projectConfigPath } from "../../../core/config/config_paths.ts";

const PROBE = new URL("../../daemon/support/read_probe.ts", import.meta.url).pathname;

function globalConfig(serverUrl: string, topic = "claude-e2e"): string {
  return `[ntfy]\nserver_url = "${serverUrl}"\ndefault_topic = "${topic}"\n`;
}

function event(name: string, cwd: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ hook_event_name: name, session_id: "s-1", cwd, ...fields });
}

/** Runs the hook and checks what every run must: exit 0, nothing on stdout. */
async function hook(
  home: TestHome,
  stdin: string,
  options: { args?: string[]; env?: Record<string, string> } = {},
): Promise<string> {
  const run = await home.run(["hook", ...(options.args ?? [])], { stdin, env: options.env });
  equal(run.code, 0, run.stderr);
  equal(run.stdout, "", "a hook prints nothing on stdout");
  return run.stderr;
}

/** Tries to read `paths` with the permission flags the running daemon `pid` was given. */
async function readsAllowedFor(pid: number, paths: string[]): Promise<Record<string, string>> {
  const argv = Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0");
  // deno run [flags...] <entry> daemon run [...]
  const entryIndex = argv.indexOf("daemon") - 1;
  ok(entryIndex > 1 && argv[1] === "run", argv.join(" "));
  const flags = argv.slice(2, entryIndex);
  ok(flags.some((flag) => flag.startsWith("--allow-read=")), flags.join(" "));
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, PROBE, ...paths],
    clearEnv: true,
    env: { DENO_DIR: `${Deno.env.get("HOME") ?? "/root"}/.cache/deno`, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

Deno.test("hook: `config set` while the daemon runs applies to the next event, with no restart or reload", async () => {
  await withNtfyServer({}, async (server) => {
    const home = await createTestHome("cn-hookcfg-");
    try {
      await home.writeConfig(globalConfig(server.url));
      const pid = await home.startDaemon();
      await hook(home, event("Stop", home.home));
      equal((await server.waitForMessages(1, 10_000))[0]!.topic, "claude-e2e");

      const set = await home.run(["config", "set", "ntfy.default_topic", "other", "--global"]);
      equal(set.code, 0, set.stderr);
      await hook(home, event("Stop", home.home));
      const messages = await server.waitForMessages(2, 10_000);
      equal(messages[1]!.topic, "other", "the next event went to the new topic");

      const status = await home.status();
      equal(status?.pid, pid, "the same daemon process");
      equal(status?.requests.reload ?? 0, 0, "no reload was asked for");
      equal(status?.requests.event, 2, "both events were resolved by the daemon");
    } finally {
      await home.cleanup();
    }
  });
});

Deno.test("hook: CLAUDE_NTFY_TOPIC in the hook's environment routes that event only, whatever the daemon's environment", async () => {
  await withNtfyServer({}, async (server) => {
    const home = await createTestHome("cn-hookenv-");
    try {
      await home.writeConfig(globalConfig(server.url));
      // The daemon's own environment names another topic: it must not count for events.
      await home.startDaemon([], { env: { CLAUDE_NTFY_TOPIC: "from-daemon-env" } });
      await hook(home, event("Stop", home.home), { env: { CLAUDE_NTFY_TOPIC: "from-env" } });
      equal((await server.waitForMessages(1, 10_000))[0]!.topic, "from-env");
      await hook(home, event("Stop", home.home));
      equal(
        (await server.waitForMessages(2, 10_000))[1]!.topic,
        "claude-e2e",
        "the next hook, without the variable, gets the config file's topic",
      );
      equal((await home.status())?.requests.event, 2);
    } finally {
      await home.cleanup();
    }
  });
});

Deno.test("hook: a project's config file counts although the daemon, running from another state folder, may not read the project", async () => {
  await withNtfyServer({}, async (server) => {
    const home = await createTestHome("cn-hookproj-");
    try {
      await home.writeConfig(globalConfig(server.url, "from-global"));
      const project = `${home.home}/projects/webapp`;
      await Deno.mkdir(`${project}/.claude/ntfy-service`, { recursive: true });
      await Deno.writeTextFile(
        projectConfigPath(project),
        '[ntfy]\ndefault_topic = "from-project"\n\n[hooks.priorities]\nStop = 5\n',
      );
      const stateEnv = { CLAUDE_NTFY_STATE_DIR: `${home.home}/daemon-state` };
      const pid = await home.startDaemon([], { env: stateEnv });

      // Least privilege: the daemon's own flags give it no access to the project.
      deepStrictEqual(
        await readsAllowedFor(pid, [
          projectConfigPath(project),
          project,
          `${home.home}/.claude/ntfy-service/config.toml`,
        ]),
        {
          [projectConfigPath(project)]: "NotCapable",
          [project]: "NotCapable",
          [`${home.home}/.claude/ntfy-service/config.toml`]: "allowed",
        },
      );

      await hook(home, event("Stop", project), { env: stateEnv });
      const [message] = await server.waitForMessages(1, 10_000);
      equal(message!.topic, "from-project");
      equal(message!.priority, 5);
      const status = await home.status(stateEnv);
      equal(status?.pid, pid, "the daemon in the other state folder took the event");
      equal(status?.requests.event, 1);
    } finally {
      await home.cleanup();
    }
  });
});

Deno.test("hook -v: says why the daemon skipped an event, or the id it queued it under", async () => {
  await withNtfyServer({}, async (server) => {
    const home = await createTestHome("cn-hookv-");
    try {
      await home.writeConfig(globalConfig(server.url));
      await home.startDaemon();
      const pre = event("PreToolUse", home.home, { tool_name: "Bash" });
      equal(
        await hook(home, pre, { args: ["-v"] }),
        "claude-ntfy hook: skipped: PreToolUse is not enabled (set hooks.events.PreToolUse = true)\n",
      );
      equal(await hook(home, pre), "", "quiet without -v");

      const queued = await hook(home, event("Stop", home.home), { args: ["-v"] });
      match(queued, /^claude-ntfy hook: queued by the daemon as \S+\n$/);
      equal(await hook(home, event("Stop", home.home)), "", "quiet without -v");
      const messages = await server.waitForMessages(2, 10_000);
      deepStrictEqual(messages.map((m) => m.topic), ["claude-e2e", "claude-e2e"]);
      const status = await home.status();
      equal(status?.requests.event, 4, "every answer came from the daemon");
      equal(status?.delivered, 2);
    } finally {
      await home.cleanup();
    }
  });
});
