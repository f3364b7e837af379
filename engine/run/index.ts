/**
 * The engine's programmatic API: run a scenario and get its Results.
 *
 *   const results = await runScenario(scenario, { seed: 42, signal, onProgress });
 */
export { runScenario, type RunOptions, type RunStartInfo } from './runner';
export { applyOverrides, retarget, type Overrides } from './overrides';
export { RunSetupError } from './connector';
export { classifyError } from './classify';
export type { EngineMessage, ParentMessage, ProgressTotals } from './protocol';
