// Reads V8 `.cpuprofile` files (from `deno run --cpu-prof`) and ranks functions and files
// by self time.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** One function's or file's share of the samples. */
export interface SelfTime {
  readonly name: string;
  readonly selfMs: number;
  readonly share: number;
}

/** Self time by function and by file, summed over every profile given. */
export interface ProfileSummary {
  readonly totalMs: number;
  /** Time not spent idle. */
  readonly busyMs: number;
  readonly functions: SelfTime[];
  readonly files: SelfTime[];
}

function shortUrl(url: string): string {
  if (url === "") return "(native)";
  const npm = /node_modules\/(?:\.deno\/)?([^/]+\/[^/]+|[^/@][^/]*)\//.exec(url) ??
    /registry\.npmjs\.org\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (npm) return `npm:${npm[1]}`;
  return url.replace(/^file:\/\/.*?\/(cli|daemon|protocol|bench|dist|tests)\//, "$1/")
    .replace(/^ext:/, "ext:");
}

/** Sums self time per function and per file over the profiles. */
export function summarizeProfiles(paths: readonly string[]): ProfileSummary {
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const path of paths) {
    const profile = JSON.parse(Deno.readTextFileSync(path)) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const selfUs = new Map<number, number>();
    // timeDeltas[i + 1] is the time until the next sample: charge it to sample i.
    for (let i = 0; i < profile.samples.length; i++) {
      const delta = profile.timeDeltas[i + 1] ?? 0;
      const id = profile.samples[i]!;
      selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
    }
    for (const [id, us] of selfUs) {
      const frame = nodes.get(id)!.callFrame;
      totalUs += us;
      if (frame.functionName === "(idle)") {
        idleUs += us;
        continue;
      }
      const file = shortUrl(frame.url);
      const name = `${frame.functionName || "(anonymous)"}  ${file}${
        frame.url ? `:${frame.lineNumber + 1}` : ""
      }`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + us);
      byFile.set(file, (byFile.get(file) ?? 0) + us);
    }
  }
  const busyUs = totalUs - idleUs;
  const rank = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({
      name,
      selfMs: us / 1000,
      share: busyUs > 0 ? us / busyUs : 0,
    }));
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    functions: rank(byFunction),
    files: rank(byFile),
  };
}

/** The top `count` entries as aligned text lines. */
export function formatSelfTimes(entries: readonly SelfTime[], count: number): string {
  return entries.slice(0, count).map((entry) =>
    `${entry.selfMs.toFixed(1).padStart(9)} ms ${
      (entry.share * 100).toFixed(1).padStart(5)
    }%  ${entry.name}`
  ).join("\n");
}
