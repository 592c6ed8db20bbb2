// Run with the daemon's exact permission flags: tries what the daemon must not be able to
// do and prints one JSON line of outcomes ("NotCapable" where Deno refused).
const outcomes: Record<string, string> = {};

async function attempt(name: string, action: () => Promise<unknown> | unknown): Promise<void> {
  try {
    await action();
    outcomes[name] = "allowed";
  } catch (error) {
    outcomes[name] = (error as Error).name;
  }
}

const [outsideFile, stateDir, allowedUrl, otherUrl] = Deno.args as [string, string, string, string];
await attempt("readOutside", () => Deno.readTextFileSync(outsideFile));
await attempt("readEtcPasswd", () => Deno.readTextFileSync("/etc/passwd"));
await attempt("writeOutside", () => Deno.writeTextFileSync(`${outsideFile}.new`, "x"));
await attempt("readState", () => Deno.readDirSync(stateDir).next());
await attempt("writeState", () => Deno.writeTextFileSync(`${stateDir}/probe.txt`, "x"));
await attempt("fetchOther", async () => await (await fetch(otherUrl)).body?.cancel());
await attempt(
  "fetchAllowed",
  async () => await (await fetch(`${allowedUrl}/v1/health`)).body?.cancel(),
);
await attempt("run", () => new Deno.Command("true").outputSync());
await attempt("envSecretElsewhere", () => Deno.env.get("AWS_SECRET_ACCESS_KEY"));
console.log(JSON.stringify(outcomes));
