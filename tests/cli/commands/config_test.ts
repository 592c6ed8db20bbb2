import assert from "node:assert/strict";
import { configCommand } from "../../../cli/commands/config.ts";
import { initCommand } from "../../../cli/commands/init.ts";
import { memoryIo, withDirs } from "./_io.ts";

Deno.test("config set then config get round-trips a value into the project file", async () => {
  await withDirs(async ({ home, project }) => {
    await initCommand.run([], memoryIo({ HOME: home }, project));
    const env = { HOME: home };
    const set = memoryIo(env, project);
    assert.equal(await configCommand.run(["set", "ntfy.timeout_secs", "25"], set), 0);
    assert.match(set.out(), /ntfy\.timeout_secs = 25/);
    const get = memoryIo(env, project);
    assert.equal(await configCommand.run(["get", "ntfy.timeout_secs"], get), 0);
    assert.equal(get.out(), "25\n");
    const text = Deno.readTextFileSync(`${project}/.claude/ntfy-service/config.toml`);
    assert.match(text, /^timeout_secs = 25$/m);
    assert.match(text, /# Seconds to wait for the server/, "comments survive");
    assert.equal(
      (Deno.statSync(`${project}/.claude/ntfy-service/config.toml`).mode ?? 0) & 0o777,
      0o600,
    );
  });
});

Deno.test("config set --global writes the global file, which the project file overrides", async () => {
  await withDirs(async ({ home, project }) => {
    const env = { HOME: home };
    assert.equal(
      await configCommand.run(
        ["set", "ntfy.default_topic", "global-t", "--global"],
        memoryIo(env, project),
      ),
      0,
    );
    const get = memoryIo(env, project);
    await configCommand.run(["get", "ntfy.default_topic"], get);
    assert.equal(get.out(), "global-t\n");
    await configCommand.run(["set", "ntfy.default_topic", "project-t"], memoryIo(env, project));
    const again = memoryIo(env, project);
    await configCommand.run(["get", "ntfy.default_topic"], again);
    assert.equal(again.out(), "project-t\n");
  });
});

Deno.test("config set rejects a bad value and an unknown key without touching the file", async () => {
  await withDirs(async ({ home, project }) => {
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await configCommand.run(["set", "ntfy.timeout_secs", "ten"], io), 1);
    assert.match(io.err(), /ntfy\.timeout_secs must be a positive number, got "ten"/);
    const unknown = memoryIo({ HOME: home }, project);
    assert.equal(await configCommand.run(["set", "ntfy.colour", "blue"], unknown), 1);
    assert.match(unknown.err(), /Unknown config key "ntfy\.colour"/);
    assert.throws(() => Deno.statSync(`${project}/.claude/ntfy-service/config.toml`));
  });
});

Deno.test("config show masks the token from the file and from NTFY_TOKEN", async () => {
  await withDirs(async ({ home, project }) => {
    await configCommand.run(
      ["set", "ntfy.auth_token", "tk_filesecret"],
      memoryIo({ HOME: home }, project),
    );
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await configCommand.run(["show"], io), 0);
    assert.match(io.out(), /auth_token = "\*{8}"/);
    assert.doesNotMatch(io.out(), /tk_filesecret/);
    assert.match(io.out(), new RegExp(`#   ${project}/\\.claude/ntfy-service/config\\.toml`));

    const json = memoryIo({ HOME: home, NTFY_TOKEN: "tk_envsecret" }, project);
    assert.equal(await configCommand.run(["show", "--json"], json), 0);
    const shown = JSON.parse(json.out());
    assert.equal(shown.config.ntfy.auth_token, "********");
    assert.doesNotMatch(json.out(), /tk_envsecret/);

    const get = memoryIo({ HOME: home }, project);
    await configCommand.run(["get", "ntfy.auth_token"], get);
    assert.equal(get.out(), "********\n");
    const reveal = memoryIo({ HOME: home }, project);
    await configCommand.run(["get", "ntfy.auth_token", "--reveal"], reveal);
    assert.equal(reveal.out(), "tk_filesecret\n");
  });
});

Deno.test("config set of a secret does not echo it", async () => {
  await withDirs(async ({ home, project }) => {
    const io = memoryIo({ HOME: home }, project);
    await configCommand.run(["set", "ntfy.password", "hunter2"], io);
    assert.doesNotMatch(io.out() + io.err(), /hunter2/);
  });
});

