import { deepStrictEqual, throws } from "node:assert/strict";
import { parseFlags } from "../../cli/parse_flags.ts";

const specs = {
  "hook-name": { type: "string" as const },
  project: { type: "string" as const },
  "dry-run": { type: "boolean" as const },
  verbose: { type: "boolean" as const, short: "v" },
};

Deno.test("parseFlags() reads --name value, --name=value, booleans and short aliases", () => {
  deepStrictEqual(parseFlags(["--hook-name", "Stop", "--project=/a b", "--dry-run", "-v"], specs), {
    "hook-name": "Stop",
    project: "/a b",
    "dry-run": true,
    verbose: true,
  });
  deepStrictEqual(parseFlags([], specs), {});
  deepStrictEqual(parseFlags(["--project="], specs), { project: "" });
});

Deno.test("parseFlags() rejects unknown flags, missing values, values on booleans and positionals", () => {
  throws(() => parseFlags(["--nope"], specs), /Unknown option "--nope"/);
  throws(() => parseFlags(["-x"], specs), /Unknown option "-x"/);
  throws(() => parseFlags(["--project"], specs), /needs a value/);
  throws(() => parseFlags(["--dry-run=yes"], specs), /does not take a value/);
  throws(() => parseFlags(["stray"], specs), /Unexpected argument "stray"/);
  throws(() => parseFlags(["--constructor"], specs), /Unknown option/);
});
