import assert from "node:assert/strict";
import { resolveProjectDir } from "../../../core/events/mod.ts";

Deno.test("resolveProjectDir() prefers --project, then CLAUDE_PROJECT_DIR, then the payload's cwd", () => {
  const all = { flag: "/flag", envDir: "/env", payloadCwd: "/payload", cwd: "/cwd" };
  assert.equal(resolveProjectDir(all), "/flag");
  assert.equal(resolveProjectDir({ ...all, flag: undefined }), "/env");
  assert.equal(resolveProjectDir({ ...all, flag: "", envDir: "" }), "/payload");
  assert.equal(resolveProjectDir({ payloadCwd: 42, cwd: "/cwd" }), "/cwd");
  assert.equal(resolveProjectDir({}), undefined);
  assert.equal(resolveProjectDir({ envDir: "/src/app/" }), "/src/app");
  assert.equal(resolveProjectDir({ envDir: "/" }), "/");
});

Deno.test("resolveProjectDir() takes a relative path from the working directory", () => {
  assert.equal(resolveProjectDir({ flag: "webapp", cwd: "/src" }), "/src/webapp");
  assert.equal(resolveProjectDir({ flag: ".", cwd: "/src/webapp/" }), "/src/webapp");
  assert.equal(resolveProjectDir({ flag: "./lib/", cwd: "/src" }), "/src/lib");
  assert.equal(resolveProjectDir({ flag: "webapp" }), "webapp");
});
