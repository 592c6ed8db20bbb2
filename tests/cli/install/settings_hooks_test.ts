import assert from "node:assert/strict";
import { parseJsonc } from "../../../cli/install/jsonc_edit.ts";
import {
  addHookEntries,
  findHookEntries,
  removeHookEntries,
} from "../../../cli/install/settings_hooks.ts";

const OURS = "/usr/bin/deno run -A --quiet --no-prompt /opt/cn/dist/claude-ntfy.js hook";
const OLD_OURS = "claude-ntfy hook";

const THEIR_STOP = {
  matcher: "",
  hooks: [{ type: "command", command: "afplay /System/Library/Sounds/Glass.aiff" }],
};
const THEIR_PRE_TOOL = {
  matcher: "Bash",
  hooks: [{ type: "command", command: "/opt/guard/check-bash.sh", timeout: 5 }],
};

function settings(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function plain(text: string): Record<string, unknown> {
  return parseJsonc(text) as Record<string, unknown>;
}

Deno.test("addHookEntries() adds our group after other tools' groups and keeps theirs as they were", () => {
  const { text: document, changes } = addHookEntries(
    settings({
      model: "opus",
      hooks: { Stop: [THEIR_STOP], PreToolUse: [THEIR_PRE_TOOL] },
      permissions: { allow: ["Read"] },
    }),
    { command: OURS, events: ["Notification", "Stop"] },
  );
  assert.deepEqual(changes, { added: ["Notification", "Stop"], updated: [], unchanged: [] });
  const ourGroup = { matcher: "", hooks: [{ type: "command", command: OURS, timeout: 10 }] };
  assert.deepEqual(plain(document), {
    model: "opus",
    hooks: { Stop: [THEIR_STOP, ourGroup], PreToolUse: [THEIR_PRE_TOOL], Notification: [ourGroup] },
    permissions: { allow: ["Read"] },
  });
  // Key order: existing keys stay where they were; new events come last.
  assert.deepEqual(Object.keys(plain(document)), ["model", "hooks", "permissions"]);
  assert.deepEqual(Object.keys(plain(document).hooks as object), [
    "Stop",
    "PreToolUse",
    "Notification",
  ]);
});

Deno.test("addHookEntries() creates the hooks object when there is none", () => {
  const { text } = addHookEntries(settings({}), { command: OURS, events: ["Stop"] });
  assert.deepEqual(plain(text), {
    hooks: { Stop: [{ matcher: "", hooks: [{ type: "command", command: OURS, timeout: 10 }] }] },
  });
});

Deno.test("addHookEntries() a second time changes nothing", () => {
  const events = ["Stop", "Notification"];
  const once = addHookEntries(settings({ hooks: { Stop: [THEIR_STOP] } }), {
    command: OURS,
    events,
  });
  const twice = addHookEntries(once.text, { command: OURS, events });
  assert.deepEqual(twice.changes, { added: [], updated: [], unchanged: ["Stop", "Notification"] });
  assert.equal(twice.text, once.text);
});

Deno.test("addHookEntries() updates our old command in place, keeping its matcher, timeout and neighbours", () => {
  const { text: document, changes } = addHookEntries(
    settings({
      hooks: {
        PostToolUseFailure: [{
          matcher: "Bash",
          hooks: [
            { type: "command", command: "/opt/log-failure.sh" },
            { type: "command", command: OLD_OURS, timeout: 30, async: true },
          ],
        }],
        Stop: [{ hooks: [{ type: "command", command: OLD_OURS }] }],
      },
    }),
    { command: OURS, events: ["PostToolUseFailure", "Stop"] },
  );
  assert.deepEqual(changes, { added: [], updated: ["PostToolUseFailure", "Stop"], unchanged: [] });
  assert.deepEqual(plain(document).hooks, {
    PostToolUseFailure: [{
      matcher: "Bash",
      hooks: [
        { type: "command", command: "/opt/log-failure.sh" },
        { type: "command", command: OURS, timeout: 30, async: true },
      ],
    }],
    Stop: [{ hooks: [{ type: "command", command: OURS, timeout: 10 }] }],
  });
});

Deno.test("addHookEntries() removes duplicate entries of ours so an event notifies once", () => {
  const { text: document, changes } = addHookEntries(
    settings({
      hooks: {
        Stop: [
          { matcher: "", hooks: [{ type: "command", command: OURS, timeout: 10 }] },
          THEIR_STOP,
          { matcher: "", hooks: [{ type: "command", command: OLD_OURS }] },
          { matcher: "", hooks: [THEIR_STOP.hooks[0], { type: "command", command: OLD_OURS }] },
        ],
      },
    }),
    { command: OURS, events: ["Stop"] },
  );
  assert.deepEqual(changes.updated, ["Stop"]);
  assert.deepEqual(plain(document).hooks, {
    Stop: [
      { matcher: "", hooks: [{ type: "command", command: OURS, timeout: 10 }] },
      THEIR_STOP,
      { matcher: "", hooks: [THEIR_STOP.hooks[0]] },
    ],
  });
});

Deno.test("addHookEntries() rejects settings of the wrong shape without changing them", () => {
  for (
    const [value, message] of [
      [[], /must hold a JSON object/],
      [{ hooks: [] }, /"hooks" must be an object/],
      [{ hooks: { Stop: {} } }, /"hooks.Stop" must be an array/],
    ] as const
  ) {
    assert.throws(() => addHookEntries(settings(value), { command: OURS, events: ["Stop"] }), {
      name: "TypeError",
      message,
    });
  }
});

Deno.test("removeHookEntries() removes only ours, and only the containers it emptied", () => {
  const original = {
    hooks: {
      Stop: [THEIR_STOP, { matcher: "", hooks: [{ type: "command", command: OURS }] }],
      Notification: [{ matcher: "", hooks: [{ type: "command", command: OURS }] }],
      PreToolUse: [THEIR_PRE_TOOL],
      SessionStart: [],
      PostToolUseFailure: [{
        matcher: "",
        hooks: [{ type: "command", command: OLD_OURS }, { type: "command", command: "x.sh" }],
      }],
    },
    model: "opus",
  };
  const { text: document, removed } = removeHookEntries(settings(original));
  assert.deepEqual(removed, ["Stop", "Notification", "PostToolUseFailure"]);
  assert.deepEqual(plain(document), {
    hooks: {
      Stop: [THEIR_STOP],
      PreToolUse: [THEIR_PRE_TOOL],
      SessionStart: [],
      PostToolUseFailure: [{ matcher: "", hooks: [{ type: "command", command: "x.sh" }] }],
    },
    model: "opus",
  });
  assert.deepEqual(removeHookEntries(document), { text: document, removed: [] });
});

Deno.test("removeHookEntries() drops the hooks object only when it emptied it", () => {
  const ours = settings({ hooks: { Stop: [{ hooks: [{ type: "command", command: OURS }] }] } });
  assert.equal(removeHookEntries(ours).text, "{}\n");
  const empty = settings({ hooks: {} });
  assert.deepEqual(removeHookEntries(empty), { text: empty, removed: [] });
});

Deno.test("findHookEntries() lists our entries with their matcher, not other tools'", () => {
  const document = plain(settings({
    hooks: {
      Stop: [THEIR_STOP, { hooks: [{ type: "command", command: OURS }] }],
      PostToolUseFailure: [{ matcher: "Bash", hooks: [{ type: "command", command: OLD_OURS }] }],
      PreToolUse: [THEIR_PRE_TOOL],
    },
  }));
  assert.deepEqual(findHookEntries(document), [
    { event: "Stop", command: OURS, matcher: "" },
    { event: "PostToolUseFailure", command: OLD_OURS, matcher: "Bash" },
  ]);
});
