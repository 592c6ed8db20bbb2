// Finding a project's claude-ntfy folder and config by listing folders: the same answers
// as opening the paths would give, without the failed opens.
import { deepStrictEqual, equal } from "node:assert/strict";
import { findProjectFiles } from "../../../cli/hook/project_files.ts";

async function withProject(run: (project: string) => void | Promise<void>) {
  const project = await Deno.makeTempDir({ prefix: "cn-project-" });
  try {
    await run(project);
  } finally {
    await Deno.remove(project, { recursive: true });
  }
}

Deno.test("findProjectFiles() finds nothing in a project without .claude, or with .claude alone", () =>
  withProject((project) => {
    deepStrictEqual(findProjectFiles(project), { hasStateDir: false });
    Deno.mkdirSync(`${project}/.claude`);
    Deno.writeTextFileSync(`${project}/.claude/settings.local.json`, "{}");
    deepStrictEqual(findProjectFiles(project), { hasStateDir: false });
  }));

Deno.test("findProjectFiles() finds the state folder, then its config file's bytes", () =>
  withProject((project) => {
    Deno.mkdirSync(`${project}/.claude/ntfy-service`, { recursive: true });
    deepStrictEqual(findProjectFiles(project), { hasStateDir: true });
    Deno.writeTextFileSync(`${project}/.claude/ntfy-service/config.toml`, '[ntfy]\ntopic = "x"\n');
    const found = findProjectFiles(`${project}/`);
    equal(found.hasStateDir, true);
    equal(new TextDecoder().decode(found.config), '[ntfy]\ntopic = "x"\n');
  }));

Deno.test("findProjectFiles() follows links, and takes files named like folders for what they are", () =>
  withProject((project) => {
    const elsewhere = `${project}/elsewhere`;
    Deno.mkdirSync(`${elsewhere}/ntfy-service`, { recursive: true });
    Deno.writeTextFileSync(`${elsewhere}/ntfy-service/config.toml`, "linked");
    Deno.mkdirSync(`${project}/app`);
    Deno.symlinkSync(elsewhere, `${project}/app/.claude`);
    equal(new TextDecoder().decode(findProjectFiles(`${project}/app`).config), "linked");

    Deno.mkdirSync(`${project}/other/.claude`, { recursive: true });
    Deno.writeTextFileSync(`${project}/other/.claude/ntfy-service`, "a file, not a folder");
    deepStrictEqual(findProjectFiles(`${project}/other`), { hasStateDir: false });

    Deno.mkdirSync(`${project}/dangling`);
    Deno.symlinkSync(`${project}/nowhere`, `${project}/dangling/.claude`);
    deepStrictEqual(findProjectFiles(`${project}/dangling`), { hasStateDir: false });
  }));

Deno.test("findProjectFiles() finds nothing for a project folder that does not exist or is a file", () =>
  withProject((project) => {
    deepStrictEqual(findProjectFiles(`${project}/gone`), { hasStateDir: false });
    Deno.writeTextFileSync(`${project}/file`, "");
    deepStrictEqual(findProjectFiles(`${project}/file`), { hasStateDir: false });
  }));
