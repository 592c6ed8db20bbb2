// The latency chart: cumulative distributions on a log time axis, hand-written SVG with
// no dependencies. A curve further left is faster; a steeper one is steadier.

import { percentile } from "./_stats.ts";

const COLORS = ["#1b7837", "#2166ac", "#762a83", "#e08214", "#b2182b", "#4d4d4d", "#01665e"];
const WIDTH = 960;
const PLOT_HEIGHT = 330;
const MARGIN = { left: 70, right: 30, top: 70 };
const LEGEND_ROW = 22;

function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function formatMs(ms: number): string {
  if (ms < 1) return `${+(ms * 1000).toPrecision(3)} µs`;
  if (ms < 1000) return `${+ms.toPrecision(3)} ms`;
  return `${+(ms / 1000).toPrecision(3)} s`;
}

/**
 * Renders the cumulative distribution of each series (samples in ms) as an SVG document.
 */
export function latencyChart(
  series: Record<string, readonly number[]>,
  options: { title: string; subtitle: string },
): string {
  const entries = Object.entries(series)
    .map(([name, samples]) => [name, samples.filter((s) => s > 0).sort((a, b) => a - b)] as const)
    .filter(([, samples]) => samples.length > 0)
    .sort((a, b) => percentile(a[1], 50) - percentile(b[1], 50));
  const all = entries.flatMap(([, samples]) => [samples[0]!, samples[samples.length - 1]!]);
  const low = Math.floor(Math.log10(Math.min(...all, 1)));
  // Headroom on the right, so that the 100 ms polling curve does not run into the frame.
  const high = Math.ceil(Math.log10(Math.max(...all, 100) * 2));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PLOT_HEIGHT;
  const height = MARGIN.top + plotHeight + 70 + entries.length * LEGEND_ROW + 10;
  const x = (ms: number) => MARGIN.left + ((Math.log10(ms) - low) / (high - low)) * plotWidth;
  const y = (fraction: number) => MARGIN.top + (1 - fraction) * plotHeight;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" ` +
      `viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="28" font-size="18" font-weight="bold">${
      escape(options.title)
    }</text>`,
    `<text x="${MARGIN.left}" y="50" fill="#555">${escape(options.subtitle)}</text>`,
  );
  // Grid and axes: decades and their 2× and 5× marks on x, every 10 % on y.
  for (let decade = low; decade <= high; decade++) {
    for (const step of [1, 2, 5]) {
      const ms = step * 10 ** decade;
      if (Math.log10(ms) > high) continue;
      const px = x(ms).toFixed(1);
      const major = step === 1;
      out.push(
        `<line x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" ` +
          `stroke="${major ? "#bbb" : "#e5e5e5"}" stroke-width="1"/>`,
      );
      if (major) {
        out.push(
          `<text x="${px}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${
            formatMs(ms)
          }</text>`,
        );
      }
    }
  }
  for (let tenth = 0; tenth <= 10; tenth++) {
    const py = y(tenth / 10).toFixed(1);
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${py}" y2="${py}" ` +
        `stroke="${tenth % 5 === 0 ? "#bbb" : "#eee"}"/>`,
      `<text x="${MARGIN.left - 8}" y="${Number(py) + 4}" text-anchor="end">${tenth * 10}%</text>`,
    );
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" ` +
      `fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${MARGIN.top + plotHeight + 40}" ` +
      `text-anchor="middle">latency (log scale)</text>`,
    `<text transform="translate(20 ${MARGIN.top + plotHeight / 2}) rotate(-90)" ` +
      `text-anchor="middle">share of samples at or below (cumulative)</text>`,
  );
  if (high >= 2) {
    const px = x(100).toFixed(1);
    out.push(
      `<line x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" ` +
        `stroke="#b2182b" stroke-dasharray="5 4"/>`,
      `<text x="${Number(px) + 6}" y="${MARGIN.top + plotHeight - 8}" fill="#b2182b">` +
        `100 ms polling interval</text>`,
    );
  }
  entries.forEach(([name, samples], index) => {
    const color = COLORS[index % COLORS.length];
    // At most ~500 points per curve: every sample's rank, thinned evenly.
    const stride = Math.max(1, Math.floor(samples.length / 500));
    const points: string[] = [];
    for (let i = 0; i < samples.length; i += stride) {
      points.push(`${x(samples[i]!).toFixed(1)},${y((i + 1) / samples.length).toFixed(1)}`);
    }
    points.push(`${x(samples[samples.length - 1]!).toFixed(1)},${y(1).toFixed(1)}`);
    out.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2.2" points="${points.join(" ")}"/>`,
    );
    const p50 = percentile(samples, 50);
    out.push(
      `<circle cx="${x(p50).toFixed(1)}" cy="${y(0.5).toFixed(1)}" r="4" fill="${color}"/>`,
    );
    // Legend under the plot, fastest first.
    const lx = MARGIN.left;
    const ly = MARGIN.top + plotHeight + 70 + index * LEGEND_ROW;
    const p99 = percentile(samples, 99);
    out.push(
      `<line x1="${lx}" x2="${lx + 26}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" ` +
        `stroke-width="3"/>`,
      `<text x="${lx + 34}" y="${ly}">${escape(name)}: p50 ${formatMs(p50)}, p99 ${
        formatMs(p99)
      } (n=${samples.length})</text>`,
    );
  });
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
