/**
 * How many worker threads a run gets: `z6 run --workers N|auto`, else `runtime.workers`, else 1.
 *
 * `auto` uses the machine's cores, but only for a run big enough to need them: each worker loads
 * the engine and compiles undici's parser (two workers: ~0.5 s more CPU and ~15 MB more than the
 * in-process run), and a load one event loop handles costs more CPU per request over two, so it
 * pays only when one event loop would be the bottleneck (docs/performance.md, Workers).
 */
import { availableParallelism } from 'node:os';
import type { Scenario } from '../scenario/model';
import { arrivalRate, breakpoints, modelOf, ownLength, peakOf } from '../plan/schedule';

export type WorkersSetting = number | 'auto';

/** Most workers a run may ask for. */
export const MAX_WORKERS = 256;
/** Closed model: below this many VUs at the peak, `auto` keeps one worker. */
export const AUTO_MIN_VUS = 32;
/** Open model: below this many arrivals per second at the peak, `auto` keeps one worker. */
export const AUTO_MIN_RATE = 5_000;

export class WorkersError extends Error {}

/** "auto" or an integer 1..MAX_WORKERS, as given to --workers. */
export function parseWorkers(text: string): WorkersSetting {
  const t = text.trim();
  if (t === 'auto') return 'auto';
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) throw new WorkersError(`--workers must be an integer from 1 to ${MAX_WORKERS} or auto, got '${text}'`);
  return n;
}

/** The peak arrival rate of an open schedule (the rate is linear between its breakpoints). */
function peakRate(s: Scenario): number {
  const span = s.runtime.durationSeconds ?? ownLength(s.schedule) ?? 0;
  return Math.max(0, ...breakpoints(s.schedule, span).map((t) => arrivalRate(s.schedule, t)));
}

/**
 * The workers this run gets: never more than it has VUs (or in-flight slots) to give them, and one
 * for a simulated target (its virtual clock is one process's, and it costs no real load).
 */
export function workersFor(setting: WorkersSetting | undefined, s: Scenario, cores = availableParallelism()): number {
  const units = Math.max(1, peakOf(s.schedule));
  if (setting === undefined || s.simulation) return 1;
  if (setting !== 'auto') return Math.min(setting, units);
  const big = modelOf(s.schedule) === 'open' ? peakRate(s) >= AUTO_MIN_RATE : units >= AUTO_MIN_VUS;
  return big ? Math.max(1, Math.min(cores, units)) : 1;
}
