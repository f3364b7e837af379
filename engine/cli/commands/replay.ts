/**
 * `z6 replay LOG --verify [--scenario FILE] [--results FILE] [--json]`: checks a run's event log
 * against the scenario and the seed, and against the run's results (engine/events/verify.ts).
 * Exit 0 when everything matches, 1 when anything differs (or the log is not whole), 2 when an
 * input cannot be read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Results } from '../../metrics/results-types';
import { EventLogError, EventLogReader } from '../../events/reader';
import { verifyEventLog, type Finding, type VerifyReport } from '../../events/verify';
import { terminalSafeLines } from '../../report/terminal-text';
import { displayPath } from '../format-diagnostics';
import { parseArgs, UsageError } from './options';
import { scenarioOfLog } from './log-scenario';

export const REPLAY_USAGE = 'z6 replay LOG --verify [--scenario FILE] [--results FILE] [--json]';
export const REPLAY_OPTIONS = `Options:
  --verify          check the log: whole (each record's check, the footer's counts and sha256),
                    what the scenario and the seed make each VU do (request at each plan index,
                    think times, arrivals, data rows), and the figures recomputed from it against
                    the run's results JSON, figure by figure
  --scenario FILE   the scenario (default: the file the log's header names)
  --results FILE    the run's results JSON (default: the one the header names, else results.json
                    beside the log)
  --json            the findings as JSON

Exit codes: 0 the log is whole and matches, 1 something differs, 2 an input cannot be read.`;

/** Findings printed per part; --json has them all. */
const SHOWN = 20;

export async function replayCommand(args: string[]): Promise<number> {
  let file: string;
  let scenarioFile: string | undefined;
  let resultsFile: string | undefined;
  let json: boolean;
  try {
    const p = parseArgs(args, ['scenario', 'results'], ['verify', 'json']);
    if (p.positional.length !== 1) throw new UsageError(p.positional.length ? 'give exactly one event log' : 'no event log given');
    if (!p.flags.has('verify')) throw new UsageError('say --verify: checking a log is what replay does');
    file = resolve(p.positional[0]!);
    scenarioFile = p.values.get('scenario');
    resultsFile = p.values.get('results');
    json = p.flags.has('json');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`z6 replay: ${e.message}\nUsage: ${REPLAY_USAGE}\n\n${REPLAY_OPTIONS}`);
    return 2;
  }
  const unreadable = (message: string) => {
    console.error(`z6 replay: ${message}`);
    return 2;
  };

  let log: EventLogReader;
  try {
    log = await EventLogReader.open(file);
  } catch (e) {
    if (e instanceof EventLogError) return unreadable(e.message);
    throw e;
  }
  const h = log.header;

  const sc = scenarioOfLog(file, h, scenarioFile);
  if (!sc.ok) {
    for (const l of sc.lines.slice(0, -1)) console.error(l);
    return unreadable(sc.lines.at(-1)!);
  }
  const { scenario, file: scenarioIn } = sc;

  const candidates = resultsFile !== undefined ? [resolve(resultsFile)] : [h.results, join(dirname(file), 'results.json')].filter((f): f is string => f !== undefined);
  const found = candidates.find((f) => existsSync(f));
  if (found === undefined) return unreadable(`no results JSON at ${candidates.map(displayPath).join(' or ')}: give --results FILE`);
  let results: Results;
  try {
    results = JSON.parse(readFileSync(found, 'utf8')) as Results;
  } catch (e) {
    return unreadable(`${displayPath(found)}: not a results JSON (${(e as Error).message})`);
  }

  const report = await verifyEventLog(log, scenario, results);
  if (json) console.log(JSON.stringify({ log: file, scenario: scenarioIn, results: found, ...report }, null, 2));
  else console.log(terminalSafeLines(formatReport(report, file, found, log)));
  return report.ok ? 0 : 1;
}

function formatReport(r: VerifyReport, file: string, results: string, log: EventLogReader): string {
  const h = log.header;
  const issued = log.counts.I ?? 0;
  const lines = [`z6 replay --verify ${displayPath(file)}: ${r.records} records, ${issued} requests, seed ${h.seed}, started ${h.startedAt}`];
  const part = (name: string, findings: Finding[], ok: string) => {
    if (findings.length === 0) {
      lines.push(`  ${name.padEnd(10)} ok: ${ok}`);
      return;
    }
    lines.push(`  ${name.padEnd(10)} ${findings.length} difference${findings.length === 1 ? '' : 's'}:`);
    for (const f of findings.slice(0, SHOWN)) lines.push(`    ${f.where}: ${f.message}`);
    if (findings.length > SHOWN) lines.push(`    … and ${findings.length - SHOWN} more (--json lists them all)`);
  };
  part('log', r.integrity, 'every record matches its check; the footer\'s counts and sha256 match');
  part('plan', r.plan, 'each request is the one its VU\'s plan has at that index; starts, think times, arrivals and data rows as the scenario says');
  if (r.compared === 0 && r.metrics.length === 0) lines.push(`  ${'figures'.padEnd(10)} not compared (see the note)`);
  else part('figures', r.metrics, `${r.compared} figures equal those of ${displayPath(results)}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  const total = r.integrity.length + r.plan.length + r.metrics.length;
  lines.push(r.ok ? 'VERIFIED' : `NOT VERIFIED${total > 0 ? ` — ${total} difference${total === 1 ? '' : 's'}` : ''}`);
  return lines.join('\n');
}
