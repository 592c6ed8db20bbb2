import { deepStrictEqual, throws } from "node:assert/strict";
import { parseFlags } from "../../cli/parse_flags.ts";

const specs = {
  "hook-name": { type: "string" },
  project: { type: "string" },
  "dry-run": { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
  detach: { type: "boolean", short: "d" },
  interval: { type: "string", short: "i" },
  filter: { type: "string", multiple: true },
} as const;

Deno.test("parseFlags() reads --name value, --name=value, booleans and short aliases", () => {
  deepStrictEqual(
    parseFlags(["--hook-name", "Stop", "--project=/a b", "--dry-run", "-v"], specs).flags,
    { "hook-name": "Stop", project: "/a b", "dry-run": true, verbose: true },
  );
  deepStrictEqual(parseFlags([], specs), { flags: {}, positionals: [] });
  deepStrictEqual(parseFlags(["--project="], specs).flags, { project: "" });
});

Deno.test("parseFlags() reads grouped short flags, and a short string flag's value", () => {
  deepStrictEqual(parseFlags(["-dv"], specs).flags, { detach: true, verbose: true });
  deepStrictEqual(parseFlags(["-vi", "5"], specs).flags, { verbose: true, interval: "5" });
  deepStrictEqual(parseFlags(["-i2"], specs).flags, { interval: "2" });
});

Deno.test("parseFlags() collects a multiple flag's values in order; a single flag keeps the last", () => {
  deepStrictEqual(
    parseFlags(["--filter", "!Read", "--project=a", "--filter=Bash", "--project", "b"], specs)
      .flags,
    { filter: ["!Read", "Bash"], project: "b" },
  );
});

Deno.test("parseFlags() collects positionals where allowed, and everything after --", () => {
  deepStrictEqual(
    parseFlags(["status", "-v", "--", "--not-a-flag", "-x"], specs, { allowPositionals: true }),
    { flags: { verbose: true }, positionals: ["status", "--not-a-flag", "-x"] },
  );
  deepStrictEqual(parseFlags(["-"], specs, { allowPositionals: true }).positionals, ["-"]);
});

Deno.test("parseFlags() rejects unknown flags, missing values, values on booleans and positionals", () => {
  throws(() => parseFlags(["--nope"], specs), /Unknown option "--nope"/);
  throws(() => parseFlags(["-x"], specs), /Unknown option "-x"/);
  throws(() => parseFlags(["-vx"], specs), /Unknown option "-x"/);
  throws(() => parseFlags(["--project"], specs), /needs a value/);
  throws(() => parseFlags(["-i"], specs), /Option "-i" needs a value/);
  throws(() => parseFlags(["--dry-run=yes"], specs), /does not take a value/);
  throws(() => parseFlags(["stray"], specs), /Unexpected argument "stray"/);
  throws(() => parseFlags(["--", "stray"], specs), /Unexpected argument "stray"/);
  throws(() => parseFlags(["--constructor"], specs), /Unknown option/);
  throws(() => parseFlags(["--__proto__"], specs), /Unknown option/);
});
