/**
 * `z6 replay LOG --verify`: checks an event log three ways (docs/event-log.md, "Verify").
 *
 * 1. The log is whole: every record matches its check at its place, the footer's counts and
 *    sha256 match, nothing follows the footer (reader.ts).
 * 2. The log is what the scenario and the seed make each VU do: recomputing every VU's plan
 *    (engine/plan/), each request issued is the one due at its plan index; a VU has one request
 *    at a time, starts and stops in turn, keeps its think times and iterations; in the open model
 *    arrival k is choice k at its intended time; data rows follow each file's mode (sequential
 *    and unique in declared order across all VUs, random and per_vu as their function says).
 * 3. The figures recomputed from the log (figures.ts) are the results JSON's, figure by figure,
 *    the per-second series included.
 *
 * Every difference names where it is: a line of the log (with its VU and plan index), or a
 * figure of the results.
 */
import type { Results, LatencySummary, SecondSample } from '../metrics/results-types';
import { perSecond } from '../metrics/recorder';
import { decode, summarize, type Histogram } from '../metrics/histogram';
import type { Scenario } from '../scenario/model';
import { PlanTables, VuPlan } from '../plan/choice';
import { planHash } from '../plan/plan';
import { ArrivalCurve, modelOf } from '../plan/schedule';
import { SegmentArrivals } from '../segments/arrivals';
import { isWhole, owns, segmentText, WHOLE, type Segment } from '../segments/segment';
import { randomRow } from '../data/draw';
import { emptySecond, LogFigures, sum, type LogSecond } from './figures';
import type { EventLogReader, IssuedRecord, OutcomeRecord } from './reader';

export interface Finding {
  /** A line of the log ("line 41 (VU 2, plan index 8)") or a figure ("requests[home].failed"). */
  where: string;
  message: string;
}

export interface VerifyReport {
  records: number;
  /** The log as a file: checks, footer, sha256. */
  integrity: Finding[];
  /** The log against the scenario's plan and its own rules. */
  plan: Finding[];
  /** Recomputed figures against the results JSON. */
  metrics: Finding[];
  /** Figures compared with the results. */
  compared: number;
  /** What could not be checked, and why. */
  notes: string[];
  ok: boolean;
}

/** Findings kept per kind; beyond that they are counted. */
const KEEP = 200;

interface VuState {
  plan: VuPlan;
  issued: number;
  active: boolean;
  /** No outcome since it was (re)started: its next request starts as soon as it is sent. */
  fresh: boolean;
  prevEnd: number;
  prevThinkMs: number;
  prevFailed: boolean;
}

