// Task fixtures and temp-dir helpers shared by the queue tests.
import type { NotificationTask } from "../../../protocol/mod.ts";
import { tempDir } from "../../support/temp_dir.ts";

/** A small valid task whose body names `n`. */
export function sampleTask(n: number | string, token?: string): NotificationTask {
  return {
    target: {
      serverUrl: "https://ntfy.example.com",
      topic: "alerts",
      ...(token ? { auth: { type: "bearer" as const, token } } : {}),
    },
    message: { title: "Claude is waiting", body: `task ${n}`, priority: 4, tags: ["robot"] },
    origin: { event: "Notification", project: "/home/ada/webapp", createdAt: 1_700_000_000_000 },
  };
}

/** Runs `body` with a fresh temp dir, removed afterwards. */
export async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  await using dir = await tempDir({ prefix: "cn-queue-" });
  await body(dir.path);
}

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
