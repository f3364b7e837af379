/**
 * `z6 diff A B`: two finished runs side by side, A the baseline and B the new one, each change
 * marked improved or regressed (engine/compare/). Exit 0 without a regression, 1 with one (so CI
 * can gate a change on it), 2 for usage errors and inputs that cannot be read.
 */
import { compareResults, DEFAULT_LATENCY_FLOOR_MS, DEFAULT_THRESHOLD } from '../../compare/compare';
import { formatComparison } from '../../report/compare-text';
import { displayPath } from '../format-diagnostics';
import { numberOption, parseArgs, UsageError } from './options';
import { readRunInput } from './run-input';

export const DIFF_USAGE = 'z6 diff A B [--threshold 0.05] [--latency-floor MS] [--scenario FILE] [--json]';
export const DIFF_DETAILS = `A is the baseline, B the new run: results JSON files (results.json of z6 run --out) or event
logs (z6 run --events), whose records are replayed against the scenario their header names.

Options:
  --threshold T       the relative change that counts, 0 to 10 (default ${DEFAULT_THRESHOLD}: 5 %)
  --latency-floor MS  latency changes smaller than this are not judged (default ${DEFAULT_LATENCY_FLOOR_MS} ms: below
                      it, Z6's own timing on a busy event loop differs from run to run)
  --scenario FILE     the scenario the event logs ran, when it is no longer where their headers
                      say (its sha256 must be each log's; logs of two scenarios that both moved:
                      z6 report LOG --scenario F --json first); a results JSON does not need it
  --json              print the comparison as JSON instead of the table

A figure is improved or regressed when it moved by more than the threshold and, for latency
percentiles, error and success rates, failures by kind and responses/s, by more than sampling
noise: the 95 % intervals of A and B, from each run's own samples, do not overlap. So a 10 %
change of p99 over 10 requests is "unchanged (not significant)", over 100,000 it is a
regression. Requests are matched by name. Details: docs/compare.md.

Exit codes: 0 no regression, 1 a figure or request regressed beyond the threshold,
2 usage error or an input that cannot be read.`;

export async function diffCommand(args: string[]): Promise<number> {
  let files: string[];
  let threshold: number | undefined;
  let latencyFloorMs: number | undefined;
  let json: boolean;
  let scenario: string | undefined;
  try {
    const p = parseArgs(args, ['threshold', 'latency-floor', 'scenario'], ['json']);
    if (p.positional.length !== 2) throw new UsageError(`give two results files or event logs, A (the baseline) and B; got ${p.positional.length}`);
    files = p.positional;
    threshold = numberOption(p, 'threshold', 0, 10);
    latencyFloorMs = numberOption(p, 'latency-floor', 0, 60_000);
    json = p.flags.has('json');
    scenario = p.values.get('scenario');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`z6 diff: ${e.message}\nUsage: ${DIFF_USAGE}`);
    return 2;
  }
  const inputs = await Promise.all(files.map((f) => readRunInput(f, { scenario })));
  let bad = false;
  for (const i of inputs) {
    if (!i.ok) {
      console.error(`z6 diff: ${i.message}`);
      bad = true;
    }
  }
  if (bad) return 2;
  const [a, b] = inputs as Extract<(typeof inputs)[number], { ok: true }>[];
  const c = compareResults(a!.results, b!.results, { threshold, latencyFloorMs, labels: [displayPath(a!.file), displayPath(b!.file)] });
  process.stdout.write((json ? JSON.stringify(c, null, 2) : formatComparison(c)) + '\n');
  return c.regressed ? 1 : 0;
}
