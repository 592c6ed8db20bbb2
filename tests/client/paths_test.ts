import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import {
  MAX_SOCKET_PATH_BYTES,
  resolveDaemonPaths,
  shortHash,
  utf8Length,
} from "../../client/paths.ts";
import { SeededRandom } from "../support/seeded_random.ts";
import { ClientError } from "../../client/errors.ts";

Deno.test("resolveDaemonPaths() uses ~/.claude/ntfy-service unless the project has its own folder", () => {
  equal(
    resolveDaemonPaths({ homeDir: "/home/ada" }).socketPath,
    "/home/ada/.claude/ntfy-service/daemon.sock",
  );
  const project = resolveDaemonPaths({
    homeDir: "/home/ada",
    projectDir: "/src/app",
    projectHasStateDir: true,
  });
  equal(project.stateDir, "/src/app/.claude/ntfy-service");
  equal(project.pidPath, "/src/app/.claude/ntfy-service/daemon.pid");
  const noFolder = resolveDaemonPaths({
    homeDir: "/home/ada",
    projectDir: "/src/app",
    projectHasStateDir: false,
  });
  equal(noFolder.stateDir, "/home/ada/.claude/ntfy-service");
});

Deno.test("CLAUDE_NTFY_SOCKET beats daemon.socket_path, and ~ expands", () => {
  equal(
    resolveDaemonPaths({
      homeDir: "/h",
      envSocketPath: "/run/a.sock",
      configSocketPath: "/run/b.sock",
    }).socketPath,
    "/run/a.sock",
  );
  equal(
    resolveDaemonPaths({ homeDir: "/h", configSocketPath: "~/x.sock" }).socketPath,
    "/h/x.sock",
  );
});

Deno.test("a socket path over 107 bytes moves to a short per-user path derived from the long one", () => {
  const long = `/home/ada/${"very-long-project-name/".repeat(5)}state`;
  const a = resolveDaemonPaths({
    homeDir: "/home/ada",
    stateDir: long,
    runtimeDir: "/run/user/1000",
  });
  ok(a.socketRelocated);
  ok(new TextEncoder().encode(a.socketPath).byteLength <= MAX_SOCKET_PATH_BYTES);
  ok(a.socketPath.startsWith("/run/user/1000/claude-ntfy/"));
  equal(a.pidPath, `${long}/daemon.pid`, "the PID file stays in the state folder");
  const again = resolveDaemonPaths({
    homeDir: "/home/ada",
    stateDir: long,
    runtimeDir: "/run/user/1000",
  });
  equal(again.socketPath, a.socketPath, "client and daemon derive the same path");
  const other = resolveDaemonPaths({
    homeDir: "/home/ada",
    stateDir: long + "2",
    runtimeDir: "/run/user/1000",
  });
  ok(other.socketPath !== a.socketPath, "different long paths get different short ones");
  const noRuntime = resolveDaemonPaths({ homeDir: "/home/ada", stateDir: long, uid: 1000 });
  ok(noRuntime.socketPath.startsWith("/tmp/claude-ntfy-1000/"));
});

Deno.test("a path of exactly 107 bytes stays where it is", () => {
  const dir = "/" + "d".repeat(107 - "/daemon.sock".length - 1);
  const paths = resolveDaemonPaths({ homeDir: "/h", stateDir: dir });
  equal(new TextEncoder().encode(paths.socketPath).byteLength, 107);
  equal(paths.socketRelocated, false);
});

Deno.test("shortHash() is 64-bit FNV-1a", () => {
  deepStrictEqual([shortHash(""), shortHash("a"), shortHash("foobar")], [
    "cbf29ce484222325",
    "af63dc4c8601ec8c",
    "85944171f73967e8",
  ]);
});

Deno.test("utf8Length() counts the bytes the kernel sees, as TextEncoder encodes them, lone surrogates too", () => {
  const random = new SeededRandom(11);
  const units = [
    0x41,
    0x7f,
    0x80,
    0x7ff,
    0x800,
    0xd7ff,
    0xd800,
    0xdbff,
    0xdc00,
    0xdfff,
    0xe000,
    0xffff,
  ];
  for (let round = 0; round < 2_000; round++) {
    const length = random.int(13);
    const text = String.fromCharCode(
      ...Array.from({ length }, () => units[random.int(units.length)]!),
    );
    equal(utf8Length(text), new TextEncoder().encode(text).byteLength, JSON.stringify(text));
  }
  equal(utf8Length("/home/zoë/🚀"), new TextEncoder().encode("/home/zoë/🚀").byteLength);
});

Deno.test("resolveDaemonPaths() needs no home folder for a given state folder, and says NO_HOME when it does need one", () => {
  const given = resolveDaemonPaths({ stateDir: "/srv/claude-ntfy" });
  equal(given.socketPath, "/srv/claude-ntfy/daemon.sock");
  const project = resolveDaemonPaths({ projectDir: "/src/app", projectHasStateDir: true });
  equal(project.stateDir, "/src/app/.claude/ntfy-service");
  for (
    const inputs of [{}, { stateDir: "~/state" }, { stateDir: "/s", envSocketPath: "~/x.sock" }]
  ) {
    throws(
      () => resolveDaemonPaths(inputs),
      (error) => error instanceof ClientError && error.code === "NO_HOME",
      JSON.stringify(inputs),
    );
  }
});
