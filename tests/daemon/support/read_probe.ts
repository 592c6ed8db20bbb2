// Run with a daemon's exact permission flags: tries to read each path given (a file's
// bytes, a folder's entries) and prints one JSON line mapping each path to "allowed" or
// the name of the error ("NotCapable" where Deno refused).
const outcomes: Record<string, string> = {};
for (const path of Deno.args) {
  try {
    try {
      Deno.readFileSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.IsADirectory)) throw error;
      Deno.readDirSync(path).next();
    }
    outcomes[path] = "allowed";
  } catch (error) {
    outcomes[path] = (error as Error).name;
  }
}
console.log(JSON.stringify(outcomes));
