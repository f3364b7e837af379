/**
 * A run's results rebuilt from its event log, for `z6 report`, `z6 diff` and `z6 run --baseline`
 * given a log instead of a results JSON. The records are replayed, in order and at their logged
 * times, into the Recorder the runner uses, and buildResults makes the results from it: the same
 * code computes every figure, so a report from the log says what the run's own results said.
 *
 * The log holds what each request did, not everything a run knows. The scenario gives the
 * request list, the assertions and the schedule (its hash must be the one that ran). What neither
 * holds is left out and named in `missing`: the generator's CPU and event-loop load, the failure
 * messages (only their kinds are logged), the data files' row counts, and the VUs active at each
 * second (the runner reads them when its tick closes the second; the replay counts the VUs the
 * log started and stopped up to that second's first event after its end).
 *
 * A log the size limit truncated, or one without a footer, is refused: its figures would be short.
 */
import { buildResults } from '../metrics/build-results';
import { newHistogram } from '../metrics/histogram';
import { Recorder } from '../metrics/recorder';
import type { Results } from '../metrics/results-types';
import { peakOf } from '../plan/schedule';
import { ownedCount, shareOf } from '../segments/segment';
import type { Scenario } from '../scenario/model';
import type { CheckInfo } from '../session/response-plan';
import type { RecordView } from '../report/filter';
import { EventLogError, MAX_RUN_US, type EventLogReader, type IssuedRecord } from './reader';

export interface LogResults {
  results: Results;
  /** What the results lack because the log does not hold it (each a short phrase). */
  missing: string[];
}

/**
 * Only the requests whose outcome passes `keep` (z6 report --filter on a log): the others are not
 * replayed at all — their issue, outcome, checks and timings — so every figure is theirs alone.
 */
export interface RecordSelection {
  keep: (r: RecordView) => boolean;
  applied: string;
}

/** Figures a results JSON has and a log cannot give. */
const MISSING = [
  'generator CPU and event-loop load (not logged)',
  'failure messages (the log keeps each failure\'s kind only)',
  'active VUs per second (counted from the log\'s VU starts and stops, not read at the runner\'s tick)',
];

/** A segment's peak as its runner counts it (runner.ts): its VUs, or its share of the in-flight cap. */
function segmentPeak(open: boolean, segment: { index: number; count: number }, whole: number): number {
  return open ? shareOf(segment, whole) : ownedCount(segment, whole);
}

/** The checks in the recorder's id order: each request's checks, requests in order (response-plan.ts). */
function checksOf(s: Scenario): CheckInfo[] {
  return s.requests.flatMap((r) => r.checks.map((c) => ({ request: r.index, name: c.name, passRateMin: c.passRateMin })));
}

/**
 * Replays `log` (not yet read) against `scenario` (with the run's options applied, as
 * `z6 replay` does). Throws EventLogError when the two do not belong together or the log is
 * not whole.
 */
