/**
 * The engine's programmatic API: run a scenario and get its Results.
 *
 *   const results = await runScenario(scenario, { seed: 42, signal, onProgress });
 */
import type { Results } from '../metrics/results-types';
import type { Scenario } from '../scenario/model';
import { simulate } from '../sim/simulate';
import { runScenario as runTarget, type RunOptions } from './runner';

/** Runs the scenario against its target, or, for base_url = "sim://NAME", against its simulation in virtual time (engine/sim/). */
export function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<Results> {
  return scenario.simulation ? simulate(scenario, options, runTarget) : runTarget(scenario, options);
}

export type { RunOptions, RunStartInfo } from './runner';
export { applyOverrides, retarget, type Overrides } from './overrides';
export { RunSetupError } from './connector';
export { classifyError } from './classify';
export type { EngineMessage, ParentMessage, ProgressTotals } from './protocol';
