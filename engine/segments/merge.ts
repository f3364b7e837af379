/**
 * `z6 merge`: the results of a run's segments added up into the results of the whole run
 * (docs/segments.md). Counts are summed; every latency figure is recomputed from the segments'
 * HDR histograms added together (lossless: the same buckets as one process recording every
 * sample); the per-second series is aligned on wall-clock time; the assertions are judged on the
 * merge with the scenario, so the run passes or fails as a whole — never one segment's slice.
 */
import type { Scenario } from '../scenario/model';
import { judgeAssertions, type CheckCounts, type RequestFigures } from '../metrics/build-results';
import { decode, encode, encodeEmpty, newHistogram, summarize, type Histogram } from '../metrics/histogram';
import { perSecond } from '../metrics/recorder';
import { FAILURE_KINDS, type CheckStats, type DataFileStats, type FailureKind, type PhaseRequestResult, type RequestStats, type Results, type SecondSample } from '../metrics/results-types';

export interface SegmentInput {
  /** For messages. */
  file: string;
  results: Results;
}

export class MergeError extends Error {}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
/** As the engine keeps them (recorder.ts): a few examples per failure kind. */
const SAMPLES_PER_KIND = 5;

function addHistograms(encoded: readonly (string | undefined)[]): Histogram | undefined {
  let total: Histogram | undefined;
  for (const b64 of encoded) {
    if (!b64) continue;
    const h = decode(b64);
    if (total === undefined) total = newHistogram();
    total.add(h);
  }
  return total;
}

