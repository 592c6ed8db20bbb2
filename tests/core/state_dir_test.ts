import assert from "node:assert/strict";
import { ensurePrivateDir, InstanceError } from "../../core/state_dir.ts";

function modeOf(path: string): number {
  return Deno.statSync(path).mode! & 0o777;
}

async function withTempDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "claude-ntfy-state-" });
  try {
    await fn(dir);
  } finally {
    await Deno.chmod(dir, 0o700).catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("ensurePrivateDir() creates a missing folder and its parents with mode 0700", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/project/.claude/ntfy-service`;
    ensurePrivateDir(path);
    assert.equal(modeOf(path), 0o700);
  });
});

Deno.test("ensurePrivateDir() tightens a folder you own that others can read or enter to 0700", async () => {
  await withTempDir((dir) => {
    for (const mode of [0o755, 0o750, 0o711, 0o705, 0o744]) {
      const path = `${dir}/m${mode.toString(8)}`;
      Deno.mkdirSync(path);
      Deno.chmodSync(path, mode);
      ensurePrivateDir(path);
      assert.equal(modeOf(path), 0o700, mode.toString(8));
    }
  });
});

Deno.test("ensurePrivateDir() refuses a group- or world-writable folder and leaves its mode alone", async () => {
  await withTempDir((dir) => {
    for (const mode of [0o777, 0o775, 0o770, 0o702]) {
      const path = `${dir}/m${mode.toString(8)}`;
      Deno.mkdirSync(path);
      Deno.chmodSync(path, mode);
      assert.throws(() => ensurePrivateDir(path), (error: unknown) => {
        assert.ok(error instanceof InstanceError);
        assert.equal(error.code, "INSECURE_STATE_DIR");
        assert.match(error.message, /group- or world-writable/);
        assert.match(error.message, new RegExp(`run: chmod 700 "${path}"$`));
        return true;
      });
      assert.equal(modeOf(path), mode, "not tightened: the user should look first");
    }
  });
});

Deno.test("ensurePrivateDir() refuses a file in the folder's place", async () => {
  await withTempDir((dir) => {
    Deno.writeTextFileSync(`${dir}/file`, "");
    assert.throws(
      () => ensurePrivateDir(`${dir}/file`),
      (error: unknown) => error instanceof InstanceError && error.code === "STATE_DIR_UNUSABLE",
    );
  });
});
