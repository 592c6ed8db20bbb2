// The daemon refuses a task for a server its --allow-net does not cover, asks Deno once per
// server URL, and asks again after a reload.
import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { HostPermissions } from "../../daemon/host_permissions.ts";
import { DaemonError } from "../../daemon/errors.ts";
import type { NotificationTask } from "../../protocol/mod.ts";

function task(serverUrl: string): NotificationTask {
  return {
    target: { serverUrl, topic: "t" },
    message: { body: "hi" },
    origin: { event: "test", createdAt: 0 },
  };
}

Deno.test("HostPermissions asks about host:port with the default port made explicit", () => {
  const asked: string[] = [];
  const hosts = new HostPermissions((host) => {
    asked.push(host);
    return host === "ntfy.sh:443";
  });
  equal(hosts.permitted("https://ntfy.sh"), true);
  equal(hosts.permitted("http://ntfy.sh"), false);
  deepStrictEqual(asked, ["ntfy.sh:443", "ntfy.sh:80"]);
});

Deno.test("HostPermissions caches each answer until clear()", () => {
  let queries = 0;
  const hosts = new HostPermissions(() => {
    queries += 1;
    return true;
  });
  hosts.permitted("https://ntfy.sh");
  hosts.check(task("https://ntfy.sh"));
  equal(queries, 1);
  hosts.clear();
  hosts.permitted("https://ntfy.sh");
  equal(queries, 2);
});

Deno.test("HostPermissions.check() throws HOST_NOT_PERMITTED naming the host and the fix", () => {
  const hosts = new HostPermissions(() => false);
  throws(
    () => hosts.check(task("http://127.0.0.1:9/x")),
    (error: unknown) =>
      error instanceof DaemonError && error.code === "HOST_NOT_PERMITTED" && !error.retryable &&
      error.message.includes("127.0.0.1:9") && error.message.includes("daemon start"),
  );
});

Deno.test("HostPermissions asks Deno by default", () => {
  // Tests run with --allow-all, so every host is granted.
  equal(new HostPermissions().permitted("https://ntfy.sh"), true);
});
