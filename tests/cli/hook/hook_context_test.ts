// hookContext(): what the hook sends along with an event. Only the configuration's
// variables leave the hook's environment; the project's config file travels as bytes;
// the project is the flag (or $CLAUDE_PROJECT_DIR) before the payload's cwd.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { hookContext, type HookInvocation } from "../../../cli/hook/hook_context.ts";
import type { HookStdin } from "../../../cli/hook/read_hook_stdin.ts";
import { projectConfigPath } from "../../../core/config/config_paths.ts";
import { EVENT_LIMITS, validateEventRequest } from "../../../protocol/event_request.ts";

const text = new TextEncoder();
const NOW = 1_750_000_000_000;

function stdin(payload: unknown, change: Partial<HookStdin> = {}): HookStdin {
  const bytes = typeof payload === "string" ? text.encode(payload) : text.encode(
    JSON.stringify(payload),
  );
  return { bytes, truncated: false, timedOut: false, ...change };
}

function invocation(change: Partial<HookInvocation> = {}): HookInvocation {
  return { cwd: "/nonexistent/shell", env: {}, ...change };
}

/** Temp folders with a project config file in one of them, removed afterwards. */
async function withProjects(
  fn: (dirs: { withConfig: string; withoutConfig: string; bytes: Uint8Array }) => void,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "cn-hook-context-" });
  const withConfig = `${root}/webapp`;
  const withoutConfig = `${root}/plain`;
  // Not UTF-8 on purpose: the hook forwards bytes, it does not read the file as text.
  const bytes = new Uint8Array([...text.encode('[ntfy]\ndefault_topic = "p"\n# '), 0xff, 0x0a]);
  await Deno.mkdir(`${withConfig}/.claude/ntfy-service`, { recursive: true });
  await Deno.mkdir(withoutConfig);
  await Deno.writeFile(projectConfigPath(withConfig), bytes);
  try {
    fn({ withConfig, withoutConfig, bytes });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("hookContext() forwards only the CLAUDE_NTFY_* and NTFY_* variables", () => {
  const { context } = hookContext(
    stdin({ hook_event_name: "Stop" }),
    invocation({
      env: {
        PATH: "/usr/bin",
        HOME: "/home/me",
        AWS_SECRET_ACCESS_KEY: "nope",
        GITHUB_TOKEN: "ghp_nope",
        CLAUDE_HOOK: "Stop",
        CLAUDE_PROJECT_DIR: "/src/app",
        CLAUDE_NTFY_TOPIC: "alerts",
        CLAUDE_NTFY_AUTOSTART: "0",
        NTFY_TOKEN: "tk_1",
        claude_ntfy_topic: "lower",
        MY_NTFY_TOKEN: "prefixed",
      },
    }),
    NOW,
  );
  deepStrictEqual(context.env, {
    CLAUDE_NTFY_TOPIC: "alerts",
    CLAUDE_NTFY_AUTOSTART: "0",
    NTFY_TOKEN: "tk_1",
  });
});

Deno.test("hookContext() forwards variables within the daemon's limits only, so one odd variable cannot get every event refused", () => {
  const many = Object.fromEntries(
    Array.from({ length: 80 }, (_, index) => [`NTFY_VAR_${String(index).padStart(2, "0")}`, "x"]),
  );
  const { context } = hookContext(
    stdin({ hook_event_name: "Stop" }),
    invocation({
      env: {
        NTFY_HUGE: "v".repeat(EVENT_LIMITS.maxEnvValueChars + 1),
        [`NTFY_${"N".repeat(EVENT_LIMITS.maxEnvNameChars)}`]: "long name",
        ...many,
      },
    }),
    NOW,
  );
  const names = Object.keys(context.env);
  equal(names.length, EVENT_LIMITS.maxEnvEntries);
  ok(names.every((name) => name.startsWith("NTFY_VAR_")), names.join(" "));
  // What the hook sends, the daemon takes.
  validateEventRequest(
    { type: "event", payload: new Uint8Array(), context },
    1,
    (message) => new Error(message),
  );
});

Deno.test("hookContext() records the cwd and the time, and nothing optional it was not given", () => {
  const { context, projectDir } = hookContext(
    stdin({ hook_event_name: "Stop" }),
    invocation(),
    NOW,
  );
  deepStrictEqual(context, { cwd: "/nonexistent/shell", env: {}, receivedAt: NOW });
  equal(projectDir, "/nonexistent/shell");
});

Deno.test("hookContext() passes the hook name on when it has one", () => {
  const { context } = hookContext(stdin({}), invocation({ hookName: "Notification" }), NOW);
  equal(context.hookName, "Notification");
  ok(!("hookName" in hookContext(stdin({}), invocation({ hookName: "" }), NOW).context));
});

Deno.test("hookContext() marks input cut at the size limit or at the deadline as truncated", () => {
  equal(hookContext(stdin("{", { truncated: true }), invocation(), NOW).context.truncated, true);
  equal(hookContext(stdin("{", { timedOut: true }), invocation(), NOW).context.truncated, true);
  ok(!("truncated" in hookContext(stdin({}), invocation(), NOW).context));
});

Deno.test("hookContext() picks the project: the flag or $CLAUDE_PROJECT_DIR, else the payload's cwd, else the cwd", () => {
  const payload = { hook_event_name: "Stop", cwd: "/nonexistent/from-payload/" };
  const flagged = hookContext(stdin(payload), invocation({ projectDir: "/nonexistent/flag" }), NOW);
  equal(flagged.projectDir, "/nonexistent/flag");
  equal(flagged.context.projectDir, "/nonexistent/flag", "sent so the daemon agrees");
  const fromPayload = hookContext(stdin(payload), invocation(), NOW);
  equal(fromPayload.projectDir, "/nonexistent/from-payload");
  ok(!("projectDir" in fromPayload.context), "the daemon reads the payload's cwd itself");
  equal(hookContext(stdin("not json"), invocation(), NOW).projectDir, "/nonexistent/shell");
  equal(hookContext(stdin({ cwd: 42 }), invocation(), NOW).projectDir, "/nonexistent/shell");
  equal(
    hookContext(stdin(payload), invocation({ projectDir: "rel/app" }), NOW).projectDir,
    "/nonexistent/shell/rel/app",
    "a relative project is taken from the cwd",
  );
});

Deno.test("hookContext() sends the project's config file as its exact bytes when it exists", async () => {
  await withProjects(({ withConfig, withoutConfig, bytes }) => {
    const fromFlag = hookContext(stdin({}), invocation({ projectDir: withConfig }), NOW);
    deepStrictEqual(fromFlag.context.projectConfig, bytes);
    const fromPayload = hookContext(stdin({ cwd: withConfig }), invocation(), NOW);
    deepStrictEqual(fromPayload.context.projectConfig, bytes);
    const fromCwd = hookContext(stdin({}), invocation({ cwd: withConfig }), NOW);
    deepStrictEqual(fromCwd.context.projectConfig, bytes);
    const none = hookContext(stdin({}), invocation({ projectDir: withoutConfig }), NOW);
    ok(!("projectConfig" in none.context));
  });
});

Deno.test("hookContext() reads the config of the chosen project only, not the payload's", async () => {
  await withProjects(({ withConfig, withoutConfig }) => {
    const { context } = hookContext(
      stdin({ hook_event_name: "Stop", cwd: withConfig }),
      invocation({ projectDir: withoutConfig }),
      NOW,
    );
    ok(!("projectConfig" in context), "the flag's project has no config file");
  });
});

Deno.test("hookContext() sends no config when the project path runs through a file", async () => {
  await withProjects(({ withConfig }) => {
    const file = projectConfigPath(withConfig);
    const { context } = hookContext(stdin({}), invocation({ projectDir: `${file}/inner` }), NOW);
    ok(!("projectConfig" in context));
  });
});
