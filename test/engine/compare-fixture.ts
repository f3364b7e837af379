/**
 * Results built from latency samples the test chooses, through the engine's own histogram code
 * (record, encode, summarize), so the comparison reads them exactly as it reads a real run's.
 * Sample sets come from a seeded generator: two seeds give two honest draws of one distribution.
 */
import { encode, newHistogram, recordUs, summarize, type Histogram } from '../../engine/metrics/histogram';
import type { FailureKind, RequestStats, Results } from '../../engine/metrics/results-types';
import { Rng } from '../../engine/plan/prng';

/** n latencies in ms, log-normal around `medianMs` (σ = 0.25: p99 ≈ 1.8 × the median), seeded. */
export function latencies(n: number, seed: number, medianMs = 20): number[] {
  const rng = new Rng(seed, 0);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    // Box–Muller; 1 − next() keeps the log away from 0.
    const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    out.push(medianMs * Math.exp(0.25 * z));
  }
  return out;
}

export const scaled = (xs: number[], factor: number) => xs.map((x) => x * factor);

export interface RequestSpec {
  name: string;
  /** One per completed request. */
  latenciesMs: number[];
  /** Failed requests among them (the first ones), by kind; default none. */
  failures?: Partial<Record<FailureKind, number>>;
  /** Issued; defaults to the completed count. */
  issued?: number;
}

function histogramOf(ms: number[]): Histogram {
  const h = newHistogram();
  for (const x of ms) recordUs(h, x * 1000);
  return h;
}

export function resultsOf(specs: RequestSpec[], over: Partial<Results> = {}): Results {
  const whole = newHistogram();
  const failures: Partial<Record<FailureKind, number>> = {};
  let issued = 0;
  let succeeded = 0;
  let failed = 0;
  const requests: RequestStats[] = specs.map((s) => {
    const h = histogramOf(s.latenciesMs);
    whole.add(h);
    const f = Object.values(s.failures ?? {}).reduce((a, n) => a + (n ?? 0), 0);
    for (const [k, n] of Object.entries(s.failures ?? {})) failures[k as FailureKind] = (failures[k as FailureKind] ?? 0) + n!;
    const completed = s.latenciesMs.length;
    issued += s.issued ?? completed;
    succeeded += completed - f;
    failed += f;
    return {
      name: s.name, method: 'GET', path: `/${s.name}`, issued: s.issued ?? completed, succeeded: completed - f, failed: f, interrupted: (s.issued ?? completed) - completed,
      responses: completed, latency: summarize(h), failures: s.failures ?? {}, histogram: encode(h),
    };
  });
  const completed = succeeded + failed;
  const loadSeconds = 10;
  return {
    version: 1,
    tool: { name: 'z6', version: '0.1.0' },
    scenario: { name: 'fixture', hash: 'f'.repeat(64) },
    seed: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:10.000Z',
    durationSeconds: loadSeconds,
    loadSeconds,
    status: 'completed',
    schedule: { type: 'constant', plannedDurationSeconds: 10, peakVus: 10, model: 'closed' },
    target: { baseUrl: 'http://127.0.0.1:1', httpVersion: 'http1.1' },
    totals: {
      issued, succeeded, failed, interrupted: issued - completed, dropped: 0, droppedRate: 0, responses: completed,
      rps: Math.round((completed / loadSeconds) * 10) / 10, errorRate: completed ? failed / completed : 0, successRate: completed ? succeeded / completed : 0,
      bytesReceived: 0, connectionsOpened: 1,
    },
    latency: summarize(whole),
    statusCodes: {},
    failures,
    failureSamples: {},
    requests,
    timeseries: [],
    assertions: [],
    histograms: { latency: encode(whole) },
    ...over,
  };
}
