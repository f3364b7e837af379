/**
 * `z6 report --filter` on a results JSON. A results file keeps per request its counts, failures
 * by kind and latency histogram, and per second the whole run's series; what can be filtered
 * follows from that, and the filtered Results says the rest in `filter.notes`:
 * - request=NAME keeps those requests, and totals, latency (their histograms merged), failures and
 *   checks are recomputed from them; figures recorded only for the whole run are left out or
 *   kept as the whole run's;
 * - failure=KIND keeps the requests that had a failure of that kind;
 * - time=FROM..TO keeps the seconds [FROM, TO) of the per-second series (charts, CSV); totals
 *   cover the whole run, since nothing per request has a time.
 * Filtering outcomes by status, failure kind or time needs the event log, one record per request:
 * `recordFilter` below, applied while the log is replayed (engine/events/log-results.ts).
 */
import { decode, encode, newHistogram, summarize } from '../metrics/histogram';
import { FAILURE_KINDS, statusFailureKind, type FailureKind, type RequestStats, type Results } from '../metrics/results-types';

export interface ResultsFilter {
  /** Request names; any of them. */
  requests: string[];
  /** Failure kinds; requests with any of them. */
  failures: FailureKind[];
  /** Seconds since the start: the per-second samples with FROM ≤ t < TO. */
  time?: { from: number; to: number };
  /** HTTP statuses (an event log only: a results JSON has no status per request). */
  statuses: number[];
}

export class FilterError extends Error {}

export const FILTER_HELP = `  --filter request=NAME   only this request (repeat for more): totals, latency, failures and checks
                          are recomputed from its figures
  --filter failure=KIND   only requests that had failures of KIND (${FAILURE_KINDS.join(', ')})
  --filter time=FROM..TO  only the seconds FROM to TO of the per-second series (charts, CSV);
                          either end may be left out (time=30..)
  --filter status=CODE    only responses with this HTTP status (an event log only)
                          From a results JSON, request and failure filters select whole requests
                          and the time window trims the per-second series; from an event log every
                          filter selects single requests (their outcomes), and all figures are
                          recomputed from those.`;

function seconds(text: string, which: string, spec: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new FilterError(`--filter ${spec}: ${which} must be a number of seconds ≥ 0`);
  return n;
}

/** `--filter` values as given: KEY=VALUE, one per option. */
export function parseFilters(specs: readonly string[]): ResultsFilter {
  const f: ResultsFilter = { requests: [], failures: [], statuses: [] };
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const key = eq > 0 ? spec.slice(0, eq) : '';
    const value = spec.slice(eq + 1);
    if (key === 'request') f.requests.push(value);
    else if (key === 'failure') {
      if (!(FAILURE_KINDS as readonly string[]).includes(value)) throw new FilterError(`--filter ${spec}: unknown failure kind '${value}' (one of ${FAILURE_KINDS.join(', ')})`);
      f.failures.push(value as FailureKind);
    } else if (key === 'time') {
      const m = /^([^.]*)\.\.([^.]*)$/.exec(value);
      if (!m) throw new FilterError(`--filter ${spec}: write the window as time=FROM..TO in seconds (e.g. time=10..30)`);
      const from = m[1] === '' ? 0 : seconds(m[1]!, 'FROM', spec);
      const to = m[2] === '' ? Infinity : seconds(m[2]!, 'TO', spec);
      if (to <= from) throw new FilterError(`--filter ${spec}: TO must be after FROM`);
      f.time = { from, to };
    } else if (key === 'status') {
      const code = Number(value);
      if (!/^\d{3}$/.test(value) || code < 100) throw new FilterError(`--filter ${spec}: a status is an HTTP status code, 100 to 999`);
      f.statuses.push(code);
    } else throw new FilterError(`--filter ${spec}: unknown filter; use request=NAME, failure=KIND, status=CODE or time=FROM..TO`);
  }
  return f;
}

/** A request's HTTP responses: recorded since requests[].responses exists; before, every response that was not a success was a 4xx or 5xx. */
function responsesOf(q: RequestStats): number {
  return q.responses ?? q.succeeded + (q.failures.http_4xx ?? 0) + (q.failures.http_5xx ?? 0);
}

const sum = (list: RequestStats[], pick: (q: RequestStats) => number) => list.reduce((a, q) => a + pick(q), 0);
const r3 = (x: number) => Math.round(x * 1000) / 1000;