export async function verifyEventLog(log: EventLogReader, scenario: Scenario | undefined, results: Results | undefined): Promise<VerifyReport> {
  const h = log.header;
  const report: VerifyReport = { records: 0, integrity: [], plan: [], metrics: [], compared: 0, notes: [], ok: false };
  let dropped = 0;
  const planFinding = (where: string, message: string) => {
    if (report.plan.length < KEEP) report.plan.push({ where, message });
    else dropped++;
  };

  // Can the plan be recomputed? The same scenario text and, with the run's options, the same plan.
  let plan: PlanCheck | undefined;
  if (scenario === undefined) report.notes.push('no scenario: the plan was not recomputed');
  else if (scenario.source.hash !== h.scenario.hash) {
    planFinding('header', `the scenario is not the one that ran: its sha256 is ${scenario.source.hash}, the log's ${h.scenario.hash}`);
  } else if (planHash(scenario, h.seed) !== h.planHash) {
    planFinding('header', `the scenario with the run's options (${JSON.stringify(h.options)}) gives plan hash ${planHash(scenario, h.seed)}, the log's is ${h.planHash}`);
  } else plan = new PlanCheck(scenario, h.seed, h.segment ?? WHOLE, planFinding);

  const open = h.model === 'open';
  const figures = new LogFigures(h.checks, h.data.length);
  /** Per VU (slot, open model): the request in flight. */
  const inFlight = new Map<number, IssuedRecord>();
  for await (const r of log.records()) {
    report.records++;
    switch (r.type) {
      case 'S':
      case 'E':
        plan?.vu(r.type === 'S', r.vu, r.line);
        break;
      case 'I': {
        const where = `line ${r.line} (VU ${r.vu}, ${open ? 'arrival' : 'plan index'} ${r.k})`;
        if (r.req < 0 || r.req >= h.requests.length) {
          planFinding(where, `request index ${r.req}: the scenario has ${h.requests.length} requests`);
          break;
        }
        const busy = inFlight.get(r.vu);
        if (busy) planFinding(where, `VU ${r.vu} issues a request while its request of line ${busy.line} has no outcome`);
        inFlight.set(r.vu, r);
        figures.issue(r, open);
        plan?.issued(r, where);
        break;
      }
      case 'O': {
        const issue = inFlight.get(r.vu);
        if (!issue) {
          planFinding(`line ${r.line} (VU ${r.vu})`, `an outcome for VU ${r.vu}, which has no request in flight`);
          break;
        }
        inFlight.delete(r.vu);
        const where = `line ${r.line} (VU ${r.vu}, ${open ? 'arrival' : 'plan index'} ${issue.k}, request "${h.requests[issue.req]}")`;
        outcomeRules(r, issue, h.checks[issue.req]!.length, where, planFinding);
        figures.outcome(r, issue.req);
        plan?.outcome(r, issue);
        break;
      }
      case 'D':
        figures.droppedArrival(r);
        plan?.droppedArrival(r.line);
        break;
      case 'C':
        figures.connected(r);
        break;
      case 'L':
        figures.loadEnd(r);
        break;
    }
  }
  figures.closeSecond();
  for (const p of log.problems) report.integrity.push({ where: `line ${p.line}`, message: p.message });
  // A truncated log ends with requests in flight: its note says so.
  if (!log.footer?.truncated) for (const [vu, r] of inFlight) planFinding(`line ${r.line} (VU ${vu})`, 'this request has no outcome in the log');
  if (dropped > 0) report.plan.push({ where: '…', message: `and ${dropped} more` });

  const whole = log.footer !== undefined && !log.footer.truncated && log.problems.length === 0;
  if (log.footer?.truncated) report.notes.push(`the log was truncated by its size limit (${(h.maxBytes / 1048576).toFixed(1)} MiB) after ${log.footer.records} records: it is not whole, and the figures cannot be compared with the results`);
  if (results === undefined) report.notes.push('no results JSON: the figures were not compared');
  else if (log.footer === undefined) report.notes.push('the log has no footer: the figures were not compared');
  else if (!log.footer.truncated) compareFigures(figures, results, log, report);
  report.ok = whole && report.plan.length === 0 && report.metrics.length === 0 && results !== undefined;
  return report;
}

/** What an outcome must be on its own: its latency fits its times, its checks fit its request. */
function outcomeRules(r: OutcomeRecord, issue: IssuedRecord, checkCount: number, where: string, finding: (w: string, m: string) => void): void {
  if (r.latency !== null) {
    const span = r.t - issue.t;
    // Later than its latency says only when logged at the start of the second it was counted in
    // (EventRecorder.countedAt), a sweep's stamp being at most a second older.
    const countedLate = span > r.latency && span - r.latency < 1_000_000 && r.t % 1_000_000 === 0;
    if (Math.abs(span - r.latency) > 1 && !countedLate) finding(where, `latency ${r.latency} µs, but the outcome comes ${span} µs after its request (line ${issue.line})`);
  }
  if (r.queueWait !== null && r.latency !== null && r.queueWait > r.latency + 1) finding(where, `queue wait ${r.queueWait} µs is longer than the latency ${r.latency} µs`);
  const evaluated = r.status !== null && checkCount > 0;
  if (evaluated && r.checks?.length !== checkCount) finding(where, `${r.checks?.length ?? 0} check results for a request with ${checkCount} checks`);
  if (!evaluated && r.checks !== null) finding(where, `check results on ${r.status === null ? `a ${r.kind}` : 'a request without checks'}`);
}

