/**
 * `z6 merge RESULTS...`: the results of a run's segments (z6 run --segment i/n) merged into the
 * whole run's results, judged by the scenario's assertions (engine/segments/merge.ts). Exit codes
 * as z6 run's on the whole run: 0 passed, 1 an assertion failed, 2 inputs that are not the
 * segments of one run, 3 the run ended with an error (or an output cannot be written).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkSegments, MergeError, mergeSegments, type SegmentInput } from '../../segments/merge';
import { junitXml } from '../../report/junit';
import { formatSummary } from '../../report/summary';
import { displayPath } from '../format-diagnostics';
import { parseArgs, UsageError } from './options';
import { exitCodeOf, writeOutputs } from './run';
import { readRunInput } from './run-input';
import { loadForRun } from './scenario-input';

export const MERGE_USAGE = 'z6 merge RESULTS... [options]';
export const MERGE_DETAILS = `RESULTS are the results.json of every segment of one run (z6 run --segment i/n --out DIR), or
their event logs (--events), replayed against the scenario.
Counts are added, latency histograms merged losslessly, the per-second series aligned on wall-clock
time, and the scenario's assertions judged on the whole run.

Options:
  --scenario FILE   the scenario the segments ran (default: the path their results or logs
                    name); its hash must match theirs
  --out DIR         write DIR/results.json (and --csv/--html files) of the merged run
  --csv, --html     also write DIR/timeseries.csv, DIR/report.html
  --junit FILE      the merged run's assertions as JUnit XML
  --json            print the merged results JSON on stdout (the summary goes to stderr)
  --allow-partial   merge even when segments are missing; the summary and the results say which

Exit codes: 0 assertions passed, 1 an assertion failed, 2 the inputs are not the segments of one
run (different scenario, seed or segment count, a segment twice or missing), 3 the run ended with
an error, or an output cannot be written.`;

export async function mergeCommand(args: string[]): Promise<number> {
  let p: ReturnType<typeof parseArgs>;
  try {
    p = parseArgs(args, ['scenario', 'out', 'junit'], ['csv', 'html', 'json', 'allow-partial']);
    if (p.positional.length === 0) throw new UsageError('no results files given');
    if ((p.flags.has('csv') || p.flags.has('html')) && !p.values.has('out')) throw new UsageError('--csv and --html write into --out DIR');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`z6 merge: ${e.message}\nUsage: ${MERGE_USAGE}`);
    return 2;
  }
  const inputs: SegmentInput[] = [];
  for (const path of p.positional) {
    const input = await readRunInput(path, { scenario: p.values.get('scenario') });
    if (!input.ok) {
      console.error(`z6 merge: ${input.message}`);
      return 2;
    }
    inputs.push({ file: displayPath(input.file), results: input.results });
  }
  let merged;
  try {
    const meta = checkSegments(inputs, p.flags.has('allow-partial'));
    const scenarioFile = p.values.get('scenario') ?? inputs[0]!.results.scenario.file;
    if (!scenarioFile) throw new MergeError('the results do not name their scenario file: give --scenario FILE');
    const loaded = loadForRun(scenarioFile, { readBodies: false, env: process.env });
    if (!loaded.ok) {
      for (const l of loaded.lines) console.error(l);
      throw new MergeError(`cannot judge the merge: the scenario ${displayPath(resolve(scenarioFile))} does not load`);
    }
    merged = mergeSegments(inputs, loaded.scenario, meta);
  } catch (e) {
    if (!(e instanceof MergeError)) throw e;
    console.error(`z6 merge: ${e.message}`);
    return 2;
  }
  const missing = merged.merged!.missing;
  const note = missing.length ? `\nwarning: segments ${missing.map((i) => `${i}/${merged.merged!.count}`).join(', ')} are missing: these are the figures of ${merged.merged!.segments} of ${merged.merged!.count} segments (--allow-partial)` : '';
  const summaryOut = p.flags.has('json') ? process.stderr : process.stdout;
  if (p.flags.has('json')) process.stdout.write(JSON.stringify(merged, null, 2) + '\n');
  summaryOut.write(`merged ${merged.merged!.segments} of ${merged.merged!.count} segments\n${formatSummary(merged)}${note}\n`);
  try {
    const out = p.values.get('out');
    const written = out ? writeOutputs(merged, out, { csv: p.flags.has('csv'), html: p.flags.has('html') }) : [];
    const junit = p.values.get('junit');
    if (junit) {
      mkdirSync(dirname(resolve(junit)), { recursive: true });
      writeFileSync(resolve(junit), junitXml(merged));
      written.push(resolve(junit));
    }
    if (written.length) process.stderr.write(`wrote ${written.map(displayPath).join(', ')}\n`);
  } catch (e) {
    console.error(`z6 merge: cannot write the merged results: ${(e as Error).message}`);
    return 3;
  }
  return exitCodeOf(merged);
}
