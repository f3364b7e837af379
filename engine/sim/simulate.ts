/**
 * A run against a simulated target (base_url = "sim://NAME"): the same runner as a real run,
 * with the run's clock (engine/run/clock.ts) replaced by the simulation's virtual one and every
 * connection a SimConnection (transport.ts asks simulatedConnections for them).
 *
 * What makes two runs with the same seed byte-identical: the target draws from the seed
 * (sampling.ts), time is virtual and starts at VIRTUAL_EPOCH, events run in a fixed order
 * (scheduler.ts), and the results carry no generator health (a simulated run puts no load on
 * this machine worth reporting) and an end date on the virtual clock.
 */
import { performance as realPerformance } from 'node:perf_hooks';
import type { Results, SecondSample } from '../metrics/results-types';
import type { ConnectorOptions } from '../run/connector';
import type { Connection } from '../run/connections';
import type { ProgressTotals } from '../run/protocol';
import type { RunOptions } from '../run/runner';
import { useClock } from '../run/clock';
import { randomSeed } from '../plan/prng';
import type { Scenario } from '../scenario/model';
import { Scheduler } from './scheduler';
import { SimConnection, SimTarget } from './connection';

/** When a simulated run starts, on the virtual clock: 2000-01-01T00:00:00.000Z. */
export const VIRTUAL_EPOCH_MS = Date.UTC(2000, 0, 1);
/** A simulated run covers seconds of load in milliseconds: progress goes out at most this often (real ms). */
const PROGRESS_EVERY_MS = 50;

/** The target of the simulated run going on in this process (one at a time: the clock is the process's). */
let active: SimTarget | undefined;

/** The connections of a simulated run (transport.ts): every one answers from the running simulation. */
export function simulatedConnections(opts: ConnectorOptions): () => Connection {
  const target = active;
  if (target === undefined) throw new Error('a simulated target (sim://) runs only through runScenario of engine/run');
  return () => new SimConnection(target, opts.onConnect);
}

/** Runs `scenario` (which has a simulation) with `run`, the runner's runScenario, on the virtual clock. */
export async function simulate(scenario: Scenario, options: RunOptions, run: (s: Scenario, o: RunOptions) => Promise<Results>): Promise<Results> {
  if (active !== undefined) throw new Error('a simulated run is already going in this process');
  const seed = options.seed ?? scenario.runtime.seed ?? randomSeed();
  const scheduler = new Scheduler(VIRTUAL_EPOCH_MS);
  active = new SimTarget(scenario.simulation!, scheduler, seed, scenario.target.httpVersion === 'http2');
  const restore = useClock(scheduler.clock);
  try {
    const done = run(scenario, { ...options, seed, onProgress: throttled(options.onProgress) });
    await scheduler.drive(done);
    const results = await done;
    delete results.generator;
    return results;
  } finally {
    restore();
    active = undefined;
  }
}

/** Passes on a progress sample at most every PROGRESS_EVERY_MS of real time (the editor draws them live). */
function throttled(onProgress: RunOptions['onProgress']): RunOptions['onProgress'] {
  if (onProgress === undefined) return undefined;
  let last = -Infinity;
  return (sample: SecondSample, totals: ProgressTotals) => {
    const now = realPerformance.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    onProgress(sample, totals);
  };
}