/** The plan each VU had to follow, walked along the log. */
class PlanCheck {
  private readonly tables: PlanTables;
  private readonly vus = new Map<number, VuState>();
  private readonly open: boolean;
  /** Open model: the segment's arrivals (all of them in a whole run), at the next one due. */
  private readonly arrivals: SegmentArrivals | undefined;
  private readonly curve: ArrivalCurve | undefined;
  private readonly cursors: number[];
  private readonly seedLo: number;
  private readonly seedHi: number;

  constructor(
    private readonly scenario: Scenario,
    private readonly seed: number,
    private readonly segment: Segment,
    private readonly finding: (where: string, message: string) => void,
  ) {
    this.tables = new PlanTables(scenario);
    this.open = modelOf(scenario.schedule) === 'open';
    if (this.open) {
      this.curve = new ArrivalCurve(scenario.schedule);
      // The walk the runner's pump makes: every arrival's choice drawn, this segment's issued.
      this.arrivals = new SegmentArrivals(this.curve, new VuPlan(this.tables, seed, 0), segment);
    }
    this.cursors = scenario.data.map(() => 0);
    this.seedLo = seed >>> 0;
    this.seedHi = Math.floor(seed / 0x1_0000_0000) >>> 0;
  }

  private state(vu: number): VuState {
    let s = this.vus.get(vu);
    if (s === undefined) {
      s = { plan: new VuPlan(this.tables, this.seed, vu), issued: 0, active: false, fresh: true, prevEnd: 0, prevThinkMs: 0, prevFailed: false };
      this.vus.set(vu, s);
    }
    return s;
  }

  vu(start: boolean, vu: number, line: number): void {
    if (this.open) return this.finding(`line ${line}`, `a VU ${start ? 'start' : 'stop'} record in an open-model run`);
    const s = this.state(vu);
    if (start === s.active) this.finding(`line ${line} (VU ${vu})`, `VU ${vu} ${start ? 'starts, but it is running' : 'stops, but it is not running'}`);
    s.active = start;
    if (start) s.fresh = true;
  }

  droppedArrival(line: number): void {
    if (!this.open) return this.finding(`line ${line}`, 'a dropped arrival in a closed-model run');
    this.arrivals!.advance();
  }

  issued(r: IssuedRecord, where: string): void {
    const names = this.scenario.requests;
    let expected: number;
    let iteration: number;
    if (this.open) {
      const a = this.arrivals!;
      if (r.k !== a.k) this.finding(where, `arrival number ${r.k}, but the next arrival ${isWhole(this.segment) ? 'of the run' : `of segment ${segmentText(this.segment)}`} is ${a.k}`);
      expected = a.req;
      iteration = r.k;
      a.advance();
      const intended = Math.round(this.curve!.timeOf(r.k) * 1e6);
      if (Math.abs(r.t - r.lag - intended) > 2) this.finding(where, `intended start ${r.t - r.lag} µs, but arrival ${r.k} is due at ${intended} µs`);
    } else {
      if (!owns(this.segment, r.vu)) this.finding(where, `VU ${r.vu} is not one of segment ${segmentText(this.segment)}'s VUs`);
      const s = this.state(r.vu);
      if (!s.active) this.finding(where, `VU ${r.vu} issues a request while it is not running (no start record)`);
      const limit = this.scenario.runtime.iterations;
      if (limit !== undefined && s.plan.iterations >= limit) this.finding(where, `VU ${r.vu} issues a request after its ${limit} iterations`);
      if (r.k !== s.issued) this.finding(where, `plan index ${r.k}, but VU ${r.vu} issued ${s.issued} requests before it`);
      s.issued++;
      expected = s.plan.next();
      iteration = s.plan.iteration;
      this.intendedRule(s, r, where);
      s.prevThinkMs = s.plan.thinkMs;
    }
    if (r.req !== expected) this.finding(where, `request "${names[r.req]?.name}", but the plan has "${names[expected]!.name}" here`);
    if (r.rows !== null) this.rowsRule(r, iteration, where);
  }

