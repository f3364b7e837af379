/**
 * The figures of one scope (the whole run, or one request) in A and in B, each with its verdict.
 * What is judged and how (docs/compare.md):
 * - latency p50/p90/p99: threshold on the reported values, a floor in ms (below it the generator's
 *   own timing differs between runs), noise from distribution-free quantile intervals computed
 *   from each run's histogram (significance.ts);
 * - error and success rate: one proportion (failed / completed), threshold on the error rate,
 *   noise from Wilson intervals. The success rate takes the error rate's verdict: a relative
 *   threshold on a share near 100 % would let failures grow tenfold (99.9 % → 99 %) unnoticed;
 * - failures by kind: the count of each kind as a share of completed requests, judged like the
 *   error rate (a count alone grows with the run's length);
 * - responses/s of the whole run: threshold, with Poisson noise on the response count;
 * - requests issued, and a request's own responses/s: context, never judged. They follow the
 *   pace of the whole run (in a closed model every VU slows down when one request does), so a
 *   verdict there would blame requests for another's slowness.
 */
import type { Histogram } from '../metrics/histogram';
import { FAILURE_KINDS, type FailureKind, type LatencySummary } from '../metrics/results-types';
import type { FigureDelta } from './compare';
import { proportionInterval, quantileInterval, rateInterval, type Interval } from './significance';
import { judge, relativeChange, type Judged } from './verdict';

/** How far a figure must move to be judged (CompareOptions). */
export interface Rule {
  threshold: number;
  /** Latency changes smaller than this many ms are not judged (docs/compare.md, the latency floor). */
  latencyFloorMs: number;
}

/** One side of a scope: what its figures are computed from. */
export interface Side {
  issued: number;
  succeeded: number;
  failed: number;
  /** HTTP responses of any status; undefined when the results file does not say (older files, per request). */
  responses?: number;
  loadSeconds: number;
  latency: LatencySummary;
  /** Decoded on first use; undefined when it could not be read (the caller warns). */
  histogram: () => Histogram | undefined;
  failures: Partial<Record<FailureKind, number>>;
}

const PERCENTILES = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p99', 0.99],
] as const;

/** A share as a percentage that keeps small ones visible: 0.013 %, 0.2 %, 12.5 %. */
const sharePct = (f: number) => `${f > 0 && f < 0.001 ? +(f * 100).toPrecision(2) : +(f * 100).toFixed(1)} %`;
const count = (n: number) => Math.round(n).toLocaleString('en-US');
const samples = (n: number) => `${count(n)} sample${n === 1 ? '' : 's'}`;

function figure(base: Omit<FigureDelta, 'delta' | 'relative' | 'verdict'>, j: Judged): FigureDelta {
  const { a, b } = base;
  const out: FigureDelta = { ...base, delta: a === null || b === null ? null : b - a, relative: relativeChange(a, b), verdict: j.verdict };
  if (j.why !== undefined) out.why = j.why;
  return out;
}

/** A figure shown for context: its values and change, verdict always 'unchanged'. */
function context(id: string, label: string, unit: FigureDelta['unit'], a: number | null, b: number | null, why: string): FigureDelta {
  return { ...figure({ id, label, unit, a, b, better: 'higher' }, { verdict: 'unchanged', why }), context: true };
}

function latencyFigures(A: Side, B: Side, rule: Rule): FigureDelta[] {
  return PERCENTILES.map(([key, q]) => {
    const base = { id: `latency.${key}`, label: `${key} latency`, unit: 'ms' as const, better: 'lower' as const };
    const a = A.latency.count > 0 ? A.latency[key] : null;
    const b = B.latency.count > 0 ? B.latency[key] : null;
    if (a === null || b === null) return figure({ ...base, a, b }, { verdict: 'unchanged', why: `no latency samples in ${a === null ? 'A' : 'B'}` });
    const ha = A.histogram();
    const hb = B.histogram();
    // Without a histogram there is no noise model: threshold and floor alone decide, and the caller has warned.
    const intervals = ha && hb ? { a: quantileInterval(ha, q), b: quantileInterval(hb, q), noise: `${samples(A.latency.count)} in A and ${count(B.latency.count)} in B` } : null;
    const out = figure({ ...base, a, b }, judge(a, b, 'lower', rule.threshold, intervals, { size: rule.latencyFloorMs, text: `${rule.latencyFloorMs} ms` }));
    if (intervals) out.intervals = { a: intervals.a, b: intervals.b };
    return out;
  });
}

/** x of n, as the proportion it is; null without completed requests. */
function share(x: number, n: number): number | null {
  return n > 0 ? x / n : null;
}

/** A proportion x/n judged with Wilson intervals; `better` is for the proportion judged. */
function judgeShare(xa: number, na: number, xb: number, nb: number, threshold: number): Judged & { intervals?: { a: Interval; b: Interval } } {
  const a = share(xa, na);
  const b = share(xb, nb);
  if (a === null || b === null) return { verdict: 'unchanged', why: `no completed requests in ${a === null ? 'A' : 'B'}` };
  const intervals = { a: proportionInterval(xa, na), b: proportionInterval(xb, nb) };
  return { ...judge(a, b, 'lower', threshold, { ...intervals, noise: `${count(xa)} of ${count(na)} in A and ${count(xb)} of ${count(nb)} in B` }), intervals };
}

