// `claude-ntfy hook` in process, with --dry-run (resolved here, exactly as the daemon would):
// which project an event belongs to, and so whose config file applies.
import { equal, ok } from "node:assert/strict";
import { hookCommand } from "../../../cli/commands/hook.ts";
import { projectConfigPath } from "../../../core/config/config_paths.ts";
import { memoryIo, withDirs } from "./_io.ts";

/** Runs `hook --dry-run` on `payload` and returns what it printed. */
async function dryRun(
  payload: unknown,
  options: { env: Record<string, string>; cwd: string; args?: string[] },
): Promise<string> {
  const io = {
    ...memoryIo(options.env, options.cwd),
    stdin: ReadableStream.from([new TextEncoder().encode(JSON.stringify(payload))]),
  };
  const code = await hookCommand.run(["--dry-run", ...(options.args ?? [])], io);
  equal(code, 0, io.err());
  return io.out();
}

async function project(root: string, name: string): Promise<string> {
  const dir = `${root}/${name}`;
  await Deno.mkdir(`${dir}/.claude/ntfy-service`, { recursive: true });
  await Deno.writeTextFile(projectConfigPath(dir), `[ntfy]\ndefault_topic = "topic-${name}"\n`);
  return dir;
}

Deno.test("hook: --project beats $CLAUDE_PROJECT_DIR, which beats the payload's cwd, and that project's config applies", async () => {
  await withDirs(async ({ home, project: root }) => {
    const [flag, env, payloadCwd] = await Promise.all(
      ["flag", "env", "payload"].map((name) => project(root, name)),
    );
    const payload = { hook_event_name: "Stop", cwd: payloadCwd };
    const base = { HOME: home };

    const fromFlag = await dryRun(payload, {
      env: { ...base, CLAUDE_PROJECT_DIR: env },
      cwd: home,
      args: ["--project", flag],
    });
    ok(fromFlag.includes("Topic:    topic-flag"), fromFlag);
    ok(fromFlag.includes(`project ${flag}`), fromFlag);

    const fromEnv = await dryRun(payload, { env: { ...base, CLAUDE_PROJECT_DIR: env }, cwd: home });
    ok(fromEnv.includes("Topic:    topic-env"), fromEnv);
    ok(fromEnv.includes(`project ${env}`), fromEnv);

    const fromPayload = await dryRun(payload, { env: base, cwd: home });
    ok(fromPayload.includes("Topic:    topic-payload"), fromPayload);
    ok(fromPayload.includes(`project ${payloadCwd}`), fromPayload);
  });
});

Deno.test("hook: CLAUDE_NTFY_TOPIC in the hook's environment beats the project's config", async () => {
  await withDirs(async ({ home, project: root }) => {
    const dir = await project(root, "app");
    const out = await dryRun({ hook_event_name: "Stop", cwd: dir }, {
      env: { HOME: home, CLAUDE_NTFY_TOPIC: "from-env" },
      cwd: home,
    });
    ok(out.includes("Topic:    from-env"), out);
  });
});
