import { deepStrictEqual, equal, rejects, throws } from "node:assert/strict";
import { writeFileAtomic, writeTextFileAtomicSync } from "../../../core/fs/atomic_write.ts";
import { tempDir } from "../../support/temp_dir.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const modeOf = (path: string) => Deno.statSync(path).mode! & 0o777;
const names = (dir: string) => [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();

Deno.test("writeFileAtomic() replaces a file whole, with exactly the mode asked for", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/dead-letters.jsonl`;
  Deno.writeTextFileSync(path, "old\n", { mode: 0o644 });
  await writeFileAtomic(path, bytes("new\n"), { mode: 0o600 });
  equal(Deno.readTextFileSync(path), "new\n");
  equal(modeOf(path), 0o600);
  deepStrictEqual(names(dir.path), ["dead-letters.jsonl"]);
});

Deno.test("writeFileAtomic() leaves the old file and no temp file when it fails", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/file`;
  Deno.writeTextFileSync(path, "old");
  // A folder where the file should go makes the rename fail after the temp file is written.
  Deno.mkdirSync(`${dir.path}/target`);
  Deno.writeTextFileSync(`${dir.path}/target/inside`, "x");
  await rejects(writeFileAtomic(`${dir.path}/target`, bytes("new"), { fsync: false }));
  equal(Deno.readTextFileSync(path), "old");
  deepStrictEqual(names(dir.path), ["file", "target"]);
});

Deno.test("writeFileAtomic() rejects with NotFound when the folder is missing", async () => {
  await using dir = await tempDir();
  await rejects(writeFileAtomic(`${dir.path}/missing/file`, bytes("x")), Deno.errors.NotFound);
});

Deno.test("writeTextFileAtomicSync() replaces a file whole and cleans up after a failure", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/token`;
  writeTextFileAtomicSync(path, "one\n", { mode: 0o600 });
  writeTextFileAtomicSync(path, "two\n", { mode: 0o600 });
  equal(Deno.readTextFileSync(path), "two\n");
  equal(modeOf(path), 0o600);
  Deno.mkdirSync(`${dir.path}/busy`);
  Deno.writeTextFileSync(`${dir.path}/busy/inside`, "x");
  throws(() => writeTextFileAtomicSync(`${dir.path}/busy`, "no"));
  deepStrictEqual(names(dir.path), ["busy", "token"]);
});
