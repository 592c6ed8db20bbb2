// The daemon's per-event configuration: the global file is followed as it changes (no
// restart, no reload), the project file is only ever the bytes the hook sent, the hook's
// variables win over both, and the cache stays bounded.
import { deepStrictEqual, equal, notStrictEqual, strictEqual, throws } from "node:assert/strict";
import { EventConfigCache } from "../../daemon/config_cache.ts";
import { globalConfigPath, projectConfigPath } from "../../core/config/config_paths.ts";
import { ConfigError } from "../../core/config/config_error.ts";
import type { HookContext } from "../../protocol/mod.ts";

const text = new TextEncoder();

function context(change: Partial<HookContext> = {}): HookContext {
  return { cwd: "/src/app", env: {}, receivedAt: 0, ...change };
}

function topicToml(topic: string, extra = ""): string {
  return `[ntfy]\ndefault_topic = "${topic}"\n${extra}`;
}

/** A temp HOME with a global config file, removed afterwards. */
async function withHome(
  fn: (home: { dir: string; configPath: string; write(toml: string): void }) => void,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cn-config-cache-" });
  const configPath = globalConfigPath(dir);
  Deno.mkdirSync(configPath.slice(0, configPath.lastIndexOf("/")), { recursive: true });
  try {
    fn({ dir, configPath, write: (toml) => Deno.writeTextFileSync(configPath, toml) });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("configFor() picks up a global config replaced by an atomic rename on the next call", async () => {
  await withHome(({ dir, configPath, write }) => {
    write(topicToml("first-topic"));
    const cache = new EventConfigCache({ homeDir: dir });
    equal(cache.configFor("/src/app", context()).config.ntfy.default_topic, "first-topic");
    // Same length, so only the inode (and perhaps the mtime) tells the versions apart.
    Deno.writeTextFileSync(`${configPath}.tmp`, topicToml("other-topic"));
    Deno.renameSync(`${configPath}.tmp`, configPath);
    equal(cache.configFor("/src/app", context()).config.ntfy.default_topic, "other-topic");
  });
});

Deno.test("configFor() picks up a global config edited in place, and one that is removed", async () => {
  await withHome(({ dir, configPath, write }) => {
    write(topicToml("before"));
    const cache = new EventConfigCache({ homeDir: dir });
    equal(cache.configFor(undefined, context()).config.ntfy.default_topic, "before");
    write(topicToml("after-the-edit"));
    equal(cache.configFor(undefined, context()).config.ntfy.default_topic, "after-the-edit");
    Deno.removeSync(configPath);
    const loaded = cache.configFor(undefined, context());
    equal(loaded.config.ntfy.default_topic, "", "back to the defaults");
    deepStrictEqual(loaded.files, []);
    write(topicToml("created-again"));
    equal(cache.configFor(undefined, context()).config.ntfy.default_topic, "created-again");
  });
});

Deno.test("configFor() returns the very same object for identical inputs and reads an unchanged file once", () => {
  const reads: string[] = [];
  const cache = new EventConfigCache({
    homeDir: "/home/me",
    stamp: () => "v1",
    readTextFile: (path) => (reads.push(path), topicToml("global")),
  });
  const env = { CLAUDE_NTFY_PRIORITY: "high", NTFY_TOKEN: "tk_1" };
  const first = cache.configFor("/src/app", context({ env }));
  const again = cache.configFor("/src/app", context({ env, receivedAt: 99, cwd: "/elsewhere" }));
  strictEqual(again, first, "time and cwd do not change the configuration");
  const reordered = cache.configFor(
    "/src/app",
    context({ env: { NTFY_TOKEN: "tk_1", CLAUDE_NTFY_PRIORITY: "high" } }),
  );
  strictEqual(reordered, first, "the order of the variables does not matter");
  equal(cache.size, 1);
  // Other inputs are other configurations, but the unchanged global file is not read again.
  notStrictEqual(cache.configFor("/src/other", context({ env })), first);
  notStrictEqual(cache.configFor("/src/app", context({ env: { NTFY_TOKEN: "tk_2" } })), first);
  notStrictEqual(
    cache.configFor("/src/app", context({ env, projectConfig: text.encode("") })),
    first,
    "a project file, even an empty one, is another input",
  );
  equal(cache.size, 4);
  deepStrictEqual(reads, [globalConfigPath("/home/me")]);
});

Deno.test("configFor() reads the global file again only when its stamp changes", () => {
  let stamp: string | null = "v1";
  let reads = 0;
  const cache = new EventConfigCache({
    homeDir: "/home/me",
    stamp: () => stamp,
    readTextFile: () => (reads += 1, topicToml(`global-${stamp}`)),
  });
  const first = cache.configFor("/src/app", context());
  equal(first.config.ntfy.default_topic, "global-v1");
  stamp = "v2";
  const second = cache.configFor("/src/app", context());
  notStrictEqual(second, first);
  equal(second.config.ntfy.default_topic, "global-v2");
  equal(reads, 2);
  stamp = null;
  equal(cache.configFor("/src/app", context()).config.ntfy.default_topic, "");
  equal(reads, 2, "a missing file is not read");
});

Deno.test("configFor() lets the hook's variables override the global and the project file", () => {
  const cache = new EventConfigCache({
    homeDir: "/home/me",
    stamp: () => "v1",
    readTextFile: () => topicToml("from-global", "\n[hooks]\nenabled = true\n"),
  });
  const projectConfig = text.encode(topicToml("from-project"));
  const loaded = cache.configFor(
    "/src/app",
    context({
      projectConfig,
      env: { CLAUDE_NTFY_TOPIC: "from-env", CLAUDE_NTFY_ENABLED: "0", NTFY_TOKEN: "tk_env" },
    }),
  );
  equal(loaded.config.ntfy.default_topic, "from-env");
  equal(loaded.config.hooks.enabled, false);
  equal(loaded.config.ntfy.auth_token, "tk_env");
  const without = cache.configFor("/src/app", context({ projectConfig }));
  equal(without.config.ntfy.default_topic, "from-project", "variables are not remembered");
  equal(without.config.hooks.enabled, true);
});

Deno.test("configFor() layers the project bytes over the global file, key by key", () => {
  const cache = new EventConfigCache({
    homeDir: "/home/me",
    stamp: () => "v1",
    readTextFile: () =>
      topicToml("from-global", 'server_url = "https://ntfy.example.com"\ndefault_priority = 2\n'),
  });
  const loaded = cache.configFor(
    "/src/app",
    context({ projectConfig: text.encode(topicToml("from-project")) }),
  );
  equal(loaded.config.ntfy.default_topic, "from-project");
  equal(loaded.config.ntfy.server_url, "https://ntfy.example.com", "kept from the global file");
  equal(loaded.config.ntfy.default_priority, 2);
  deepStrictEqual(loaded.files, [globalConfigPath("/home/me"), projectConfigPath("/src/app")]);
});

Deno.test("configFor() never reads the project's file from disk: only the bytes the hook sent count", async () => {
  await withHome(({ dir, write }) => {
    write(topicToml("from-global"));
    const project = `${dir}/webapp`;
    Deno.mkdirSync(`${project}/.claude/ntfy-service`, { recursive: true });
    Deno.writeTextFileSync(projectConfigPath(project), topicToml("from-disk"));
    const cache = new EventConfigCache({ homeDir: dir });
    equal(
      cache.configFor(project, context()).config.ntfy.default_topic,
      "from-global",
      "no bytes sent: no project file",
    );
    const loaded = cache.configFor(
      project,
      context({ projectConfig: text.encode(topicToml("from-bytes")) }),
    );
    equal(loaded.config.ntfy.default_topic, "from-bytes");
  });
});

Deno.test("configFor() throws ConfigError for invalid project bytes every time, caching nothing", () => {
  const cache = new EventConfigCache({
    homeDir: "/home/me",
    stamp: () => "v1",
    readTextFile: () => topicToml("from-global"),
  });
  const bad = context({ projectConfig: text.encode("[ntfy\ndefault_topic = 1\n") });
  for (let attempt = 0; attempt < 2; attempt++) {
    throws(
      () => cache.configFor("/src/app", bad),
      (error) =>
        error instanceof ConfigError && error.message.includes(projectConfigPath("/src/app")),
      "the error names the project's file",
    );
    equal(cache.size, 0);
  }
  throws(
    () => cache.configFor("/src/app", context({ env: { CLAUDE_NTFY_PRIORITY: "loudest" } })),
    ConfigError,
  );
  equal(cache.size, 0);
});

Deno.test("configFor() keeps at most maxEntries configurations, dropping the least recently used", () => {
  let loads = 0;
  const cache = new EventConfigCache({
    homeDir: "/home/me",
    maxEntries: 2,
    stamp: () => "v1",
    readTextFile: () => (loads += 1, topicToml("t")),
  });
  const env = (topic: string) => context({ env: { CLAUDE_NTFY_TOPIC: topic } });
  const a = cache.configFor("/a", env("a"));
  const b = cache.configFor("/b", env("b"));
  strictEqual(cache.configFor("/a", env("a")), a, "a is now the most recently used");
  const c = cache.configFor("/c", env("c"));
  equal(cache.size, 2);
  strictEqual(cache.configFor("/a", env("a")), a, "a was kept");
  strictEqual(cache.configFor("/c", env("c")), c, "c was kept");
  const bAgain = cache.configFor("/b", env("b"));
  notStrictEqual(bAgain, b, "b, the least recently used, was dropped and is loaded anew");
  equal(bAgain.config.ntfy.default_topic, "b");
  equal(cache.size, 2);
  equal(loads, 1, "the global file itself is read once throughout");
});

Deno.test("the default maxEntries bounds the cache at 64", () => {
  const cache = new EventConfigCache({ homeDir: "/home/me", stamp: () => null });
  for (let i = 0; i < 100; i++) {
    cache.configFor(`/project/${i}`, context({ env: { CLAUDE_NTFY_TOPIC: `t${i}` } }));
  }
  equal(cache.size, 64);
});
