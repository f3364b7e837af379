/**
 * Messages between `z6 run --workers N` (the parent, engine/workers/pool.ts) and its worker
 * threads (engine/workers/worker.ts). Each worker runs one segment of the plan (i/N).
 *
 * Order: the worker loads the scenario and sends 'ready' (or 'failed'); when every worker is
 * ready the parent sends 'start' to all, so their clocks start within a millisecond of each other
 * and their seconds line up; then each sends 'started', one 'second' per second, maybe
 * 'notice's, and 'finished' with its segment's results. The parent may send 'cancel' at any time.
 */
import type { Results, SecondSample } from '../metrics/results-types';
import type { Overrides, ProgressTotals, RunStartInfo } from '../run';
import type { Var } from '../templates/scope';

/** What a worker is given (workerData): enough to load the same scenario and run its segment. */
export interface WorkerJob {
  file: string;
  /** The scenario's hash as the parent loaded it: a file changed in between is refused. */
  scenarioHash: string;
  env: Record<string, string | undefined>;
  overrides: Overrides;
  /** The demo server's URL, when the parent started one. */
  baseUrl?: string;
  seed: number;
  segment: { index: number; count: number };
  gracefulStopMs?: number;
  /** What [[setup]] extracted in the parent (setup and teardown run once, there). */
  setupVars?: [string, Var][];
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'started'; info: RunStartInfo }
  | { type: 'second'; sample: SecondSample; totals: ProgressTotals; histogram: string }
  | { type: 'notice'; notice: { kind: 'unreachable'; message: string } }
  | { type: 'finished'; results: Results };

export type ParentToWorker = { type: 'start' } | { type: 'cancel' };
