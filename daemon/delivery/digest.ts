/**
 * One notification that stands for several: a title that counts them and one line for
 * each (project and what happened), within ntfy's 4,096-byte message limit.
 *
 * @module
 */

import type { NotificationTask, Priority } from "../../protocol/mod.ts";

/** ntfy's default limit on a message body, in bytes of UTF-8. */
export const DIGEST_BODY_LIMIT_BYTES = 4096;

/** The longest line of a digest, in characters; longer ones end in an ellipsis. */
export const DIGEST_LINE_CHARS = 160;

const encoder = new TextEncoder();

/** A digest and how many of the given tasks it names. */
export interface Digest {
  /** The task to publish in their place. */
  readonly task: NotificationTask;
  /** How many tasks, from the first, it names; the rest need another digest. */
  readonly count: number;
}

/**
 * Folds the first tasks of `tasks` (all for one target) into one digest: as many as fit in
 * `limitBytes` of body, at least one. The digest goes to the first task's target, with the
 * highest priority among them, no actions and no sequence id (it replaces none of theirs).
 *
 * @throws {RangeError} when `tasks` is empty.
 *
 * @example
 * ```ts
 * import { buildDigest } from "./digest.ts";
 *
 * const target = { serverUrl: "https://ntfy.sh", topic: "alerts" };
 * const { task, count } = buildDigest([
 *   { target, message: { title: "webapp: needs permission", body: "Claude needs your permission to use Write" }, origin: { event: "Notification", project: "/home/me/webapp", createdAt: 0 } },
 *   { target, message: { title: "api: Claude finished", body: "Claude finished." }, origin: { event: "Stop", project: "/home/me/api", createdAt: 0 } },
 * ]);
 * console.log(count, task.message.title); // 2 "2 notifications: webapp, api"
 * console.log(task.message.body.split("\n")[1]); // "api: Claude finished — Claude finished."
 * ```
 */
export function buildDigest(
  tasks: readonly NotificationTask[],
  limitBytes: number = DIGEST_BODY_LIMIT_BYTES,
): Digest {
  const first = tasks[0];
  if (first === undefined) throw new RangeError("Cannot build a digest: no tasks");
  const lines: string[] = [];
  let bytes = 0;
  for (const task of tasks) {
    const line = digestLine(task);
    const size = encoder.encode(line).byteLength + (lines.length > 0 ? 1 : 0);
    if (lines.length > 0 && bytes + size > limitBytes) break;
    lines.push(line);
    bytes += size;
  }
  const named = tasks.slice(0, lines.length);
  const projects = [...new Set(named.map(projectName).filter((name) => name !== ""))];
  const clicks = new Set(named.map((task) => task.message.click));
  const priority = Math.max(...named.map((task) => task.message.priority ?? 3)) as Priority;
  const title = `${named.length} notifications${
    projects.length > 0 ? `: ${projects.slice(0, 5).join(", ")}` : ""
  }${projects.length > 5 ? ", …" : ""}`;
  const click = clicks.size === 1 ? first.message.click : undefined;
  const task: NotificationTask = {
    target: first.target,
    message: {
      title,
      body: lines.join("\n"),
      priority,
      tags: ["inbox_tray"],
      ...(click === undefined ? {} : { click }),
    },
    origin: {
      event: "digest",
      ...(projects.length === 1 && first.origin.project !== undefined
        ? { project: first.origin.project }
        : {}),
      createdAt: first.origin.createdAt,
    },
  };
  return { task, count: named.length };
}

/**
 * One line for a task: its project, what happened (the title without the project's name
 * it may start with) and the body's first line, cut to {@linkcode DIGEST_LINE_CHARS}.
 */
export function digestLine(task: NotificationTask): string {
  const project = projectName(task);
  const title = (task.message.title ?? "").trim();
  const firstLine = task.message.body.split("\n").map((line) => line.trim())
    .find((line) => line !== "") ?? "";
  let what = title.startsWith(`${project}: `) ? title.slice(project.length + 2) : title;
  if (what === "") what = firstLine;
  else if (firstLine !== "" && firstLine !== what) what = `${what} — ${firstLine}`;
  if (what === "") what = task.origin.event;
  const line = (project === "" ? what : `${project}: ${what}`).replace(/\s+/g, " ");
  const chars = [...line];
  return chars.length <= DIGEST_LINE_CHARS
    ? line
    : `${chars.slice(0, DIGEST_LINE_CHARS - 1).join("")}…`;
}

/** The last part of the task's project folder, or `""`. */
function projectName(task: NotificationTask): string {
  const project = task.origin.project?.replace(/\/+$/, "") ?? "";
  return project.slice(project.lastIndexOf("/") + 1);
}
