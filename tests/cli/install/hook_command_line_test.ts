import assert from "node:assert/strict";
import {
  hookCommandKind,
  hookCommandLine,
  isClaudeNtfyHookCommand,
} from "../../../cli/install/hook_command_line.ts";
import { shellQuote, splitShellWords } from "../../../cli/install/shell_words.ts";

const AWKWARD_PATHS = [
  "/opt/claude-ntfy/dist/claude-ntfy.js",
  "/Users/Ada Lovelace/My Tools/claude-ntfy/dist/claude-ntfy.js",
  "/home/o'brien/it's here/claude-ntfy.js",
  '/tmp/"quoted" $HOME `cmd` \\ back/claude-ntfy.js',
  "/tmp/tab\there/ünïcødé 🚀/claude-ntfy.js",
];

/** Deno's arguments in the bundle form, before the bundle. */
const BUNDLE_RUN_ARGS = [
  "run",
  "-A",
  "--quiet",
  "--no-prompt",
  "--no-config",
  "--v8-flags=--no-lazy",
];

Deno.test("hookCommandLine() bundle form: deno run -A --quiet --no-prompt --no-config --v8-flags=--no-lazy BUNDLE hook", () => {
  assert.equal(
    hookCommandLine({
      kind: "bundle",
      deno: "/usr/local/bin/deno",
      bundle: "/opt/cn/dist/claude-ntfy.js",
    }),
    "/usr/local/bin/deno run -A --quiet --no-prompt --no-config --v8-flags=--no-lazy /opt/cn/dist/claude-ntfy.js hook",
  );
});

Deno.test("hookCommandLine() quotes paths with spaces and quotes so the shell gets them back whole", () => {
  for (const bundle of AWKWARD_PATHS) {
    const deno = bundle.replace("claude-ntfy.js", "bin/deno");
    const command = hookCommandLine({ kind: "bundle", deno, bundle });
    assert.deepEqual(splitShellWords(command).words, [deno, ...BUNDLE_RUN_ARGS, bundle, "hook"]);
  }
  assert.equal(
    hookCommandLine({ kind: "compiled", executable: "/Users/Ada Lovelace/bin/claude-ntfy" }),
    "'/Users/Ada Lovelace/bin/claude-ntfy' hook",
  );
});

Deno.test("hookCommandLine() source form ends with a marker comment and still runs main.ts hook", () => {
  const command = hookCommandLine({
    kind: "source",
    deno: "/usr/bin/deno",
    entry: "/src/my repo/cli/main.ts",
  });
  assert.equal(
    command,
    "/usr/bin/deno run -A --quiet '/src/my repo/cli/main.ts' hook # claude-ntfy",
  );
  assert.deepEqual(splitShellWords(command), {
    words: ["/usr/bin/deno", "run", "-A", "--quiet", "/src/my repo/cli/main.ts", "hook"],
    comment: "claude-ntfy",
  });
});

Deno.test("hookCommandLine() commands run through a real sh with every argument intact", async () => {
  const root = await Deno.makeTempDir({ prefix: "claude-ntfy it's a dir " });
  try {
    // A stand-in for deno that prints the arguments it got, one per line.
    const fakeDeno = `${root}/fake "deno" $x`;
    await Deno.writeTextFile(
      fakeDeno,
      '#!/bin/sh\nfor arg in "$@"; do printf "%s\\n" "$arg"; done\n',
    );
    await Deno.chmod(fakeDeno, 0o755);
    const bundle = `${root}/dist dir/claude-ntfy.js`;
    for (
      const [command, expected] of [
        [
          hookCommandLine({ kind: "bundle", deno: fakeDeno, bundle }),
          [...BUNDLE_RUN_ARGS, bundle, "hook"],
        ],
        [
          hookCommandLine({ kind: "source", deno: fakeDeno, entry: `${root}/cli/main.ts` }),
          ["run", "-A", "--quiet", `${root}/cli/main.ts`, "hook"],
        ],
      ] as const
    ) {
      const output = await new Deno.Command("sh", { args: ["-c", command], stdout: "piped" })
        .output();
      assert.equal(output.code, 0);
      assert.deepEqual(new TextDecoder().decode(output.stdout).split("\n").slice(0, -1), expected);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("shellQuote() leaves safe words alone and round-trips awkward ones", () => {
  assert.equal(shellQuote("/usr/bin/deno"), "/usr/bin/deno");
  assert.equal(shellQuote("--no-prompt"), "--no-prompt");
  assert.equal(shellQuote(""), "''");
  for (const word of [...AWKWARD_PATHS, "'", "''", "a'b'c", "#not-a-comment", "~/x", "*"]) {
    assert.deepEqual(splitShellWords(shellQuote(word)).words, [word], word);
  }
});

Deno.test("isClaudeNtfyHookCommand() knows every form it writes and the documented one", () => {
  const ours = [
    "claude-ntfy hook",
    "claude-ntfy hook --verbose",
    "/usr/local/bin/claude-ntfy hook",
    ...AWKWARD_PATHS.map((bundle) =>
      hookCommandLine({ kind: "bundle", deno: "/usr/bin/deno", bundle })
    ),
    hookCommandLine({ kind: "source", deno: "/usr/bin/deno", entry: "/x y/cli/main.ts" }),
    hookCommandLine({ kind: "compiled", executable: "/a b/dist/claude-ntfy" }),
  ];
  for (const command of ours) assert.equal(isClaudeNtfyHookCommand(command), true, command);
});

Deno.test("isClaudeNtfyHookCommand() rejects other tools' commands, even ones naming claude-ntfy", () => {
  const theirs = [
    "notify-send 'Claude is done'",
    "echo claude-ntfy hook-free",
    "claude-ntfy-hook hook",
    "/opt/claude-ntfy/other-tool hook",
    "deno run -A /src/app/cli/main.ts hook",
    "/usr/bin/deno run -A /opt/cn/dist/claude-ntfy.js daemon start",
    "say hook # claude-ntfy-not",
    "",
  ];
  for (const command of theirs) assert.equal(isClaudeNtfyHookCommand(command), false, command);
});

Deno.test("hookCommandKind() tells the bundle, compiled and source forms apart", () => {
  assert.equal(
    hookCommandKind(
      hookCommandLine({ kind: "bundle", deno: "/d", bundle: "/r/dist/claude-ntfy.js" }),
    ),
    "bundle",
  );
  assert.equal(hookCommandKind("claude-ntfy hook"), "compiled");
  assert.equal(
    hookCommandKind(hookCommandLine({ kind: "source", deno: "/d", entry: "/r/cli/main.ts" })),
    "source",
  );
  assert.equal(hookCommandKind("other hook"), undefined);
});
