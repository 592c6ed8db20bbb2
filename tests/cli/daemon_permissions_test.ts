// Least privilege: the daemon runs with permissions scoped to its state folder, its socket,
// its config and its ntfy hosts, and nothing else.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { daemonCommandLine } from "../../cli/daemon_launch.ts";
import { resolveContext } from "../../cli/context.ts";
import type { CliIo } from "../../cli/io.ts";
import { startNtfyServer } from "../support/ntfy_server.ts";
import { createTestHome } from "../support/cli_process.ts";
import { tempDir } from "../support/temp_dir.ts";

function ioFor(env: Record<string, string>, cwd: string): CliIo {
  return {
    stdout: () => {},
    stderr: () => {},
    stdin: new ReadableStream(),
    isTerminal: false,
    env: (name) => env[name],
    cwd,
  };
}

Deno.test("the daemon process runs without -A, with scoped --allow-* flags only", async () => {
  await using server = await startNtfyServer();
  await using home = await createTestHome();
  await home.writeConfig(`[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "t"\n`);
  const pid = await home.startDaemon();
  const argv = Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0");
  ok(!argv.includes("-A") && !argv.includes("--allow-all"), argv.join(" "));
  const allow = argv.filter((arg) => arg.startsWith("--allow-"));
  ok(allow.every((flag) => flag.includes("=")), `every permission is scoped: ${allow.join(" ")}`);
  deepStrictEqual(
    allow.map((flag) => flag.split("=")[0]).sort(),
    ["--allow-env", "--allow-net", "--allow-read", "--allow-sys", "--allow-write"],
  );
  const net = allow.find((flag) => flag.startsWith("--allow-net="))!;
  equal(net, `--allow-net=unix:${home.paths.socketPath},127.0.0.1:${server.port}`);
});

Deno.test("with the daemon's flags, reading or writing outside its scope and reaching other hosts is NotCapable", async () => {
  await using other = await startNtfyServer();
  await using server = await startNtfyServer();
  await using home = await createTestHome();
  // A folder of its own, so that a probe that wrongly may write leaves nothing behind.
  await using scratch = await tempDir({ dir: "/tmp", prefix: "cn-outside-" });
  const outside = `${scratch.path}/outside.txt`;
  await Deno.writeTextFile(outside, "");
  await home.writeConfig(`[ntfy]\nserver_url = "${server.url}"\ndefault_topic = "t"\n`);
  await Deno.mkdir(home.paths.stateDir, { recursive: true, mode: 0o700 });
  const context = resolveContext(ioFor(home.env, home.home));
  const args = daemonCommandLine(context);
  // Same flags, but run the probe instead of the daemon's entry point.
  // [..flags, entry, "daemon", "run", ...]
  const entryIndex = args.indexOf("daemon") - 1;
  ok(entryIndex > 0);
  const probe = new URL("../daemon/support/permission_probe.ts", import.meta.url).pathname;
  const probeArgs = [
    ...args.slice(0, entryIndex),
    probe,
    outside,
    home.paths.stateDir,
    server.url,
    other.url,
  ];
  const output = await new Deno.Command(Deno.execPath(), {
    args: probeArgs,
    env: { ...home.env, AWS_SECRET_ACCESS_KEY: "nope" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  equal(output.code, 0, new TextDecoder().decode(output.stderr));
  deepStrictEqual(JSON.parse(text), {
    readOutside: "NotCapable",
    readEtcPasswd: "NotCapable",
    writeOutside: "NotCapable",
    readState: "allowed",
    writeState: "allowed",
    fetchOther: "NotCapable",
    fetchAllowed: "allowed",
    run: "NotCapable",
    envSecretElsewhere: "NotCapable",
  });
});