  /** Closed model: a request is meant to start when the VU's pause after its last one ends (Run.afterRequest). */
  private intendedRule(s: VuState, r: IssuedRecord, where: string): void {
    const intended = r.t - r.lag;
    if (s.fresh) {
      if (r.lag !== 0) this.finding(where, `the VU's first request since it started, but it is logged ${r.lag} µs late`);
      return;
    }
    const think = s.prevThinkMs * 1000;
    if (!s.prevFailed) {
      if (intended !== s.prevEnd + think) this.finding(where, `intended start ${intended} µs; the last response ended at ${s.prevEnd} µs and the plan's think time is ${s.prevThinkMs} ms`);
    } else {
      const most = Math.max(think, this.scenario.target.connectBackoffMaxMs * 1000);
      if (intended < s.prevEnd + think || intended > s.prevEnd + most) this.finding(where, `intended start ${intended} µs; after the failure at ${s.prevEnd} µs the VU pauses ${s.prevThinkMs} ms to ${most / 1000} ms`);
    }
  }

  private rowsRule(r: IssuedRecord, iteration: number, where: string): void {
    this.scenario.data.forEach((d, f) => {
      const n = d.source?.rowCount ?? 0;
      let want: number;
      switch (d.mode) {
        case 'sequential':
        case 'unique': {
          // A segment's c-th draw is the whole run's draw index + c·count (the striped cursor).
          const c = this.segment.index + this.cursors[f]!++ * this.segment.count;
          if (d.mode === 'unique' && d.onExhausted !== 'wrap' && c >= n) {
            this.finding(where, `data file ${d.name}: a row drawn after all ${n} unique rows were used`);
            return;
          }
          want = c % n;
          break;
        }
        case 'random':
          want = randomRow(this.seedLo, this.seedHi, this.open ? 0 : r.vu, iteration, d.index, n);
          break;
        case 'per_vu':
          want = r.vu % n;
          break;
      }
      const got = r.rows![f]!;
      // -1: drawn, but the row could not be read (the request failed as kind template).
      if (got !== -1 && got !== want) this.finding(where, `data file ${d.name} (${d.mode}): row ${got}, but the ${d.mode} draw gives row ${want}`);
    });
  }

  outcome(r: OutcomeRecord, issue: IssuedRecord): void {
    if (this.open) return;
    const s = this.state(issue.vu);
    s.fresh = false;
    s.prevEnd = r.t;
    // A response (any status) is not a failure here: only a request that got none waits longer (back-off).
    s.prevFailed = r.status === null;
    const specs = this.scenario.requests[issue.req]!.checks;
    if (r.checks?.some((ok, i) => !ok && specs[i]?.onFail === 'skip_iteration')) s.plan.skipPass();
  }
}

// ---- figures ---------------------------------------------------------------------------

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Percentiles at which a whole latency distribution is compared, beyond the summary. */
const GRID = [...Array.from({ length: 99 }, (_, i) => i + 1), 99.9, 99.99, 100];