export async function resultsFromLog(log: EventLogReader, scenario: Scenario, only?: RecordSelection): Promise<LogResults> {
  const h = log.header;
  const where = log.file;
  if (scenario.source.hash !== h.scenario.hash) {
    throw new EventLogError(`${where}: the scenario ${scenario.source.file ?? ''} is not the one that ran (its sha256 is ${scenario.source.hash.slice(0, 12)}…, the log's ${h.scenario.hash.slice(0, 12)}…)`);
  }
  const names = scenario.requests.map((r) => r.name);
  if (names.join('\n') !== h.requests.join('\n')) throw new EventLogError(`${where}: the log's requests (${h.requests.join(', ')}) are not the scenario's (${names.join(', ')})`);
  const checks = checksOf(scenario);
  /** Per request, the id of its first check. */
  const firstCheck = scenario.requests.map((r) => checks.findIndex((c) => c.request === r.index));
  const open = h.model === 'open';
  let active = 0;
  const rec = new Recorder(names.length, 0, open, () => active, checks.length);
  // A segment keeps each second's histogram, as its run did, so z6 merge of segment logs is exact.
  if (h.segment) rec.secondHistograms = [];
  /** Per VU (slot in the open model): the request in flight. */
  const inFlight = new Map<number, IssuedRecord>();
  /** A request counts as issued when its outcome is replayed: with a selection, only the kept ones. */
  const issue = (r: IssuedRecord) => {
    rec.recordIssued(r.req);
    // The open model: one lag sample per arrival issued, as the runner's pump records it.
    if (open) rec.recordLag(r.lag);
  };
  let lastMs = 0;
  for await (const r of log.records()) {
    // A log that is not whole is refused at its first problem, before a broken time or count is used.
    if (log.problems.length > 0) break;
    const ms = r.t / 1000;
    lastMs = Math.max(lastMs, ms);
    switch (r.type) {
      case 'S':
        if (!open) active++;
        break;
      case 'E':
        if (!open) active--;
        break;
      case 'I':
        inFlight.set(r.vu, r);
        if (open) active++;
        if (!only) issue(r);
        break;
      case 'O': {
        const issued = inFlight.get(r.vu);
        if (issued === undefined) throw new EventLogError(`${where}:${r.line}: an outcome for VU ${r.vu}, which has no request in flight`);
        inFlight.delete(r.vu);
        if (open) active--;
        const req = issued.req;
        if (only) {
          if (!only.keep({ request: names[req]!, status: r.status, kind: r.kind, at: ms / 1000 })) break;
          issue(issued);
        }
        // In the order the VU reports them: queue wait, bytes and hops while the request goes, then its end.
        // The queue-wait histogram exists in runs whose requests share connections: its first sample makes it.
        if (r.queueWait !== null) {
          rec.queueWait ??= newHistogram();
          rec.recordQueueWait(r.queueWait);
        }
        if (r.bytes > 0) rec.recordBytes(r.bytes);
        for (let i = 0; i < r.redirects; i++) rec.recordRedirect(req);
        if (r.kind === 'interrupted') rec.recordInterrupted(req);
        else if (r.status !== null) rec.recordResponse(req, r.status, r.latency ?? -1, ms);
        else rec.recordFailure(req, r.kind!, r.latency ?? -1, `${r.kind} (from the event log)`, ms);
        r.checks?.forEach((ok, i) => rec.recordCheck(firstCheck[req]! + i, ok, ms));
        if (r.fromIntended !== null) rec.recordIntended(r.fromIntended);
        break;
      }
      case 'D':
        // A dropped arrival has no request, status or outcome: a selection leaves it out.
        if (!only) rec.recordDropped(ms);
        break;
      case 'C':
        rec.recordConnect(r.us);
        break;
      case 'L':
        rec.endLoad(r.at / 1000);
        break;
    }
  }
  const problem = log.problems[0];
  if (problem) throw new EventLogError(`${where}:${problem.line}: ${problem.message} (z6 replay --verify says more)`);
  const footer = log.footer;
  if (footer === undefined) throw new EventLogError(`${where}: the log has no footer: the run (or its writing) did not end, so its figures would be short`);
  if (footer.truncated) throw new EventLogError(`${where}: the log was truncated by its size limit after ${footer.records} records: its figures would be short (raise --events-max-mb)`);

  const missing = [...MISSING];
  // Logs written before the footer said how the run ended: the last record is the end.
  const end = footer.end ?? { us: Math.round(lastMs * 1000), status: 'completed' as const };
  // The end is hashed (format 2), but a forged one with its hash must not make the replay fill every second up to it.
  if (!(end.us >= 0 && end.us <= MAX_RUN_US)) throw new EventLogError(`${where}: the footer's end, ${end.us} µs from the start, is outside what z6 reads from a log (0 to ${MAX_RUN_US / 86_400e6} days)`);
  if (!footer.end) missing.push('how and when the run ended (an older log: taken as completed at its last record)');
  const endMs = end.us / 1000;
  rec.finish(endMs);
  const startedAt = new Date(h.startedAt);
  const results = buildResults({
    scenario,
    recorder: rec,
    seed: h.seed,
    startedAt,
    endedAt: end.endedAt ? new Date(end.endedAt) : new Date(startedAt.getTime() + endMs),
    durationSeconds: endMs / 1000,
    loadSeconds: rec.loadSeconds(endMs),
    status: end.status,
    model: h.model,
    peak: h.segment ? segmentPeak(open, h.segment, peakOf(scenario.schedule)) : peakOf(scenario.schedule),
    checks,
    cpuPercent: 0,
    eventLoopUtilization: 0,
    error: end.error,
    abortReason: end.abortReason,
    endReason: end.endReason,
  });
  if (h.segment) results.segment = { index: h.segment.index, count: h.segment.count };
  // The file that ran, wherever the scenario was read from now.
  if (h.scenario.file) results.scenario.file = h.scenario.file;
  delete results.generator;
  results.failureSamples = {};
  if (only) {
    results.filter = { applied: only.applied, notes: [
      'Every figure is recomputed from the selected requests\' records in the event log (bytes and queue wait included); dropped arrivals are left out, and connections and connect time are the whole run\'s (the log does not tie a connection to a request).',
    ] };
  }
  if (h.data.length > 0) missing.push('data files\' row counts and draws');
  return { results, missing };
}
