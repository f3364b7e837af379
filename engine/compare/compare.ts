/**
 * Two runs side by side: A is the baseline, B the new run. Pure (no files, no vscode): the CLI's
 * `z6 diff`, the HTML report's baseline section and the editor's history view all call
 * `compareResults` on two parsed results. The rules are in figures.ts and significance.ts, and
 * for people in docs/compare.md.
 */
import { decode, type Histogram } from '../metrics/histogram';
import type { RequestStats, Results } from '../metrics/results-types';
import { oneSidedFigures, requestFigures, runFigures, type Side } from './figures';
import type { Interval } from './significance';
import { runWarnings } from './warnings';

export type Verdict = 'improved' | 'regressed' | 'unchanged' | 'added' | 'removed';

export interface FigureDelta {
  /** Stable id, e.g. 'rps', 'successRate', 'latency.p99', 'failures.timeout'. */
  id: string;
  /** For people, e.g. 'p99 latency'. */
  label: string;
  unit: 'ms' | 'rps' | 'ratio' | 'count';
  a: number | null;
  b: number | null;
  /** b − a */
  delta: number | null;
  /** (b − a) / a, null when a is 0 or null. */
  relative: number | null;
  better: 'lower' | 'higher';
  verdict: Verdict;
  /** Why the verdict is what it is, when the numbers alone do not say: 'within 5 %', 'not significant with 12 samples in A and 9 in B'. */
  why?: string;
  /** The 95 % intervals the noise rule compared (null ends: unbounded), for figures that have one. */
  intervals?: { a: Interval; b: Interval };
  /** Shown for context and never judged (verdict 'unchanged' unless the request was added or removed). */
  context?: true;
}

export interface RequestComparison {
  name: string;
  verdict: Verdict;
  figures: FigureDelta[];
}

export interface RunIdentity {
  label: string;
  startedAt: string;
  scenarioHash: string;
  seed: number;
}

export interface Comparison {
  a: RunIdentity;
  b: RunIdentity;
  /** Relative, default 0.05. */
  threshold: number;
  /** Latency changes smaller than this (ms) are not judged; default 1. */
  latencyFloorMs: number;
  /** The whole run. */
  figures: FigureDelta[];
  /** Matched by name, in B's order; requests only in A follow, marked removed. */
  requests: RequestComparison[];
  /** Any figure or request regressed beyond the threshold. */
  regressed: boolean;
  /** E.g. different scenario hash, different seed, different schedule. */
  warnings: string[];
}

export const DEFAULT_THRESHOLD = 0.05;
/**
 * Z6 times a response when Node's event loop gets to it; a busy loop (other processes on the
 * machine, GC) holds it for up to a millisecond or so, and that differs from run to run. A
 * smaller latency change cannot be put on the target, however many samples agree.
 */
export const DEFAULT_LATENCY_FLOOR_MS = 1;

export interface CompareOptions {
  threshold?: number;
  latencyFloorMs?: number;
  labels?: [string, string];
}

/** A histogram decoded at most once, and only when a latency figure needs it. */
function lazyHistogram(encoded: string | undefined, onError: (message: string) => void): () => Histogram | undefined {
  let done = false;
  let h: Histogram | undefined;
  return () => {
    if (done) return h;
    done = true;
    try {
      if (!encoded) throw new Error('missing');
      h = decode(encoded);
    } catch (e) {
      onError((e as Error).message);
    }
    return h;
  };
}

function runSide(r: Results, label: string, warn: (w: string) => void): Side {
  const t = r.totals;
  return {
    issued: t.issued,
    succeeded: t.succeeded,
    failed: t.failed,
    responses: t.responses,
    loadSeconds: r.loadSeconds,
    latency: r.latency,
    histogram: lazyHistogram(r.histograms?.latency, (m) => warn(`${label}: the latency histogram could not be read (${m}): latency judged by the threshold alone`)),
    failures: r.failures ?? {},
  };
}

function requestSide(q: RequestStats, loadSeconds: number, label: string, warn: (w: string) => void): Side {
  return {
    issued: q.issued,
    succeeded: q.succeeded,
    failed: q.failed,
    responses: q.responses,
    loadSeconds,
    latency: q.latency,
    histogram: lazyHistogram(q.histogram, (m) => warn(`${label}: the latency histogram of request "${q.name}" could not be read (${m}): its latency judged by the threshold alone`)),
    failures: q.failures ?? {},
  };
}

function requestVerdict(figures: FigureDelta[]): Verdict {
  if (figures.some((f) => f.verdict === 'regressed')) return 'regressed';
  if (figures.some((f) => f.verdict === 'improved')) return 'improved';
  return 'unchanged';
}

/** First occurrence of each name (names are unique in a valid scenario; runWarnings says when not). */
function byName(list: RequestStats[]): Map<string, RequestStats> {
  const m = new Map<string, RequestStats>();
  for (const q of list) if (!m.has(q.name)) m.set(q.name, q);
  return m;
}

export function compareResults(a: Results, b: Results, opts: CompareOptions = {}): Comparison {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const latencyFloorMs = opts.latencyFloorMs ?? DEFAULT_LATENCY_FLOOR_MS;
  for (const [name, v] of [['threshold', threshold], ['latencyFloorMs', latencyFloorMs]] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a number ≥ 0, got ${v}`);
  }
  const rule = { threshold, latencyFloorMs };
  const [la, lb] = opts.labels ?? ['A', 'B'];
  const warnings = runWarnings(a, b, [la, lb]);
  const warn = (w: string) => {
    if (!warnings.includes(w)) warnings.push(w);
  };
  const figures = runFigures(runSide(a, la, warn), runSide(b, lb, warn), rule);
  const inA = byName(a.requests ?? []);
  const inB = byName(b.requests ?? []);
  const requests: RequestComparison[] = [];
  for (const qb of inB.values()) {
    const qa = inA.get(qb.name);
    if (!qa) {
      requests.push({ name: qb.name, verdict: 'added', figures: oneSidedFigures(requestSide(qb, b.loadSeconds, lb, warn), 'b') });
      continue;
    }
    const f = requestFigures(requestSide(qa, a.loadSeconds, la, warn), requestSide(qb, b.loadSeconds, lb, warn), rule);
    requests.push({ name: qb.name, verdict: requestVerdict(f), figures: f });
  }
  for (const qa of inA.values()) {
    if (!inB.has(qa.name)) requests.push({ name: qa.name, verdict: 'removed', figures: oneSidedFigures(requestSide(qa, a.loadSeconds, la, warn), 'a') });
  }
  const identity = (r: Results, label: string): RunIdentity => ({ label, startedAt: r.startedAt, scenarioHash: r.scenario?.hash ?? '', seed: r.seed });
  return {
    a: identity(a, la),
    b: identity(b, lb),
    threshold,
    latencyFloorMs,
    figures,
    requests,
    regressed: figures.some((f) => f.verdict === 'regressed') || requests.some((q) => q.verdict === 'regressed'),
    warnings,
  };
}