function compareFigures(f: LogFigures, res: Results, log: EventLogReader, report: VerifyReport): void {
  const h = log.header;
  const diff = (where: string, logValue: unknown, resultsValue: unknown) => {
    report.compared++;
    const a = JSON.stringify(logValue);
    const b = JSON.stringify(resultsValue);
    if (a !== b) report.metrics.push({ where, message: `the log gives ${a}, the results say ${b}` });
  };
  // The same run? Its identity first: other figures would differ for no reason worth reading.
  if (res.startedAt !== h.startedAt || res.seed !== h.seed || res.scenario.hash !== h.scenario.hash) {
    report.metrics.push({ where: 'results', message: `these results are of another run (started ${res.startedAt}, seed ${res.seed}); the log's run started ${h.startedAt}, seed ${h.seed}` });
    return;
  }
  const t = res.totals;
  const succeeded = sum(f.succeeded);
  const failed = sum(f.failed);
  const issued = sum(f.issued);
  const completed = succeeded + failed;
  const offered = issued + f.dropped;
  diff('totals.issued', issued, t.issued);
  diff('totals.succeeded', succeeded, t.succeeded);
  diff('totals.failed', failed, t.failed);
  diff('totals.interrupted', sum(f.interrupted), t.interrupted);
  diff('totals.dropped', f.dropped, t.dropped);
  diff('totals.droppedRate', offered > 0 ? r3(f.dropped / offered) : 0, t.droppedRate);
  diff('totals.responses', f.responses, t.responses);
  diff('totals.errorRate', completed > 0 ? r3(failed / completed) : 0, t.errorRate);
  diff('totals.successRate', completed > 0 ? r3(succeeded / completed) : 0, t.successRate);
  diff('totals.bytesReceived', f.bytes, t.bytesReceived);
  diff('totals.connectionsOpened', f.connections, t.connectionsOpened);
  diff('totals.redirects', sum(f.redirects), t.redirects ?? 0);
  if (f.loadEndUs !== undefined) {
    // The load window as the log saw it, to the ms the results round it to.
    report.compared++;
    if (Math.abs(f.loadEndUs / 1e6 - res.loadSeconds) > 0.0015) report.metrics.push({ where: 'loadSeconds', message: `the load stopped at ${f.loadEndUs / 1e6} s in the log, ${res.loadSeconds} s in the results` });
  }
  diff('totals.rps', perSecond(f.responses, res.loadSeconds), t.rps);
  const codes: Record<string, number> = {};
  for (const [c, n] of [...f.statusCodes].sort((a, b) => a[0] - b[0])) codes[String(c)] = n;
  diff('statusCodes', codes, sortedKeys(res.statusCodes));
  diff('failures', f.failuresOf(), res.failures);
  latency('latency', f.total, res.latency, res.histograms.latency, diff, report);
  if (res.queueWait) latency('queueWait', f.queueWait, res.queueWait, res.histograms.queueWait, diff, report);
  else diff('queueWait samples', f.queueWait.totalCount, 0);
  if (res.connectTime) latency('connectTime', f.connect, res.connectTime, res.histograms.connect, diff, report);
  if (res.latencyFromIntended) latency('latencyFromIntended', f.fromIntended, res.latencyFromIntended, res.histograms.latencyFromIntended, diff, report);
  if (res.schedulingLag) {
    const lag = summarize(f.lag);
    diff('schedulingLag', { mean: lag.mean, p99: lag.p99, max: lag.max }, res.schedulingLag);
  }
  h.requests.forEach((name, k) => {
    const q = res.requests[k];
    if (q === undefined || q.name !== name) {
      report.metrics.push({ where: `requests[${k}]`, message: `the log's request ${k} is "${name}", the results' ${q ? `"${q.name}"` : 'is missing'}` });
      return;
    }
    const at = `requests[${name}]`;
    diff(`${at}.issued`, f.issued[k], q.issued);
    diff(`${at}.succeeded`, f.succeeded[k], q.succeeded);
    diff(`${at}.failed`, f.failed[k], q.failed);
    diff(`${at}.interrupted`, f.interrupted[k], q.interrupted);
    diff(`${at}.failures`, f.failuresOf(k), q.failures);
    diff(`${at}.redirects`, f.redirects[k], q.redirects ?? 0);
    const hist = f.latency[k];
    latency(`${at}.latency`, hist, q.latency, q.histogram, diff, report);
  });
  const checks = res.checks ?? [];
  let id = 0;
  h.checks.forEach((names, k) => {
    names.forEach((name, i) => {
      const c = checks[id++];
      const at = `checks[${h.requests[k]} / ${name}]`;
      if (c === undefined || c.name !== name) {
        report.metrics.push({ where: at, message: 'not in the results' });
        return;
      }
      diff(`${at}.passed`, f.checksPassed[k]![i], c.passed);
      diff(`${at}.failed`, f.checksFailed[k]![i], c.failed);
    });
  });
  if (id > 0 && res.totals.checks) {
    diff('totals.checks.passed', f.checksPassed.flat().reduce((a, b) => a + b, 0), res.totals.checks.passed);
    diff('totals.checks.failed', f.checksFailed.flat().reduce((a, b) => a + b, 0), res.totals.checks.failed);
  }
  (res.data ?? []).forEach((d, i) => diff(`data[${d.file}].drawn`, f.drawn[i], d.drawn));
  compareSeries(f.seconds, res, report);
}

