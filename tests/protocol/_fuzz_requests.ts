// Random valid requests of every type, the seeds the fuzz mutates.
import {
  MAX_REQUEST_ID,
  type NotificationTask,
  type Request,
  REQUEST_TYPES,
} from "../../protocol/mod.ts";
import type { SeededRandom } from "../support/seeded_random.ts";

const SAFE_STRINGS = ["", "a", "Stop", "ntfy", "é", "✍️", "\u0000", "x".repeat(300), "🙂🙂🙂"];

export function randomText(rng: SeededRandom, max = 40): string {
  const roll = rng.int(4);
  if (roll === 0) return rng.pick(SAFE_STRINGS);
  const length = rng.int(max + 1);
  let text = "";
  for (let i = 0; i < length; i++) {
    text += roll === 1
      ? String.fromCharCode(rng.range(0x20, 0x7e))
      : roll === 2
      ? String.fromCodePoint(rng.pick([rng.range(0x20, 0x7e), rng.range(0xa0, 0x2fff), 0x1f600]))
      : String.fromCharCode(rng.range(0x61, 0x7a));
  }
  return text;
}

export function randomTopic(rng: SeededRandom): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
  let topic = "";
  for (let i = rng.range(1, 64); i > 0; i--) topic += alphabet[rng.int(alphabet.length)];
  return topic;
}

function randomId(rng: SeededRandom): number {
  return rng.pick([0, 1, 2, 7, 255, 256, 65_535, 65_536, MAX_REQUEST_ID, rng.uint32()]);
}

/** A valid notification task with a random selection of the optional fields. */
export function randomTask(rng: SeededRandom): NotificationTask {
  const maybe = <T>(value: () => T): T | undefined => rng.chance(0.5) ? value() : undefined;
  const auth = rng.pick([
    undefined,
    { type: "bearer" as const, token: randomText(rng) },
    { type: "basic" as const, username: randomText(rng), password: randomText(rng) },
  ]);
  const target = compact({
    serverUrl: rng.pick([
      "https://ntfy.sh",
      "https://ntfy.example.com",
      "http://127.0.0.1:9",
      "http://localhost:8080/base",
    ]),
    topic: randomTopic(rng),
    auth,
    sendFormat: maybe(() => rng.pick(["json", "text"] as const)),
    timeoutSecs: maybe(() => rng.pick([0.5, 1, 10, 3600])),
  });
  const message = compact({
    body: randomText(rng, 200),
    title: maybe(() => randomText(rng)),
    priority: maybe(() => rng.pick([1, 2, 3, 4, 5] as const)),
    tags: maybe(() => Array.from({ length: rng.int(4) }, () => randomText(rng, 10))),
    click: maybe(() => "https://example.com/" + randomTopic(rng)),
    actions: maybe(() =>
      Array.from({ length: rng.int(4) }, () =>
        compact({
          action: rng.pick(["view", "http", "broadcast"]),
          label: randomText(rng, 20),
          url: maybe(() => "https://example.com"),
          clear: maybe(() => rng.chance(0.5)),
          method: maybe(() => rng.pick(["GET", "POST"])),
          headers: maybe(() => ({ [randomTopic(rng)]: randomText(rng, 10) })),
          body: maybe(() => randomText(rng)),
        }))
    ),
    markdown: maybe(() => rng.chance(0.5)),
    icon: maybe(() => "https://example.com/i.png"),
    delay: maybe(() => rng.pick(["30m", "tomorrow, 10am", "1700000000"])),
    attach: maybe(() => "https://example.com/a.txt"),
    filename: maybe(() => randomText(rng, 20)),
    email: maybe(() => "a@example.com"),
  });
  const origin = compact({
    event: rng.pick(["Notification", "Stop", "PreToolUse", "test", "cli"]),
    project: maybe(() => "/home/user/" + randomTopic(rng)),
    sessionId: maybe(() => randomTopic(rng)),
    createdAt: rng.pick([0, 1_700_000_000_000, Date.UTC(2030, 0, 1), 1.5]),
  });
  return { target, message, origin } as unknown as NotificationTask;
}

function compact<T extends Record<string, unknown>>(record: T): T {
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record;
}

/** A valid request of a random type (every type in {@linkcode REQUEST_TYPES}). */
export function randomRequest(rng: SeededRandom, type = rng.pick(REQUEST_TYPES)): Request {
  const id = randomId(rng);
  switch (type) {
    case "hello":
      return compact({
        type,
        id,
        version: rng.pick([1, 1, 1, 0, 2, 999]),
        token: rng.chance(0.7) ? randomText(rng, 64) : undefined,
        client: rng.chance(0.5) ? randomText(rng, 20) : undefined,
      }) as Request;
    case "submit":
      return { type, id, task: randomTask(rng) };
    case "event":
      return {
        type,
        id,
        payload: new TextEncoder().encode(
          JSON.stringify({ hook_event_name: randomText(rng, 12), cwd: randomText(rng, 30) }),
        ),
        context: compact({
          cwd: "/" + randomText(rng, 30),
          env: rng.chance(0.5) ? { NTFY_TOPIC: randomTopic(rng) } : {},
          receivedAt: rng.int(2 ** 40),
          hookName: rng.chance(0.3) ? randomText(rng, 12) : undefined,
          projectDir: rng.chance(0.5) ? "/" + randomText(rng, 30) : undefined,
          truncated: rng.chance(0.2) ? true : undefined,
          projectConfig: rng.chance(0.2) ? new TextEncoder().encode("[ntfy]\n") : undefined,
        }),
      } as Request;
    case "retry":
      return compact({
        type,
        id,
        taskIds: rng.chance(0.6)
          ? Array.from({ length: rng.int(4) }, () => randomTopic(rng))
          : undefined,
        all: rng.chance(0.5) ? rng.chance(0.5) : undefined,
      }) as Request;
    default:
      return { type, id };
  }
}