function selectRequests(r: Results, f: ResultsFilter): Results {
  const names = new Set(r.requests.map((q) => q.name));
  for (const n of f.requests) {
    if (!names.has(n)) throw new FilterError(`--filter request=${n}: no request of that name in the results (${[...names].map((x) => JSON.stringify(x)).join(', ')})`);
  }
  const kept = r.requests.filter((q) => (!f.requests.length || f.requests.includes(q.name)) && (!f.failures.length || f.failures.some((k) => (q.failures[k] ?? 0) > 0)));
  const merged = newHistogram();
  for (const q of kept) {
    try {
      merged.add(decode(q.histogram));
    } catch (e) {
      throw new FilterError(`the latency histogram of request ${JSON.stringify(q.name)} cannot be read (${(e as Error).message}): its latency cannot be recomputed`);
    }
  }
  const failures: Results['failures'] = {};
  for (const k of FAILURE_KINDS) {
    const n = sum(kept, (q) => q.failures[k] ?? 0);
    if (n > 0) failures[k] = n;
  }
  const succeeded = sum(kept, (q) => q.succeeded);
  const failed = sum(kept, (q) => q.failed);
  const completed = succeeded + failed;
  const responses = sum(kept, responsesOf);
  const keptNames = new Set(kept.map((q) => q.name));
  const checks = r.checks?.filter((c) => keptNames.has(c.request));
  const { connectTime: _c, queueWait: _q, latencyFromIntended: _l, schedulingLag: _s, ...rest } = r;
  const out: Results = {
    ...rest,
    totals: {
      ...r.totals,
      issued: sum(kept, (q) => q.issued),
      succeeded,
      failed,
      interrupted: sum(kept, (q) => q.interrupted),
      // Arrivals are dropped before a request is chosen: they belong to no request.
      dropped: 0,
      droppedRate: 0,
      responses,
      rps: r.loadSeconds > 0 ? Math.round((responses / r.loadSeconds) * 10) / 10 : 0,
      errorRate: completed > 0 ? r3(failed / completed) : 0,
      successRate: completed > 0 ? r3(succeeded / completed) : 0,
      redirects: r.totals.redirects === undefined ? undefined : sum(kept, (q) => q.redirects ?? 0),
    },
    latency: summarize(merged),
    histograms: { latency: encode(merged) },
    statusCodes: {},
    failures,
    failureSamples: Object.fromEntries(Object.entries(r.failureSamples ?? {}).filter(([k]) => k in failures)),
    requests: kept,
    assertions: r.assertions.filter((a) => a.scope && keptNames.has(a.scope.request)),
  };
  if (checks) {
    out.checks = checks;
    const passed = checks.reduce((a, c) => a + c.passed, 0);
    const failedChecks = checks.reduce((a, c) => a + c.failed, 0);
    out.totals.checks = { passed, failed: failedChecks, passRate: passed + failedChecks > 0 ? r3(passed / (passed + failedChecks)) : null };
  }
  return out;
}

export function filterResults(r: Results, f: ResultsFilter): Results {
  if (f.statuses.length) throw new FilterError(`--filter status=${f.statuses[0]}: a results JSON counts status codes for the whole run only, not per request; filtering by status needs the event log`);
  const applied: string[] = [];
  const notes: string[] = [];
  let out = r;
  if (f.requests.length || f.failures.length) {
    out = selectRequests(r, f);
    if (f.requests.length) applied.push(`request ${f.requests.map((n) => JSON.stringify(n)).join(' or ')}`);
    if (f.failures.length) applied.push(`requests with ${f.failures.join(' or ')} failures`);
    notes.push(
      `Totals, latency, failures and checks are recomputed from the ${out.requests.length} selected request${out.requests.length === 1 ? '' : 's'}.`,
      'The charts, bytes received and connections are the whole run\'s; status codes, connect time, dropped arrivals and whole-run assertions are left out (a results JSON records them for the whole run only).',
    );
  }
  if (f.time) {
    const { from, to } = f.time;
    out = { ...out, timeseries: out.timeseries.filter((s) => s.t >= from && s.t < to) };
    applied.push(`seconds ${from} to ${to === Infinity ? 'the end' : to}`);
    notes.push('The time window applies to the per-second series (charts, CSV); totals and percentiles cover the whole run.');
  }
  if (!applied.length) return r;
  return { ...out, filter: { applied: applied.join('; '), notes } };
}

/** What an event log's outcome must be to be kept: all the given filters hold. */
export interface RecordView {
  request: string;
  /** HTTP status, or null when the request failed without one. */
  status: number | null;
  kind: FailureKind | 'interrupted' | null;
  /** Seconds from the start to the outcome. */
  at: number;
}

/** The filter as a predicate on single outcomes, and what it says it applied (for `filter` in the results). */
export function recordFilter(f: ResultsFilter): { keep: (r: RecordView) => boolean; applied: string } | undefined {
  const applied: string[] = [];
  if (f.requests.length) applied.push(`request ${f.requests.map((n) => JSON.stringify(n)).join(' or ')}`);
  if (f.failures.length) applied.push(`${f.failures.join(' or ')} failures`);
  if (f.statuses.length) applied.push(`status ${f.statuses.join(' or ')}`);
  if (f.time) applied.push(`outcomes from ${f.time.from} s to ${f.time.to === Infinity ? 'the end' : `${f.time.to} s`}`);
  if (!applied.length) return undefined;
  const { requests, failures, statuses, time } = f;
  return {
    applied: applied.join('; '),
    keep: (r) => (!requests.length || requests.includes(r.request))
      && (!failures.length || failures.includes(kindOf(r)!))
      && (!statuses.length || (r.status !== null && statuses.includes(r.status)))
      && (!time || (r.at >= time.from && r.at < time.to)),
  };
}

/** The failure kind the recorder counts an outcome as (recorder.ts); undefined for a success or an interrupt. */
function kindOf(r: RecordView): FailureKind | undefined {
  if (r.status === null) return r.kind === 'interrupted' || r.kind === null ? undefined : r.kind;
  return statusFailureKind(r.status);
}