Deno.test("config hook enables an event and sets its topic, priority and filters", async () => {
  await withDirs(async ({ home, project }) => {
    const env = { HOME: home };
    await initCommand.run([], memoryIo(env, project));
    const io = memoryIo(env, project);
    const code = await configCommand.run(
      [
        "hook",
        "PreToolUse",
        "--enable",
        "--topic",
        "claude-tools",
        "--priority",
        "high",
        "--filter",
        "!Read",
        "--filter",
        "!Grep,!Glob",
      ],
      io,
    );
    assert.equal(code, 0, io.err());
    const more = memoryIo(env, project);
    assert.equal(
      await configCommand.run(["hook", "PreToolUse", "--filter", "!Read", "--filter", "!LS"], more),
      0,
    );

    const json = memoryIo(env, project);
    await configCommand.run(["show", "--json"], json);
    const { config } = JSON.parse(json.out());
    assert.equal(config.hooks.events.PreToolUse, true);
    assert.equal(config.hooks.topics.PreToolUse, "claude-tools");
    assert.equal(config.hooks.priorities.PreToolUse, 4);
    assert.deepEqual(config.hooks.filters.PreToolUse, ["!Read", "!Grep", "!Glob", "!LS"]);

    const clear = memoryIo(env, project);
    await configCommand.run(["hook", "PreToolUse", "--clear-filters", "--disable"], clear);
    const after = memoryIo(env, project);
    await configCommand.run(["show", "--json"], after);
    assert.deepEqual(JSON.parse(after.out()).config.hooks.filters.PreToolUse, []);
    assert.equal(JSON.parse(after.out()).config.hooks.events.PreToolUse, false);
  });
});

Deno.test("config reports usage errors with exit code 64, never 2", async () => {
  const cases = [
    [],
    ["bogus"],
    ["get"],
    ["set", "ntfy.server_url"],
    ["hook", "Stop"],
    ["hook", "Stop", "--enable", "--disable"],
    ["hook", "bad name!", "--enable"],
    ["show", "--bogus"],
  ];
  for (const args of cases) {
    const io = memoryIo({ HOME: "/nonexistent" }, "/nonexistent");
    assert.equal(await configCommand.run(args, io), 64, args.join(" "));
    assert.notEqual(io.err(), "", args.join(" "));
  }
  const help = memoryIo({}, "/");
  assert.equal(await configCommand.run(["--help"], help), 0);
  assert.match(help.out(), /CLAUDE_NTFY_TOPIC/);
  assert.match(help.out(), /NTFY_USER/);
});

Deno.test("config show fails with exit code 1 and the file and line on a bad config", async () => {
  await withDirs(async ({ home, project }) => {
    await Deno.mkdir(`${project}/.claude/ntfy-service`, { recursive: true });
    await Deno.writeTextFile(
      `${project}/.claude/ntfy-service/config.toml`,
      `[ntfy]\ntimeout_secs = "ten"\n`,
    );
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await configCommand.run(["show"], io), 1);
    assert.match(io.err(), /config\.toml:2: ntfy\.timeout_secs must be a positive number/);
  });
});

Deno.test("config set ntfy.sequence and the digest keys, then config show and get print them", async () => {
  await withDirs(async ({ home, project }) => {
    const env = { HOME: home };
    const before = memoryIo(env, project);
    assert.equal(await configCommand.run(["show"], before), 0);
    assert.match(before.out(), /^sequence = "auto"$/m);
    assert.match(before.out(), /^digest_after = 3$/m);
    assert.match(before.out(), /^digest_window_secs = 10$/m);
    assert.equal(
      await configCommand.run(["set", "ntfy.sequence", "off"], memoryIo(env, project)),
      0,
    );
    assert.equal(
      await configCommand.run(["set", "daemon.digest_after", "0"], memoryIo(env, project)),
      0,
    );
    const get = memoryIo(env, project);
    assert.equal(await configCommand.run(["get", "ntfy.sequence"], get), 0);
    assert.equal(get.out(), "off\n");
    const json = memoryIo({ ...env, CLAUDE_NTFY_SEQUENCE: "on" }, project);
    assert.equal(await configCommand.run(["show", "--json"], json), 0);
    const shown = JSON.parse(json.out()).config;
    assert.equal(shown.ntfy.sequence, "on", "the environment wins");
    assert.equal(shown.daemon.digest_after, 0);
    const bad = memoryIo(env, project);
    assert.equal(await configCommand.run(["set", "ntfy.sequence", "sometimes"], bad), 1);
    assert.match(bad.err(), /"auto", "on" or "off"/);
  });
});
