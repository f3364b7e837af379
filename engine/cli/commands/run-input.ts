/**
 * A finished run on disk, for `z6 diff`, `z6 report`, `z6 merge` and `z6 run --baseline`: a
 * results JSON, or an event log (gzip, told apart by its first two bytes) whose records are
 * replayed into results (engine/events/log-results.ts) against the scenario it ran — the one
 * its header names, or `scenario` when given. Problems come back as one line, `FILE: what is
 * wrong`, for exit code 2.
 */
import type { Stats } from 'node:fs';
import { resolve } from 'node:path';
import { resultsFromLog, type RecordSelection } from '../../events/log-results';
import { EventLogError, EventLogReader } from '../../events/reader';
import type { Results } from '../../metrics/results-types';
import { parseResults } from '../../metrics/parse-results';
import { kindOf, readProblem, readRegularFile } from '../../scenario/file-kind';
import { displayPath } from '../format-diagnostics';
import { scenarioOfLog } from './log-scenario';

export type RunInput =
  | { ok: true; file: string; kind: 'a results JSON' | 'an event log'; results: Results; /** From a log: what it cannot give. */ missing?: string[] }
  | { ok: false; message: string };

export interface RunInputOptions {
  /** For an event log: the scenario it ran (default: the file its header names). */
  scenario?: string;
  /** For an event log: replay only the requests this keeps (z6 report --filter). */
  select?: RecordSelection;
}

/** A results JSON holds histograms and one sample per second; a day-long run is tens of MiB. */
const MAX_BYTES = 256 * 1048576;
const GZIP = [0x1f, 0x8b];

function regular(st: Stats): void {
  if (!st.isFile()) throw new Error(`is ${kindOf(st)}, not a results file or an event log`);
}

export async function readRunInput(path: string, o: RunInputOptions = {}): Promise<RunInput> {
  const file = resolve(path);
  const fail = (what: string): RunInput => ({ ok: false, message: `${displayPath(file)}: ${what}` });
  let head: Buffer;
  try {
    head = readRegularFile(file, (st) => (regular(st), Math.min(st.size, GZIP.length)), readProblem);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (head[0] === GZIP[0] && head[1] === GZIP[1]) return readLog(file, o);
  let bytes: Buffer;
  try {
    bytes = readRegularFile(file, (st) => {
      regular(st);
      if (st.size > MAX_BYTES) throw new Error(`is ${(st.size / 1048576).toFixed(0)} MiB; results files are read up to ${MAX_BYTES / 1048576} MiB`);
      return st.size;
    }, readProblem);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (bytes.includes(0)) return fail('is a binary file, not a results JSON or an event log');
  const loaded = parseResults(bytes.toString('utf8'));
  return loaded.ok ? { ok: true, file, kind: 'a results JSON', results: loaded.results } : fail(loaded.problem);
}

async function readLog(file: string, o: RunInputOptions): Promise<RunInput> {
  try {
    const log = await EventLogReader.open(file);
    const sc = scenarioOfLog(file, log.header, o.scenario);
    if (!sc.ok) return { ok: false, message: sc.lines.join('\n') };
    const { results, missing } = await resultsFromLog(log, sc.scenario, o.select);
    return { ok: true, file, kind: 'an event log', results, missing };
  } catch (e) {
    if (e instanceof EventLogError) return { ok: false, message: e.message };
    return { ok: false, message: `${displayPath(file)}: ${(e as Error).message}` };
  }
}