function rateFigures(A: Side, B: Side, rule: Rule): FigureDelta[] {
  const na = A.succeeded + A.failed;
  const nb = B.succeeded + B.failed;
  const j = judgeShare(A.failed, na, B.failed, nb, rule.threshold);
  const err = figure({ id: 'errorRate', label: 'error rate', unit: 'ratio', a: share(A.failed, na), b: share(B.failed, nb), better: 'lower' }, j);
  if (j.intervals) err.intervals = j.intervals;
  // The same proportion seen from the other side: its verdict, mirrored intervals.
  const ok = figure(
    { id: 'successRate', label: 'success rate', unit: 'ratio', a: share(A.succeeded, na), b: share(B.succeeded, nb), better: 'higher' },
    { verdict: j.verdict, why: j.verdict === 'unchanged' ? j.why : 'judged on the error rate' },
  );
  return [ok, err];
}

function failureFigures(A: Side, B: Side, rule: Rule): FigureDelta[] {
  const na = A.succeeded + A.failed;
  const nb = B.succeeded + B.failed;
  const out: FigureDelta[] = [];
  for (const kind of FAILURE_KINDS) {
    const xa = A.failures[kind] ?? 0;
    const xb = B.failures[kind] ?? 0;
    if (xa === 0 && xb === 0) continue;
    const j = judgeShare(xa, na, xb, nb, rule.threshold);
    const shares = na > 0 && nb > 0 ? `${sharePct(xa / na)} → ${sharePct(xb / nb)} of completed` : undefined;
    const why = [j.why, shares].filter(Boolean).join('; ') || undefined;
    const f = figure({ id: `failures.${kind}`, label: `${kind} failures`, unit: 'count', a: xa, b: xb, better: 'lower' }, { verdict: j.verdict, why });
    if (j.intervals) f.intervals = j.intervals;
    out.push(f);
  }
  return out;
}

const perSecond = (s: Side) => (s.responses !== undefined && s.loadSeconds > 0 ? Math.round((s.responses / s.loadSeconds) * 10) / 10 : null);

/** The whole run's figures. */
export function runFigures(A: Side, B: Side, rule: Rule): FigureDelta[] {
  const ra = perSecond(A);
  const rb = perSecond(B);
  const base = { id: 'rps', label: 'responses/s', unit: 'rps' as const, a: ra, b: rb, better: 'higher' as const };
  let rps: FigureDelta;
  if (ra === null || rb === null) rps = figure(base, { verdict: 'unchanged', why: `no load window in ${ra === null ? 'A' : 'B'}` });
  else {
    const intervals = { a: rateInterval(A.responses!, A.loadSeconds), b: rateInterval(B.responses!, B.loadSeconds) };
    rps = figure(base, judge(ra, rb, 'higher', rule.threshold, { ...intervals, noise: `${count(A.responses!)} and ${count(B.responses!)} responses` }));
    rps.intervals = intervals;
  }
  return [
    context('issued', 'requests issued', 'count', A.issued, B.issued, 'context: judged through responses/s'),
    rps,
    ...rateFigures(A, B, rule),
    ...latencyFigures(A, B, rule),
    ...failureFigures(A, B, rule),
  ];
}

/** One request's figures (present in both runs). */
export function requestFigures(A: Side, B: Side, rule: Rule): FigureDelta[] {
  const pace = "context: a request's count follows the pace of the whole run";
  const out = [context('issued', 'requests issued', 'count', A.issued, B.issued, pace)];
  const ra = perSecond(A);
  const rb = perSecond(B);
  if (ra !== null || rb !== null) out.push(context('rps', 'responses/s', 'rps', ra, rb, pace));
  return [...out, ...rateFigures(A, B, rule), ...latencyFigures(A, B, rule), ...failureFigures(A, B, rule)];
}

/** A request in only one run: its figures there, the other side null. */
export function oneSidedFigures(side: Side, present: 'a' | 'b'): FigureDelta[] {
  const verdict = present === 'b' ? 'added' : 'removed';
  const completed = side.succeeded + side.failed;
  type Row = [id: string, label: string, unit: FigureDelta['unit'], value: number | null, better: FigureDelta['better']];
  const values: Row[] = [
    ['issued', 'requests issued', 'count', side.issued, 'higher'],
    ['rps', 'responses/s', 'rps', perSecond(side), 'higher'],
    ['successRate', 'success rate', 'ratio', share(side.succeeded, completed), 'higher'],
    ['errorRate', 'error rate', 'ratio', share(side.failed, completed), 'lower'],
    ...PERCENTILES.map(([k]) => [`latency.${k}`, `${k} latency`, 'ms', side.latency.count > 0 ? side.latency[k] : null, 'lower'] as Row),
    ...FAILURE_KINDS.filter((k) => (side.failures[k] ?? 0) > 0).map((k) => [`failures.${k}`, `${k} failures`, 'count', side.failures[k]!, 'lower'] as Row),
  ];
  return values.map(([id, label, unit, v, better]) =>
    figure({ id, label, unit, a: present === 'a' ? v : null, b: present === 'b' ? v : null, better }, { verdict }),
  );
}
