// Every way a task enters the daemon goes through acceptTask: secrets registered first,
// then the host check, then the durable queue.
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { createTaskAcceptor } from "../../daemon/accept_task.ts";
import { DaemonError } from "../../daemon/errors.ts";
import { HostPermissions } from "../../daemon/host_permissions.ts";
import { Logger } from "../../daemon/log.ts";
import type { NotificationTask } from "../../protocol/mod.ts";

function task(serverUrl: string): NotificationTask {
  return {
    target: { serverUrl, topic: "t", auth: { type: "bearer", token: "tk_accept_secret" } },
    message: { body: "hi" },
    origin: { event: "Stop", createdAt: 0 },
  };
}

function setup() {
  const lines: string[] = [];
  const admitted: Array<[NotificationTask, string | undefined]> = [];
  const log = new Logger({ level: "debug", sink: (line) => lines.push(line) });
  const acceptTask = createTaskAcceptor({
    queue: {
      admit: (accepted, id) => {
        admitted.push([accepted, id]);
        return Promise.resolve(id ?? "fresh-1");
      },
    },
    hosts: new HostPermissions((host) => host === "ntfy.sh:443"),
    log,
  });
  return { acceptTask, admitted, lines, log };
}

Deno.test("acceptTask admits a task for a permitted server and resolves with its id", async () => {
  const { acceptTask, admitted, lines } = setup();
  const accepted = task("https://ntfy.sh");
  equal(await acceptTask(accepted), "fresh-1");
  equal(await acceptTask(accepted, "spool-1"), "spool-1");
  deepStrictEqual(admitted, [[accepted, undefined], [accepted, "spool-1"]]);
  ok(lines.some((line) => line.includes("accepted") && line.includes("fresh-1")));
});

Deno.test("acceptTask refuses a server the daemon may not reach, before the queue", async () => {
  const { acceptTask, admitted } = setup();
  await rejects(
    acceptTask(task("http://elsewhere.example")),
    (error: unknown) => error instanceof DaemonError && error.code === "HOST_NOT_PERMITTED",
  );
  deepStrictEqual(admitted, []);
});

Deno.test("acceptTask registers the task's token with the log even when it refuses it", async () => {
  const { acceptTask, lines, log } = setup();
  await rejects(acceptTask(task("http://elsewhere.example")));
  log.warn("publish failed", { error: "401 for tk_accept_secret" });
  ok(!lines.some((line) => line.includes("tk_accept_secret")), lines.join("\n"));
});