function sumRecords<K extends string>(records: readonly Partial<Record<K, number>>[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const r of records) for (const [k, v] of Object.entries(r) as [K, number][]) out[k] = (out[k] ?? 0) + v;
  return out;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Checks that the inputs are the segments of one run: the same scenario (hash), seed and segment
 * count, each segment once. Returns the indices missing (refused unless allowPartial).
 */
export function checkSegments(inputs: readonly SegmentInput[], allowPartial: boolean): { count: number; missing: number[] } {
  if (inputs.length === 0) throw new MergeError('no results to merge');
  const first = inputs[0]!;
  const seen = new Map<number, string>();
  let count: number | undefined;
  for (const { file, results: r } of inputs) {
    if (!r.segment) throw new MergeError(`${file} is not a segment's results (no "segment": it was a whole run, not z6 run --segment i/n)`);
    if (r.scenario.hash !== first.results.scenario.hash) throw new MergeError(`${file} is from another scenario (hash ${r.scenario.hash.slice(0, 12)}…) than ${first.file} (${first.results.scenario.hash.slice(0, 12)}…)`);
    if (r.seed !== first.results.seed) throw new MergeError(`${file} ran with seed ${r.seed}, ${first.file} with ${first.results.seed}: segments of one run share its seed`);
    count ??= r.segment.count;
    if (r.segment.count !== count) throw new MergeError(`${file} is segment ${r.segment.index}/${r.segment.count}, but ${first.file} is one of ${count}: segments of one run have the same n`);
    const dup = seen.get(r.segment.index);
    if (dup !== undefined) throw new MergeError(`segment ${r.segment.index}/${count} is given twice: ${dup} and ${file}`);
    seen.set(r.segment.index, file);
  }
  const missing = Array.from({ length: count! }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length && !allowPartial) {
    throw new MergeError(`segment${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: merge every segment, or --allow-partial to merge what is there (the results then say what is missing)`);
  }
  return { count: count!, missing };
}

/** The per-second series of all segments on one clock: second T holds what every segment did in it. */
function mergeTimeseries(inputs: readonly SegmentInput[], startMs: number): { series: SecondSample[]; histograms: string[] } {
  const slots = new Map<number, { samples: SecondSample[]; hist: string[] }>();
  for (const { results: r } of inputs) {
    // Whole seconds: segments started at a barrier share their start to the millisecond; others
    // are placed in the nearest second of the earliest start.
    const offset = Math.round((Date.parse(r.startedAt) - startMs) / 1000);
    r.timeseries.forEach((s, k) => {
      const t = s.t + offset;
      const slot = slots.get(t) ?? { samples: [], hist: [] };
      slot.samples.push(s);
      slot.hist.push(r.histograms.perSecond?.[k] ?? '');
      slots.set(t, slot);
    });
  }
  const series: SecondSample[] = [];
  const histograms: string[] = [];
  for (const t of [...slots.keys()].sort((a, b) => a - b)) {
    const { samples, hist } = slots.get(t)!;
    const merged = mergeSecond(t, samples, hist);
    series.push(merged.sample);
    histograms.push(merged.histogram);
  }
  return { series, histograms };
}

/**
 * One second of the whole run from the segments' samples of it and their latency histograms
 * (encoded, '' for none): counts added, percentiles from the added histograms. Also what
 * `z6 run --workers` shows live each second.
 */
export function mergeSecond(t: number, samples: readonly SecondSample[], hist: readonly string[]): { sample: SecondSample; histogram: string } {
  const h = addHistograms(hist);
  const l = h ? summarize(h) : undefined;
  const partial = samples.find((s) => s.rps === null);
  const responses = sum(samples.map((s) => s.responses));
  const out: SecondSample = {
    t,
    requests: sum(samples.map((s) => s.requests)),
    responses,
    rps: partial ? null : responses,
    failures: sum(samples.map((s) => s.failures)),
    p50: l && l.count > 0 ? l.p50 : null,
    p95: l && l.count > 0 ? l.p95 : null,
    p99: l && l.count > 0 ? l.p99 : null,
    activeVus: sum(samples.map((s) => s.activeVus)),
  };
  if (partial) out.seconds = Math.max(...samples.map((s) => s.seconds ?? 1));
  if (samples.every((s) => s.afterLoad)) out.afterLoad = true;
  if (samples.some((s) => s.dropped !== undefined)) out.dropped = sum(samples.map((s) => s.dropped ?? 0));
  if (samples.some((s) => s.checksPassed !== undefined)) {
    out.checksPassed = sum(samples.map((s) => s.checksPassed ?? 0));
    out.checksFailed = sum(samples.map((s) => s.checksFailed ?? 0));
  }
  return { sample: out, histogram: h ? encode(h) : '' };
}

function mergeRequests(inputs: readonly SegmentInput[]): RequestStats[] {
  const first = inputs[0]!.results.requests;
  return first.map((q, k) => {
    const all = inputs.map((i) => {
      const r = i.results.requests[k];
      if (!r || r.name !== q.name) throw new MergeError(`${i.file} lists other requests than ${inputs[0]!.file} (request ${k + 1} is "${r?.name}", not "${q.name}")`);
      return r;
    });
    const h = addHistograms(all.map((r) => r.histogram));
    const merged: RequestStats = {
      name: q.name,
      method: q.method,
      path: q.path,
      issued: sum(all.map((r) => r.issued)),
      succeeded: sum(all.map((r) => r.succeeded)),
      failed: sum(all.map((r) => r.failed)),
      interrupted: sum(all.map((r) => r.interrupted)),
      latency: summarize(h),
      failures: sumRecords(all.map((r) => r.failures)),
      redirects: sum(all.map((r) => r.redirects ?? 0)),
      histogram: h ? encode(h) : encodeEmpty(),
    };
    if (all.some((r) => r.responses !== undefined)) merged.responses = sum(all.map((r) => r.responses ?? 0));
    return merged;
  });
}

function mergeChecks(inputs: readonly SegmentInput[]): CheckStats[] | undefined {
  const first = inputs[0]!.results.checks;
  if (!first) return undefined;
  return first.map((c, id) => {
    const passed = sum(inputs.map((i) => i.results.checks?.[id]?.passed ?? 0));
    const failed = sum(inputs.map((i) => i.results.checks?.[id]?.failed ?? 0));
    return { name: c.name, request: c.request, passed, failed, passRate: passed + failed > 0 ? r3(passed / (passed + failed)) : null };
  });
}

function mergeData(inputs: readonly SegmentInput[]): DataFileStats[] | undefined {
  const first = inputs[0]!.results.data;
  if (!first) return undefined;
  return first.map((d, k) => ({
    ...d,
    drawn: sum(inputs.map((i) => i.results.data?.[k]?.drawn ?? 0)),
    ...(d.exhausted !== undefined ? { exhausted: inputs.some((i) => i.results.data?.[k]?.exhausted) } : {}),
  }));
}

/** How the merged run ended: the worst of its segments (an error, then a cancel, then an abort). */
function mergedStatus(inputs: readonly SegmentInput[]): Pick<Results, 'status' | 'error' | 'abortReason' | 'endReason'> {
  const by = (s: Results['status']) => inputs.filter((i) => i.results.status === s);
  const tag = (i: SegmentInput) => `segment ${i.results.segment!.index}/${i.results.segment!.count}`;
  const errors = by('error');
  if (errors.length) return { status: 'error', error: errors.map((i) => `${tag(i)}: ${i.results.error ?? 'ended with an error'}`).join('; ') };
  if (by('cancelled').length) return { status: 'cancelled' };
  const aborted = by('aborted');
  if (aborted.length) return { status: 'aborted', abortReason: aborted.map((i) => `${tag(i)}: ${i.results.abortReason}`).join('; ') };
  const ended = inputs.filter((i) => i.results.endReason);
  return ended.length ? { status: 'completed', endReason: ended.map((i) => `${tag(i)}: ${i.results.endReason}`).join('; ') } : { status: 'completed' };
}

/**
 * The whole run from its segments, judged with `scenario` (which must be the one they ran: same
 * source hash). The inputs must have passed checkSegments.
 */
export function mergeSegments(inputs: readonly SegmentInput[], scenario: Scenario, meta: { count: number; missing: number[] }): Results {
  const first = inputs[0]!.results;
  if (scenario.source.hash !== first.scenario.hash) {
    throw new MergeError(`the scenario ${scenario.source.file ?? ''} is not the one the segments ran (its hash ${scenario.source.hash.slice(0, 12)}… is not ${first.scenario.hash.slice(0, 12)}…): judge them with the file they ran`);
  }
  const starts = inputs.map((i) => Date.parse(i.results.startedAt));
  const startMs = Math.min(...starts);
  const endMs = Math.max(...inputs.map((i) => Date.parse(i.results.endedAt)));
  // The load window of the whole run: from the first start to the last segment's end of load.
  const loadSeconds = r3(Math.max(...inputs.map((i, k) => starts[k]! - startMs + i.results.loadSeconds * 1000)) / 1000);
  const tot = inputs.map((i) => i.results.totals);
  const issued = sum(tot.map((t) => t.issued));
  const succeeded = sum(tot.map((t) => t.succeeded));
  const failed = sum(tot.map((t) => t.failed));
  const dropped = sum(tot.map((t) => t.dropped));
  const responses = sum(tot.map((t) => t.responses));
  const completed = succeeded + failed;
  const offered = issued + dropped;
  const latencyH = addHistograms(inputs.map((i) => i.results.histograms.latency));
  const latency = summarize(latencyH);
  const requests = mergeRequests(inputs);
  const checks = mergeChecks(inputs);
  const statusCodes = sumRecords<string>(inputs.map((i) => i.results.statusCodes)) as Record<string, number>;
  const failureSamples: Results['failureSamples'] = {};
  for (const kind of FAILURE_KINDS) {
    const samples = inputs.flatMap((i) => i.results.failureSamples[kind] ?? []).slice(0, SAMPLES_PER_KIND);
    if (samples.length) failureSamples[kind] = samples;
  }
  const { series, histograms: perSecondHist } = mergeTimeseries(inputs, startMs);
  const checksPassed = sum((checks ?? []).map((c) => c.passed));
  const checksFailed = sum((checks ?? []).map((c) => c.failed));
  const status5xx = sum(Object.entries(statusCodes).filter(([c]) => +c >= 500 && +c < 600).map(([, n]) => n));

  const merged: Results = {
    version: first.version,
    tool: first.tool,
    scenario: first.scenario,
    seed: first.seed,
    startedAt: new Date(startMs).toISOString(),
    endedAt: new Date(endMs).toISOString(),
    durationSeconds: r3((endMs - startMs) / 1000),
    loadSeconds,
    ...mergedStatus(inputs),
    merged: { segments: inputs.length, count: meta.count, missing: meta.missing },
    schedule: { ...first.schedule, peakVus: sum(inputs.map((i) => i.results.schedule.peakVus)) },
    target: first.target,
    totals: {
      issued,
      succeeded,
      failed,
      interrupted: sum(tot.map((t) => t.interrupted)),
      dropped,
      droppedRate: offered > 0 ? r3(dropped / offered) : 0,
      responses,
      rps: perSecond(responses, loadSeconds),
      errorRate: completed > 0 ? r3(failed / completed) : 0,
      successRate: completed > 0 ? r3(succeeded / completed) : 0,
      bytesReceived: sum(tot.map((t) => t.bytesReceived)),
      connectionsOpened: sum(tot.map((t) => t.connectionsOpened)),
      redirects: sum(tot.map((t) => t.redirects ?? 0)),
    },
    latency,
    statusCodes,
    failures: sumRecords<FailureKind>(inputs.map((i) => i.results.failures)),
    failureSamples,
    requests,
    timeseries: series,
    assertions: [],
    histograms: { latency: latencyH ? encode(latencyH) : encodeEmpty(), perSecond: perSecondHist },
  };
  for (const key of ['latencyFromIntended', 'connectTime', 'queueWait'] as const) {
    const hkey = key === 'connectTime' ? 'connect' : key;
    const h = addHistograms(inputs.map((i) => i.results.histograms[hkey]));
    if (h) {
      merged[key] = summarize(h);
      merged.histograms[hkey] = encode(h);
    }
  }
  const lags = inputs.map((i) => i.results.schedulingLag).filter((l) => l !== undefined);
  const lagHistograms = inputs.filter((i) => i.results.schedulingLag).map((i) => i.results.histograms.schedulingLag);
  if (lags.length && lagHistograms.every((h) => h !== undefined)) {
    // Segments keep their lag histogram: the whole run's lag, exactly.
    const h = addHistograms(lagHistograms)!;
    const l = summarize(h);
    merged.schedulingLag = { mean: l.mean, p99: l.p99, max: l.max };
    merged.histograms.schedulingLag = encode(h);
  } else if (lags.length) {
    // Results without a lag histogram (older ones): the max is exact, the mean weighted by
    // requests, the p99 the largest segment's (an upper bound of the whole run's).
    const weights = inputs.filter((i) => i.results.schedulingLag).map((i) => i.results.totals.issued);
    const w = sum(weights) || 1;
    merged.schedulingLag = { mean: r3(sum(lags.map((l, k) => l.mean * weights[k]!)) / w), p99: Math.max(...lags.map((l) => l.p99)), max: Math.max(...lags.map((l) => l.max)) };
  }
  if (checks) merged.checks = checks;
  if (checks) merged.totals.checks = { passed: checksPassed, failed: checksFailed, passRate: checksPassed + checksFailed > 0 ? r3(checksPassed / (checksPassed + checksFailed)) : null };
  const data = mergeData(inputs);
  if (data) merged.data = data;
  // Setup and teardown ran in segment 0 (the one that also runs them in a distributed run).
  const lead = inputs.find((i) => i.results.segment?.index === 0)?.results;
  const phase = (p: PhaseRequestResult[] | undefined) => (p?.length ? p : undefined);
  if (phase(lead?.setup)) merged.setup = lead!.setup;
  if (phase(lead?.teardown)) merged.teardown = lead!.teardown;

  const figures: RequestFigures[] = requests.map((q) => ({
    latency: q.latency,
    issued: q.issued,
    succeeded: q.succeeded,
    failed: q.failed,
    status5xx: q.failures.http_5xx ?? 0,
    responses: q.responses ?? 0,
  }));
  const checkCounts: CheckCounts[] = (checks ?? []).map((c) => {
    const request = scenario.requests.findIndex((r) => r.name === c.request);
    return { request, name: c.name, passRateMin: scenario.requests[request]?.checks.find((k) => k.name === c.name)?.passRateMin, passed: c.passed, failed: c.failed };
  });
  merged.assertions = judgeAssertions(scenario, { latency, succeeded, failed, status5xx, responses, loadSeconds, dropped, offered, checksPassed, checksFailed }, figures, checkCounts);
  return merged;
}
