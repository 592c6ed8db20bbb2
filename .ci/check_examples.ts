/**
 * Fails when a public function, class, method, accessor or constructor of the published
 * modules (deno.json's "exports") lacks what std asks of its docs: a titled `@example`
 * with a TypeScript snippet that is run (no `ignore`), a `@param` for each parameter and,
 * for functions and methods that return something, `@returns`. Lists every offender.
 *
 * Run: `deno run --allow-read --allow-run .ci/check_examples.ts`
 *
 * @module
 */

interface JsDocTag {
  kind: string;
  name?: string;
  doc?: string;
}

interface JsDoc {
  doc?: string;
  tags?: JsDocTag[];
}

interface Param {
  kind: string;
  name?: string;
  left?: Param;
  arg?: Param;
}

interface TsType {
  repr: string;
  value?: { typeParams?: TsType[] };
}

interface FunctionDef {
  params: Param[];
  returnType?: TsType | null;
}

interface Documented {
  jsDoc?: JsDoc;
  location: { filename: string; line: number };
}

interface Method extends Documented {
  name: string;
  kind: "method" | "getter" | "setter";
  accessibility?: string;
  isStatic?: boolean;
  functionDef: FunctionDef;
}

interface ClassDef {
  constructors: Array<Documented & { accessibility?: string; params: Param[] }>;
  methods: Method[];
}

interface Declaration extends Documented {
  kind: string;
  def?: FunctionDef & ClassDef;
}

interface DocJson {
  nodes: Record<string, { symbols: Array<{ name: string; declarations: Declaration[] }> }>;
}

const root = new URL("../", import.meta.url);

/** The published entry points, from deno.json's "exports". */
async function entryPoints(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  return Object.values(config.exports as Record<string, string>);
}

function paramName(param: Param): string | undefined {
  if (param.kind === "identifier") return param.name;
  if (param.kind === "assign" && param.left) return paramName(param.left);
  if (param.kind === "rest" && param.arg) return paramName(param.arg);
  return undefined;
}

/** Whether a function's return type is `void` or `Promise<void>` (or not written). */
function returnsNothing(type: TsType | null | undefined): boolean {
  if (type === undefined || type === null || type.repr === "void") return true;
  return type.repr === "Promise" && type.value?.typeParams?.[0]?.repr === "void";
}

/** What a documented thing lacks, in words; empty when nothing. */
function problems(jsDoc: JsDoc | undefined, fn?: FunctionDef, wantsReturns = true): string[] {
  const tags = jsDoc?.tags ?? [];
  const found: string[] = [];
  if (!jsDoc?.doc?.trim()) found.push("no description");
  const examples = tags.filter((tag) => tag.kind === "example");
  if (examples.length === 0) found.push("no @example");
  for (const example of examples) {
    const doc = example.doc ?? "";
    const title = doc.split("\n")[0]!.trim();
    if (title === "" || title.startsWith("```")) found.push("an @example without a title");
    const fences = [...doc.matchAll(/^```(\S*)(.*)$/gm)].filter((_, index) => index % 2 === 0);
    if (!fences.some((fence) => fence[1] === "ts" || fence[1] === "typescript")) {
      found.push("an @example without a ts snippet");
    }
    if (fences.some((fence) => /\bignore\b/.test(fence[2]!))) {
      found.push("an @example that is not run (ignore)");
    }
  }
  if (fn !== undefined) {
    const documented = new Set(tags.filter((tag) => tag.kind === "param").map((tag) => tag.name));
    for (const param of fn.params) {
      const name = paramName(param);
      if (name !== undefined && !documented.has(name)) found.push(`no @param ${name}`);
    }
    if (
      wantsReturns && !returnsNothing(fn.returnType) && !tags.some((tag) => tag.kind === "return")
    ) {
      found.push("no @returns");
    }
  }
  return found;
}

/** Every offender as `file:line name: problems`. */
export async function checkExamples(entries: readonly string[]): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...entries],
    cwd: root,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`deno doc failed with exit code ${output.code}`);
  const json = JSON.parse(new TextDecoder().decode(output.stdout)) as DocJson;
  const offenders = new Map<string, string>();
  const report = (name: string, where: Documented, found: string[]) => {
    if (found.length === 0) return;
    const file = where.location.filename.replace(root.href, "");
    offenders.set(`${file}:${where.location.line + 1} ${name}`, found.join(", "));
  };
  for (const node of Object.values(json.nodes)) {
    for (const symbol of node.symbols) {
      for (const declaration of symbol.declarations) {
        if (declaration.kind === "function") {
          report(symbol.name, declaration, problems(declaration.jsDoc, declaration.def));
        }
        if (declaration.kind !== "class" || declaration.def === undefined) continue;
        report(symbol.name, declaration, problems(declaration.jsDoc));
        for (const constructor of declaration.def.constructors ?? []) {
          if (constructor.accessibility === "private") continue;
          report(
            `new ${symbol.name}()`,
            constructor,
            problems(constructor.jsDoc, { params: constructor.params }, false),
          );
        }
        for (const method of declaration.def.methods ?? []) {
          if (method.accessibility === "private" || method.name.startsWith("#")) continue;
          const name = `${symbol.name}${method.isStatic ? "." : ".prototype."}${method.name}`;
          // A getter's value is its description; a setter returns nothing.
          const wantsReturns = method.kind === "method";
          report(name, method, problems(method.jsDoc, method.functionDef, wantsReturns));
        }
      }
    }
  }
  return [...offenders].map(([where, found]) => `${where}: ${found}`).sort();
}

if (import.meta.main) {
  const entries = await entryPoints();
  const offenders = await checkExamples(entries);
  if (offenders.length > 0) {
    console.error(
      `${offenders.length} public symbol(s) of ${entries.join(", ")} lack docs:\n` +
        offenders.map((line) => `  ${line}`).join("\n"),
    );
    Deno.exit(1);
  }
  console.log(`Every public function, class and method of ${entries.join(", ")} has its docs`);
}
