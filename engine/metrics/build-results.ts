/**
 * Turns what the Recorder collected into the versioned Results object (decisions §4).
 */
import type { Scenario } from '../scenario/model';
import { ownLength } from '../plan/schedule';
import { evaluateAssertions, evaluateCheckAssertion, type AssertionInputs } from './assertions';
import { KIND_INDEX } from './recorder';
import type { AssertionResult } from './results-types';
import { encode, encodeEmpty, summarize } from './histogram';
import { perSecond, type Recorder } from './recorder';
import { FAILURE_KINDS, RESULTS_VERSION, type CheckStats, type DataFileStats, type RequestStats, type Results } from './results-types';
import type { CheckInfo } from '../session/response-plan';

export const TOOL_VERSION = '0.1.0';
/** Above this, the generator itself may be the bottleneck and latencies read high. */
export const GENERATOR_WARN = 0.8;

export interface ResultInputs {
  scenario: Scenario;
  recorder: Recorder;
  seed: number;
  startedAt: Date;
  endedAt: Date;
  durationSeconds: number;
  /** From the start to the moment the load stopped (Recorder.loadSeconds): what rps divides by. */
  loadSeconds: number;
  status: Results['status'];
  model: 'closed' | 'open';
  peak: number;
  /** Every check in recorder id order (response-plan.ts). */
  checks?: readonly CheckInfo[];
  cpuPercent: number;
  eventLoopUtilization: number;
  error?: string;
  abortReason?: string;
  /** Per data file: rows and draws. */
  data?: DataFileStats[];
  /** Why the run ended before its duration, when something other than the schedule ended it. */
  endReason?: string;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const FAILURE_KIND_COUNT = FAILURE_KINDS.length;

function passRate(passed: number, failed: number): number | null {
  return passed + failed > 0 ? r3(passed / (passed + failed)) : null;
}

/**
 * The assertions on the figures so far, for abort_on_fail (once per second while the run goes):
 * the same rules as at the end, on the histograms up to the last closed second.
 */
export function assertionsSoFar(i: Pick<ResultInputs, 'recorder' | 'scenario' | 'checks'>, loadSeconds: number): AssertionResult[] {
  const rec = i.recorder;
  const succeeded = rec.sum(rec.succeeded);
  const failed = rec.sum(rec.failed);
  let status5xx = 0;
  for (let k = 0; k < rec.requestCount; k++) status5xx += rec.failures[k * FAILURE_KIND_COUNT + KIND_INDEX.http_5xx]!;
  const issued = rec.sum(rec.issued);
  const requests = i.scenario.requests.map((_, k) => ({ latency: summarize(rec.histogramOf(k)) }));
  return allAssertions(i, requests, {
    latency: summarize(rec.total), succeeded, failed, status5xx, responses: rec.responses, loadSeconds,
    dropped: rec.dropped, offered: issued + rec.dropped, checksPassed: rec.sum(rec.checkPassed), checksFailed: rec.sum(rec.checkFailed),
  });
}

function checkStats(i: ResultInputs): CheckStats[] {
  const rec = i.recorder;
  return (i.checks ?? []).map((c, id) => ({
    name: c.name,
    request: i.scenario.requests[c.request]!.name,
    passed: rec.checkPassed[id]!,
    failed: rec.checkFailed[id]!,
    passRate: passRate(rec.checkPassed[id]!, rec.checkFailed[id]!),
  }));
}

/** One request's figures, as its [requests.assertions] read them. */
export interface RequestFigures {
  latency: RequestStats['latency'];
  issued: number;
  succeeded: number;
  failed: number;
  status5xx: number;
  responses: number;
}

/** One check's counts (in recorder id order: request by request, as written). */
export interface CheckCounts {
  request: number;
  name: string;
  passRateMin?: number;
  passed: number;
  failed: number;
}

/**
 * [assertions] over the whole run, then each request's [requests.assertions] over its own
 * figures, then each check's pass_rate_min: the order results, summary and report show them in.
 * From plain figures, so a run (its recorder) and a merge of segments (z6 merge) judge alike.
 */
export function judgeAssertions(s: Pick<Scenario, 'assertions' | 'requests'>, whole: AssertionInputs, requests: readonly RequestFigures[], checks: readonly CheckCounts[]): AssertionResult[] {
  const out = evaluateAssertions(s.assertions, whole);
  s.requests.forEach((spec, k) => {
    if (Object.keys(spec.assertions).length === 0) return;
    let passed = 0;
    let failed = 0;
    for (const c of checks) {
      if (c.request !== k) continue;
      passed += c.passed;
      failed += c.failed;
    }
    const q = requests[k]!;
    out.push(...evaluateAssertions(spec.assertions, {
      latency: q.latency,
      succeeded: q.succeeded,
      failed: q.failed,
      status5xx: q.status5xx,
      responses: q.responses,
      loadSeconds: whole.loadSeconds,
      dropped: 0,
      offered: q.issued,
      checksPassed: passed,
      checksFailed: failed,
    }, { request: spec.name }));
  });
  for (const c of checks) {
    if (c.passRateMin === undefined) continue;
    out.push(evaluateCheckAssertion(c.passRateMin, c.passed, c.failed, { request: s.requests[c.request]!.name, check: c.name }));
  }
  return out;
}

/** judgeAssertions on what a recorder collected. */
export function allAssertions(i: Pick<ResultInputs, 'recorder' | 'scenario' | 'checks'>, requests: readonly Pick<RequestStats, 'latency'>[], whole: AssertionInputs): AssertionResult[] {
  const rec = i.recorder;
  const figures = i.scenario.requests.map((_, k): RequestFigures => ({
    latency: requests[k]!.latency,
    issued: rec.issued[k]!,
    succeeded: rec.succeeded[k]!,
    failed: rec.failed[k]!,
    status5xx: rec.failures[k * FAILURE_KIND_COUNT + KIND_INDEX.http_5xx]!,
    responses: rec.responded[k]!,
  }));
  const checks = (i.checks ?? []).map((c, id): CheckCounts => ({ ...c, passed: rec.checkPassed[id]!, failed: rec.checkFailed[id]! }));
  return judgeAssertions(i.scenario, whole, figures, checks);
}

export function buildResults(i: ResultInputs): Results {
  const rec = i.recorder;
  const s = i.scenario;
  const requests: RequestStats[] = s.requests.map((spec, k) => {
    const h = rec.histogramOf(k);
    return {
      name: spec.name,
      method: spec.method,
      path: spec.path,
      issued: rec.issued[k]!,
      succeeded: rec.succeeded[k]!,
      failed: rec.failed[k]!,
      interrupted: rec.interrupted[k]!,
      responses: rec.responded[k]!,
      latency: summarize(h),
      failures: rec.failuresOf(k),
      redirects: rec.redirects[k]!,
      histogram: h ? encode(h) : encodeEmpty(),
    };
  });
  const succeeded = rec.sum(rec.succeeded);
  const failed = rec.sum(rec.failed);
  const interrupted = rec.sum(rec.interrupted);
  const completed = succeeded + failed;
  const loadSeconds = r3(i.loadSeconds);
  const issued = rec.sum(rec.issued);
  // Offered arrivals: every one is either issued or dropped (the closed model never drops).
  const offered = issued + rec.dropped;
  const latency = summarize(rec.total);
  const statusCodes = rec.statusCodeCounts();
  let status5xx = 0;
  for (const [code, n] of Object.entries(statusCodes)) if (+code >= 500 && +code < 600) status5xx += n;
  const failureSamples: Results['failureSamples'] = {};
  for (const [k, v] of rec.failureSamples) failureSamples[k] = [...v];

  const results: Results = {
    version: RESULTS_VERSION,
    tool: { name: 'z6', version: TOOL_VERSION },
    scenario: { name: s.metadata.name, file: s.source.file, hash: s.source.hash },
    seed: i.seed,
    startedAt: i.startedAt.toISOString(),
    endedAt: i.endedAt.toISOString(),
    durationSeconds: r3(i.durationSeconds),
    loadSeconds,
    status: i.status,
    schedule: {
      type: s.schedule.type,
      plannedDurationSeconds: s.runtime.durationSeconds ?? ownLength(s.schedule) ?? null,
      peakVus: i.peak,
      model: i.model,
    },
    target: { baseUrl: s.target.baseUrl, httpVersion: s.target.httpVersion },
    totals: {
      issued,
      succeeded,
      failed,
      interrupted,
      dropped: rec.dropped,
      droppedRate: offered > 0 ? r3(rec.dropped / offered) : 0,
      responses: rec.responses,
      rps: perSecond(rec.responses, loadSeconds),
      errorRate: completed > 0 ? r3(failed / completed) : 0,
      successRate: completed > 0 ? r3(succeeded / completed) : 0,
      bytesReceived: rec.bytesReceived,
      connectionsOpened: rec.connectionsOpened,
      redirects: rec.sum(rec.redirects),
    },
    latency,
    statusCodes,
    failures: rec.failuresAll(),
    failureSamples,
    requests,
    timeseries: rec.timeseries,
    assertions: [],
    histograms: { latency: encode(rec.total) },
  };
  const checkInfos = i.checks ?? [];
  const checksPassed = rec.sum(rec.checkPassed);
  const checksFailed = rec.sum(rec.checkFailed);
  results.assertions = allAssertions(i, requests, { latency, succeeded, failed, status5xx, responses: rec.responses, loadSeconds, dropped: rec.dropped, offered, checksPassed, checksFailed });
  if (checkInfos.length > 0) {
    results.checks = checkStats(i);
    results.totals.checks = { passed: checksPassed, failed: checksFailed, passRate: passRate(checksPassed, checksFailed) };
  }
  if (rec.secondHistograms) {
    // A segment: what z6 merge needs to give the whole run's per-second and lag percentiles exactly.
    results.histograms.perSecond = rec.secondHistograms;
    if (rec.lag) results.histograms.schedulingLag = encode(rec.lag);
  }
  if (rec.connect.totalCount > 0) {
    results.connectTime = summarize(rec.connect);
    results.histograms.connect = encode(rec.connect);
  }
  if (rec.queueWait) {
    results.queueWait = summarize(rec.queueWait);
    results.histograms.queueWait = encode(rec.queueWait);
  }
  if (rec.fromIntended) {
    results.latencyFromIntended = summarize(rec.fromIntended);
    results.histograms.latencyFromIntended = encode(rec.fromIntended);
    const lag = summarize(rec.lag!);
    results.schedulingLag = { mean: lag.mean, p99: lag.p99, max: lag.max };
  }
  const cpu = Math.round(i.cpuPercent * 10) / 10;
  const elu = r3(i.eventLoopUtilization);
  results.generator = { cpuPercent: cpu, eventLoopUtilization: elu };
  if (cpu > GENERATOR_WARN * 100 || elu > GENERATOR_WARN) {
    results.generator.warning = `the load generator was busy (CPU ${cpu} %, event loop ${Math.round(elu * 100)} %): latencies may include time spent waiting in z6 itself; use fewer VUs or more machines`;
  }
  if (i.error) results.error = i.error;
  if (i.abortReason) results.abortReason = i.abortReason;
  if (i.endReason) results.endReason = i.endReason;
  if (i.data?.length) results.data = i.data;
  return results;
}
