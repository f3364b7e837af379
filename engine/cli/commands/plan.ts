/**
 * `z6 plan FILE [--seed N] [--json]`: previews a run without sending anything — load over time,
 * expected request mix, duration and the plan hash (equal seeds give equal hashes).
 */
import { terminalSafeLines } from '../../report/terminal-text';
import { buildPlan, formatPlan } from '../../plan/plan';
import { randomSeed } from '../../plan/prng';
import { applyOverrides } from '../../run';
import { intOption, parseArgs, UsageError } from './options';
import { segmentOf, SegmentError, type Segment } from '../../segments/segment';
import { loadForRun } from './scenario-input';
import { ENV_OPTIONS_TEXT, ENV_VALUE_OPTIONS, envFromArgs } from './env-options';

export const PLAN_USAGE = 'z6 plan FILE [--seed N] [--segment i/n] [--env NAME=VALUE] [--json]';
export const PLAN_OPTIONS = `Options:
  --seed N       the seed to preview (default: prng_seed, else a random one)
  --vus N        as z6 run --vus: a constant N VUs (open model: max_in_flight)
  --duration S   as z6 run --duration
  --segment i/n  preview segment i (0-based) of n, as z6 run --segment runs it (also Z6_SEGMENT)
  --json         the preview as JSON
${ENV_OPTIONS_TEXT}`;

export async function planCommand(args: string[]): Promise<number> {
  let file: string;
  let seed: number | undefined;
  let vus: number | undefined;
  let duration: number | undefined;
  let json: boolean;
  let env: Record<string, string | undefined>;
  let segment: Segment;
  try {
    const p = parseArgs(args, ['seed', 'vus', 'duration', 'segment', ...ENV_VALUE_OPTIONS], ['json']);
    if (p.positional.length !== 1) throw new UsageError(p.positional.length ? 'give exactly one scenario file' : 'no scenario file given');
    file = p.positional[0]!;
    seed = intOption(p, 'seed', 0, Number.MAX_SAFE_INTEGER);
    vus = intOption(p, 'vus', 1, 100_000);
    duration = intOption(p, 'duration', 1, 86_400);
    json = p.flags.has('json');
    env = envFromArgs(p, process.env);
    try {
      segment = segmentOf(p.values.get('segment'), process.env);
    } catch (e) {
      throw e instanceof SegmentError ? new UsageError(e.message) : e;
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`z6 plan: ${e.message}\nUsage: ${PLAN_USAGE}\n\n${PLAN_OPTIONS}`);
    return 2;
  }
  const input = loadForRun(file, { readBodies: false, env });
  if (!input.ok) {
    for (const l of input.lines) console.error(l);
    return input.exitCode;
  }
  for (const w of input.warnings) console.error(w);
  const scenario = applyOverrides(input.scenario, { vus, durationSeconds: duration });
  const chosen = seed ?? scenario.runtime.seed;
  const plan = buildPlan(scenario, chosen ?? randomSeed(), { env, segment });
  if (json) console.log(JSON.stringify(plan, null, 2));
  else {
    console.log(terminalSafeLines(formatPlan(plan, scenario.metadata.name)));
    if (chosen === undefined) console.log(`  (no prng_seed: this preview used a random seed; a run draws its own unless given --seed)`);
  }
  return 0;
}
