import { deepStrictEqual, equal, match } from "node:assert/strict";
import { readCommandLine, usageError } from "../../cli/command_line.ts";
import { ExitCode } from "../../cli/io.ts";
import { memoryIo } from "./commands/_io.ts";

const spec = {
  command: "demo",
  help: "Usage: claude-ntfy demo [--json]\n",
  flags: { json: { type: "boolean" } },
} as const;

Deno.test("readCommandLine() returns the flags and positionals of a good command line", () => {
  const io = memoryIo({}, "/");
  deepStrictEqual(readCommandLine(["--json"], io, spec), {
    flags: { json: true },
    positionals: [],
  });
  equal(io.out() + io.err(), "");
});

Deno.test("readCommandLine() prints the help on stdout for -h and --help, and returns 0", () => {
  for (const flag of ["-h", "--help"]) {
    const io = memoryIo({}, "/");
    equal(readCommandLine([flag, "--json"], io, spec), ExitCode.Ok);
    equal(io.out(), spec.help);
    equal(io.err(), "");
  }
});

Deno.test("readCommandLine() reports a bad flag with the help on stderr and returns 64", () => {
  const io = memoryIo({}, "/");
  equal(readCommandLine(["--bogus"], io, spec), ExitCode.Usage);
  equal(io.err(), `claude-ntfy demo: Unknown option "--bogus"\n\n${spec.help}`);
  equal(io.out(), "");
  const stray = memoryIo({}, "/");
  equal(readCommandLine(["word"], stray, spec), ExitCode.Usage);
  match(stray.err(), /Unexpected argument "word"/);
});

Deno.test("readCommandLine() reports a bad flag as the command asks (the hook: exit 1, no help)", () => {
  const io = memoryIo({}, "/");
  const code = readCommandLine(["--bogus"], io, {
    ...spec,
    onUsageError: { exitCode: ExitCode.Error, showHelp: false },
  });
  equal(code, ExitCode.Error);
  equal(io.err(), 'claude-ntfy demo: Unknown option "--bogus"\n');
});

Deno.test("usageError() prints the command and the problem and returns 64", () => {
  const io = memoryIo({}, "/");
  equal(usageError(io, "queue retry", "name dead-letter ids or pass --all"), ExitCode.Usage);
  equal(io.err(), "claude-ntfy queue retry: name dead-letter ids or pass --all\n");
});

Deno.test("no file of cli/ imports node:util (the hook shares the commands' prologue)", async () => {
  const found: string[] = [];
  const root = new URL("../../cli/", import.meta.url);
  const walk = async (dir: URL): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url);
      else if (
        entry.name.endsWith(".ts") && /from "node:util"/.test(await Deno.readTextFile(url))
      ) {
        found.push(url.pathname.slice(root.pathname.length));
      }
    }
  };
  await walk(root);
  deepStrictEqual(found, []);
});
