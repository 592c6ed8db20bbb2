// The command table: every command is listed once, and the lazy entries describe their
// command exactly as the command's own module does.
import { deepStrictEqual, equal } from "node:assert/strict";
import { commands } from "../../../cli/commands/mod.ts";

Deno.test("the command table lists each command once, hook first", () => {
  const names = commands.map((command) => command.name);
  equal(names[0], "hook");
  deepStrictEqual([...new Set(names)], names);
});

Deno.test("lazy table entries carry the same summary as the modules they load", async () => {
  const modules: Record<string, () => Promise<{ name: string; summary: string }>> = {
    daemon: async () => (await import("../../../cli/commands/daemon.ts")).daemonCommand,
    queue: async () => (await import("../../../cli/commands/queue.ts")).queueCommand,
    init: async () => (await import("../../../cli/commands/init.ts")).initCommand,
    "uninstall-hooks": async () =>
      (await import("../../../cli/commands/uninstall_hooks.ts")).uninstallHooksCommand,
    test: async () => (await import("../../../cli/commands/test.ts")).testCommand,
    doctor: async () => (await import("../../../cli/commands/doctor.ts")).doctorCommand,
    config: async () => (await import("../../../cli/commands/config.ts")).configCommand,
    templates: async () => (await import("../../../cli/commands/templates.ts")).templatesCommand,
  };
  for (const entry of commands.slice(1)) {
    const loaded = await modules[entry.name]!();
    equal(loaded.name, entry.name);
    equal(loaded.summary, entry.summary, entry.name);
  }
});
