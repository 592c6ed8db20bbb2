import { equal, ok } from "node:assert/strict";
import { Logger, parseLogLevel } from "../../daemon/log.ts";
import { openLogFile } from "../../daemon/log_file.ts";
import { tempDir } from "../support/temp_dir.ts";

Deno.test("Logger writes levelled key=value lines and masks registered secrets", () => {
  const lines: string[] = [];
  const log = new Logger({
    level: "info",
    sink: (line) => lines.push(line),
    clock: () => new Date(0),
  });
  log.addSecret("tk_abcdef123456");
  log.debug("hidden");
  log.info("delivered", { id: "x-1", topic: "alerts", note: "has spaces", missing: undefined });
  log.error("failed", { error: "401 for Bearer tk_abcdef123456" });
  equal(lines.length, 2);
  equal(
    lines[0],
    '1970-01-01T00:00:00.000Z INFO  delivered id=x-1 topic=alerts note="has spaces"\n',
  );
  ok(!lines[1]!.includes("tk_abcdef123456"));
  ok(lines[1]!.includes("401 for Bearer ********"));
  log.setLevel("debug");
  log.debug("now shown");
  equal(lines.length, 3);
});

Deno.test("parseLogLevel() accepts the config's names, maps trace to debug, defaults to info", () => {
  equal(parseLogLevel("WARN"), "warn");
  equal(parseLogLevel("trace"), "debug");
  equal(parseLogLevel("chatty"), "info");
  equal(parseLogLevel(undefined), "info");
});

Deno.test("openLogFile() rotates by size, keeps N files, and creates them 0600", async () => {
  await using dir = await tempDir({ prefix: "cn-log-" });
  const path = `${dir.path}/daemon.log`;
  const sink = openLogFile(path, { maxBytes: 100, keep: 2 });
  for (let i = 0; i < 10; i++) sink(`line ${i} ${"x".repeat(40)}\n`);
  const names = [...Deno.readDirSync(dir.path)].map((entry) => entry.name).sort();
  equal(names.join(","), "daemon.log,daemon.log.1,daemon.log.2");
  ok(Deno.statSync(path).size <= 100);
  equal(Deno.statSync(path).mode! & 0o777, 0o600);
  ok(Deno.readTextFileSync(path).includes("line 9"), "the newest line is in the live file");
});
