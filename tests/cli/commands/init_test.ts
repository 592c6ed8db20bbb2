import assert from "node:assert/strict";
import { initCommand } from "../../../cli/commands/init.ts";
import { loadConfig } from "../../../core/config/mod.ts";
import { memoryIo, withDirs } from "./_io.ts";

function topicOf(path: string): string {
  const match = /^default_topic = "([^"]+)"$/m.exec(Deno.readTextFileSync(path));
  assert.ok(match, "the file sets default_topic");
  return match[1];
}

function mode(path: string): number {
  return (Deno.statSync(path).mode ?? 0) & 0o777;
}

Deno.test("init writes a 0600 project config with a random topic and says how to subscribe", async () => {
  await withDirs(async ({ home, project }) => {
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await initCommand.run([], io), 0);
    const path = `${project}/.claude/ntfy-service/config.toml`;
    assert.equal(mode(path), 0o600);
    assert.equal(mode(`${project}/.claude/ntfy-service`), 0o700);
    const topic = topicOf(path);
    assert.match(topic, /^claude-[a-z2-7]{24}$/);
    assert.match(io.out(), new RegExp(`https://ntfy\\.sh/${topic}\\b`));
    assert.match(io.out(), new RegExp(`curl -s https://ntfy\\.sh/${topic}/json`));
    assert.match(io.out(), /ntfy app/);
    assert.match(io.out(), /"command": "claude-ntfy hook"/);
    assert.equal(io.err(), "");
    const { config, warnings } = loadConfig({
      homeDir: home,
      projectDir: project,
      env: () => undefined,
    });
    assert.deepEqual(warnings, []);
    assert.equal(config.ntfy.default_topic, topic);
  });
});

Deno.test("init gives a different topic every time", async () => {
  await withDirs(async ({ home, project }) => {
    await initCommand.run(["--project", `${project}/a`], memoryIo({ HOME: home }, project));
    await initCommand.run(["--project", `${project}/b`], memoryIo({ HOME: home }, project));
    const a = topicOf(`${project}/a/.claude/ntfy-service/config.toml`);
    const b = topicOf(`${project}/b/.claude/ntfy-service/config.toml`);
    assert.notEqual(a, b);
  });
});

Deno.test("init refuses to overwrite without --force", async () => {
  await withDirs(async ({ home, project }) => {
    const path = `${project}/.claude/ntfy-service/config.toml`;
    await initCommand.run([], memoryIo({ HOME: home }, project));
    const first = topicOf(path);
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await initCommand.run([], io), 1);
    assert.match(io.err(), /already exists; use --force/);
    assert.equal(topicOf(path), first);
    assert.equal(await initCommand.run(["--force"], memoryIo({ HOME: home }, project)), 0);
    assert.notEqual(topicOf(path), first);
    assert.equal(mode(path), 0o600);
  });
});

Deno.test("init --global writes to the home folder; CLAUDE_PROJECT_DIR picks the project", async () => {
  await withDirs(async ({ home, project }) => {
    assert.equal(await initCommand.run(["--global"], memoryIo({ HOME: home }, "/")), 0);
    assert.equal(mode(`${home}/.claude/ntfy-service/config.toml`), 0o600);
    const io = memoryIo({ HOME: home, CLAUDE_PROJECT_DIR: project }, "/");
    assert.equal(await initCommand.run([], io), 0);
    assert.match(io.out(), new RegExp(`Wrote ${project}/\\.claude/ntfy-service/config\\.toml`));
  });
});

Deno.test("init --server writes the server and prints its subscribe URL", async () => {
  await withDirs(async ({ home, project }) => {
    const io = memoryIo({ HOME: home }, project);
    assert.equal(await initCommand.run(["--server", "https://ntfy.example.com/"], io), 0);
    const topic = topicOf(`${project}/.claude/ntfy-service/config.toml`);
    assert.match(io.out(), new RegExp(`https://ntfy\\.example\\.com/${topic}`));
  });
});

Deno.test("init rejects unknown flags with the usage exit code", async () => {
  const io = memoryIo({}, "/");
  assert.equal(await initCommand.run(["--bogus"], io), 64);
  assert.match(io.err(), /Usage: claude-ntfy init/);
  const help = memoryIo({}, "/");
  assert.equal(await initCommand.run(["--help"], help), 0);
  assert.match(help.out(), /--force/);
});
