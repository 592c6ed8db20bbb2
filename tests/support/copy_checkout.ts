// A copy of the checkout's tracked files, as Claude Code installs a plugin from a local
// marketplace: what a test runs when it needs a plugin folder of its own.
import { REPO_ROOT } from "./cli_process.ts";

/** Copies the checkout's tracked files (as they are on disk, modes kept) into `target`. */
export async function copyCheckout(target: string): Promise<void> {
  const listed = await new Deno.Command("git", {
    args: ["-C", REPO_ROOT, "ls-files", "-z"],
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!listed.success) {
    throw new Error(`git ls-files failed: ${new TextDecoder().decode(listed.stderr)}`);
  }
  const files = new TextDecoder().decode(listed.stdout).split("\0").filter((name) => name !== "");
  for (const file of files) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(`${REPO_ROOT}/${file}`);
    } catch {
      continue; // Deleted in the work tree.
    }
    const to = `${target}/${file}`;
    await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(`${REPO_ROOT}/${file}`, to);
    await Deno.chmod(to, (info.mode ?? 0o644) & 0o777);
  }
}
