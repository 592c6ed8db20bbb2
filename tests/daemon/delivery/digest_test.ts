// buildDigest(): one message naming several, within ntfy's 4,096-byte limit.
import assert from "node:assert/strict";
import type { NotificationTask } from "../../../protocol/mod.ts";
import {
  buildDigest,
  DIGEST_BODY_LIMIT_BYTES,
  DIGEST_LINE_CHARS,
  digestLine,
} from "../../../daemon/delivery/digest.ts";

const target = { serverUrl: "https://ntfy.example", topic: "alerts", timeoutSecs: 30 };

function task(
  project: string | undefined,
  title: string | undefined,
  body: string,
  extra: Partial<NotificationTask["message"]> = {},
): NotificationTask {
  return {
    target,
    message: { body, ...(title === undefined ? {} : { title }), ...extra },
    origin: {
      event: "Notification",
      ...(project === undefined ? {} : { project: `/home/me/${project}` }),
      createdAt: 5,
    },
  };
}

Deno.test("digestLine() names the project and what happened, once", () => {
  assert.equal(
    digestLine(task("webapp", "webapp: needs permission", "Claude needs your permission")),
    "webapp: needs permission — Claude needs your permission",
  );
  assert.equal(
    digestLine(task("api", "api: Claude finished", "\n  api: Claude finished\nmore")),
    "api: Claude finished — api: Claude finished",
    "the body's first line, even when it repeats the project",
  );
  assert.equal(digestLine(task("cli", undefined, "just a body\nsecond")), "cli: just a body");
  assert.equal(digestLine(task(undefined, "Custom title", "")), "Custom title");
  assert.equal(digestLine(task("x", "", "")), "x: Notification", "the event when nothing else");
  const long = digestLine(task("webapp", "webapp: failed", "é".repeat(500)));
  assert.equal([...long].length, DIGEST_LINE_CHARS);
  assert.ok(long.endsWith("…"));
});

Deno.test("buildDigest() counts, names each project, takes the highest priority and one click", () => {
  const { task: digest, count } = buildDigest([
    task("webapp", "webapp: needs permission", "Write", { priority: 4, click: "https://c" }),
    task("api", "api: Claude finished", "done", { priority: 3, click: "https://c" }),
    task("webapp", "webapp: Bash failed", "exit 1", {
      actions: [{ action: "view", label: "Open", url: "https://a" }],
      sequenceId: "s1",
    }),
  ]);
  assert.equal(count, 3);
  assert.deepEqual(digest.target, target);
  assert.equal(digest.message.title, "3 notifications: webapp, api");
  assert.equal(
    digest.message.body,
    "webapp: needs permission — Write\napi: Claude finished — done\nwebapp: Bash failed — exit 1",
  );
  assert.equal(digest.message.priority, 4);
  assert.equal(digest.message.click, undefined, "the clicks differ");
  assert.equal(digest.message.actions, undefined);
  assert.equal(digest.message.sequenceId, undefined);
  assert.deepEqual(digest.origin, { event: "digest", createdAt: 5 });
});

Deno.test("buildDigest() stops at 4,096 bytes of body; the rest need another digest", () => {
  const tasks = Array.from(
    { length: 100 },
    (_, i) => task(`project-${i}`, undefined, "ü".repeat(80)),
  );
  const { task: digest, count } = buildDigest(tasks);
  const bytes = new TextEncoder().encode(digest.message.body).byteLength;
  assert.ok(bytes <= DIGEST_BODY_LIMIT_BYTES, `${bytes} bytes`);
  assert.ok(count > 10 && count < 100, `named ${count}`);
  assert.equal(digest.message.body.split("\n").length, count);
  assert.equal(
    buildDigest(tasks.slice(count)).task.message.body.split("\n")[0],
    digestLine(tasks[count]!),
  );
  assert.throws(() => buildDigest([]), RangeError);
});
