// What every phase of the benchmark gets: the run's size, where its rows, figures and
// latency samples go, and the shared fixtures (HOME, daemon, ntfy server, echo server).

import type { Arrivals } from "./_arrivals.ts";
import type { BenchHome } from "./_bench_home.ts";
import type { EchoServer } from "./_raw_socket.ts";
import type { Row } from "./_report.ts";

/** Sample counts for a full run and for `--quick`. */
export interface Sizes {
  readonly roundTripSamples: number;
  readonly roundTripWarmup: number;
  readonly pipelinedSubmits: number;
  readonly pipelineWindow: number;
  readonly rawPipelinedSubmits: number;
  /** Pipelined Submits to a daemon whose deliveries hang (the accept path alone). */
  readonly stalledSubmits: number;
  /** Connect-per-request waves: clients at once, and requests each. */
  readonly waves: ReadonlyArray<{ readonly clients: number; readonly requestsEach: number }>;
  readonly processRuns: number;
  readonly processWarmup: number;
  readonly arrivalSamples: number;
  readonly directFetches: number;
  readonly pollingDrops: number;
  readonly pollingSpanMs: number;
  readonly memoryPauseMs: number;
}

/** Everything a phase may use. */
export interface BenchContext {
  readonly quick: boolean;
  readonly sizes: Sizes;
  /** Table rows, in order. */
  readonly rows: Row[];
  /** Everything measured, for latest.json. */
  readonly figures: Record<string, unknown>;
  /** Latency samples in ms, by series name, for the chart. */
  readonly series: Record<string, number[]>;
  /** A scratch folder removed at the end. */
  readonly scratch: string;
  readonly arrivals: Arrivals;
  readonly home: BenchHome;
  readonly echo: EchoServer;
  /** Progress on stderr. */
  progress(text: string): void;
}