/** Seconds whose difference is told; the others are counted. */
const SECONDS_TOLD = 5;

/**
 * The per-second series, second by second: its counts and latency percentiles (the active VUs
 * are read at the runner's tick, not logged). A second the results' series does not have must be
 * empty in the log.
 */
function compareSeries(seconds: ReadonlyMap<number, LogSecond>, res: Results, report: VerifyReport): void {
  let off = 0;
  const told = (where: string, message: string) => {
    if (off++ < SECONDS_TOLD) report.metrics.push({ where, message });
  };
  const none = emptySecond();
  for (const s of res.timeseries) {
    const l = seconds.get(s.t) ?? none;
    const pick = (x: LogSecond | SecondSample) => ({
      requests: x.requests, responses: x.responses, failures: x.failures,
      ...(s.dropped !== undefined ? { dropped: x.dropped } : {}),
      ...(s.checksPassed !== undefined ? { checksPassed: x.checksPassed, checksFailed: x.checksFailed } : {}),
      p50: x.p50, p95: x.p95, p99: x.p99,
    });
    const a = JSON.stringify(pick(l));
    const b = JSON.stringify(pick(s));
    report.compared++;
    if (a !== b) told(`timeseries[${s.t}]`, `the log gives ${a}, the results say ${b}`);
  }
  const last = res.timeseries.length;
  seconds.forEach((l, t) => {
    if (t >= last && (l.requests > 0 || l.dropped > 0)) told(`timeseries[${t}]`, `the log has ${l.requests} outcomes and ${l.dropped} dropped arrivals in second ${t}; the results' series ends before it`);
  });
  if (off > SECONDS_TOLD) report.metrics.push({ where: 'timeseries', message: `and ${off - SECONDS_TOLD} more seconds differ` });
}

/** A latency summary figure by figure, then the whole distribution against the results' encoded histogram. */
function latency(at: string, rebuilt: Histogram | undefined, summary: LatencySummary, encoded: string | undefined, diff: (w: string, a: unknown, b: unknown) => void, report: VerifyReport): void {
  const mine = summarize(rebuilt);
  for (const key of Object.keys(summary) as (keyof LatencySummary)[]) diff(`${at}.${key}`, mine[key], summary[key]);
  if (encoded === undefined || rebuilt === undefined || rebuilt.totalCount === 0) return;
  let theirs: Histogram;
  try {
    theirs = decode(encoded);
  } catch {
    report.metrics.push({ where: `${at} histogram`, message: 'the results\' encoded histogram cannot be decoded' });
    return;
  }
  report.compared++;
  const off = GRID.find((p) => rebuilt.getValueAtPercentile(p) !== theirs.getValueAtPercentile(p));
  if (off !== undefined) report.metrics.push({ where: `${at} histogram`, message: `p${off} is ${rebuilt.getValueAtPercentile(off)} µs in the log, ${theirs.getValueAtPercentile(off)} µs in the results' histogram` });
}

function sortedKeys(o: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(o).sort((a, b) => Number(a) - Number(b))) out[k] = o[k]!;
  return out;
}
