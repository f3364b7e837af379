/**
 * `z6 report INPUT`: the summary and the report files of a finished run, from its results JSON,
 * without running again; optionally a filtered view (engine/report/filter.ts) and a comparison
 * with a baseline run. Exit 0 when done, 2 for usage errors and inputs that cannot be read, 3 when
 * an output file cannot be written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compareResults, type Comparison } from '../../compare/compare';
import type { Results } from '../../metrics/results-types';
import { formatComparison } from '../../report/compare-text';
import { timeseriesCsv } from '../../report/csv';
import { FILTER_HELP, FilterError, filterResults, parseFilters, recordFilter, type ResultsFilter } from '../../report/filter';
import { renderHtmlReport } from '../../report/html';
import { junitXml } from '../../report/junit';
import { formatSummary } from '../../report/summary';
import { displayPath } from '../format-diagnostics';
import { numberOption, parseArgs, UsageError } from './options';
import { resultsJsonText } from './run';
import { readRunInput } from './run-input';

export const REPORT_USAGE = 'z6 report INPUT [options]';
export const REPORT_DETAILS = `INPUT is a results JSON (results.json of z6 run --out) or an event log (z6 run --events), whose
records are replayed against the scenario that ran. Prints the run's summary, as z6 run does, and
writes the files asked for.

Options:
  --scenario FILE         for an event log: the scenario it ran (default: the file its header names)
  --html FILE             the self-contained HTML report
  --csv FILE              the per-second time series as CSV
  --json FILE             the results JSON (filtered, when --filter is given)
  --junit FILE            the run's assertions as JUnit XML
${FILTER_HELP}
  --baseline FILE         compare with an earlier run (A = FILE, B = INPUT): the table of z6 diff
                          after the summary and a comparison section in the HTML report; the same
                          --filter applies to both
  --threshold T           the relative change that counts in the comparison (default 0.05)
  --latency-floor MS      latency changes smaller than this are not judged (default 1)

Exit codes: 0 done, 2 usage error or an input that cannot be read, 3 an output file cannot be
written. Gate on a regression with z6 diff, whose exit code says.`;

interface ReportOptions {
  input: string;
  html?: string;
  csv?: string;
  json?: string;
  junit?: string;
  filter: ResultsFilter;
  baseline?: string;
  scenario?: string;
  threshold?: number;
  latencyFloorMs?: number;
}

function parseReportArgs(args: string[]): ReportOptions {
  const p = parseArgs(args, ['html', 'csv', 'json', 'junit', 'filter', 'baseline', 'scenario', 'threshold', 'latency-floor'], []);
  if (p.positional.length !== 1) throw new UsageError(p.positional.length ? 'give exactly one results file' : 'no results file given');
  let filter: ResultsFilter;
  try {
    filter = parseFilters(p.lists.get('filter') ?? []);
  } catch (e) {
    throw e instanceof FilterError ? new UsageError(e.message) : e;
  }
  return {
    input: p.positional[0]!,
    html: p.values.get('html'),
    csv: p.values.get('csv'),
    json: p.values.get('json'),
    junit: p.values.get('junit'),
    filter,
    baseline: p.values.get('baseline'),
    scenario: p.values.get('scenario'),
    threshold: numberOption(p, 'threshold', 0, 10),
    latencyFloorMs: numberOption(p, 'latency-floor', 0, 60_000),
  };
}

class InputProblem extends Error {}

/**
 * The run in FILE as filtered: a results JSON through filterResults, an event log by replaying
 * only the selected requests' records. What cannot be read, or a filter naming what the file
 * lacks, is an InputProblem.
 */
async function load(path: string, f: ResultsFilter, scenario?: string): Promise<{ file: string; results: Results; missing?: string[] }> {
  const input = await readRunInput(path, { scenario, select: recordFilter(f) });
  if (!input.ok) throw new InputProblem(input.message);
  if (input.kind === 'an event log') {
    const names = input.results.requests.map((q) => q.name);
    const unknown = f.requests.find((n) => !names.includes(n));
    if (unknown !== undefined) throw new InputProblem(`${displayPath(input.file)}: --filter request=${unknown}: no request of that name in the scenario (${names.map((n) => JSON.stringify(n)).join(', ')})`);
    // The window also trims the per-second series, as for a results JSON.
    const t = f.time;
    const results = t ? { ...input.results, timeseries: input.results.timeseries.filter((s) => s.t >= t.from && s.t < t.to) } : input.results;
    return { file: input.file, results, missing: input.missing };
  }
  try {
    return { file: input.file, results: filterResults(input.results, f) };
  } catch (e) {
    throw e instanceof FilterError ? new InputProblem(`${displayPath(input.file)}: ${e.message}`) : e;
  }
}

export async function reportCommand(args: string[]): Promise<number> {
  let opts: ReportOptions;
  try {
    opts = parseReportArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`z6 report: ${e.message}\nUsage: ${REPORT_USAGE}`);
    return 2;
  }
  let input: Awaited<ReturnType<typeof load>>;
  let comparison: Comparison | undefined;
  try {
    input = await load(opts.input, opts.filter, opts.scenario);
    if (opts.baseline !== undefined) {
      const base = await load(opts.baseline, opts.filter);
      comparison = compareResults(base.results, input.results, { threshold: opts.threshold, latencyFloorMs: opts.latencyFloorMs, labels: [displayPath(base.file), displayPath(input.file)] });
    }
  } catch (e) {
    if (!(e instanceof InputProblem)) throw e;
    console.error(`z6 report: ${e.message}`);
    return 2;
  }
  const run = input.results;
  process.stdout.write(formatSummary(run) + '\n');
  // From an event log: say what it could not give rather than show it as zero.
  if (input.missing) process.stdout.write(`\nfrom the event log ${displayPath(input.file)}; not in it:\n${input.missing.map((m) => `  - ${m}\n`).join('')}`);
  if (comparison) process.stdout.write(`\ncompared with the baseline\n${formatComparison(comparison)}\n`);
  const outputs: [string | undefined, () => string][] = [
    [opts.html, () => renderHtmlReport(run, { comparison })],
    [opts.csv, () => timeseriesCsv(run)],
    [opts.json, () => resultsJsonText(run)],
    [opts.junit, () => junitXml(run)],
  ];
  const written: string[] = [];
  for (const [file, text] of outputs) {
    if (file === undefined) continue;
    const abs = resolve(file);
    try {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, text());
    } catch (e) {
      console.error(`z6 report: cannot write ${displayPath(abs)}: ${(e as Error).message}`);
      return 3;
    }
    written.push(displayPath(abs));
  }
  if (written.length) process.stderr.write(`wrote ${written.join(', ')}\n`);
  return 0;
}
