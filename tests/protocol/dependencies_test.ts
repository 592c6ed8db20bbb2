// The hook imports protocol/ on every Claude Code event: an npm package there costs tens of
// milliseconds at startup. @msgpack/msgpack stays in deno.json for tests and benchmarks only.
import { deepStrictEqual } from "node:assert/strict";

const root = new URL("../../", import.meta.url);

Deno.test("protocol/mod.ts loads nothing but files of protocol/", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "protocol/mod.ts"],
    cwd: root,
    stdout: "piped",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: Array<{ specifier: string }>;
  };
  const protocol = new URL("protocol/", root).href;
  const outside = graph.modules.map((m) => m.specifier).filter((s) => !s.startsWith(protocol));
  deepStrictEqual(outside, []);
});

async function* sourceFiles(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* sourceFiles(url);
    else if (entry.name.endsWith(".ts")) yield url;
  }
}

Deno.test("no shipped source imports @msgpack/msgpack", async () => {
  const found: string[] = [];
  const files = [new URL("mod.ts", root)];
  for (const dir of ["protocol/", "daemon/", "cli/"]) {
    for await (const file of sourceFiles(new URL(dir, root))) files.push(file);
  }
  for (const file of files) {
    if (/["'](npm:)?@msgpack\/msgpack(@[^"']*)?["']/.test(await Deno.readTextFile(file))) {
      found.push(file.href.slice(root.href.length));
    }
  }
  deepStrictEqual(found, []);
});
