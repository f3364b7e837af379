/**
 * [assertions], checked once over the whole run after it ends (decisions §2): `_max` and the
 * latency keys mean actual ≤ expected, `_min` means actual ≥ expected; rates are fractions.
 * A value that could not be measured (no completed request) fails its assertion. rps_min is
 * responses received (any status) per second of the load window, as `totals.rps`.
 */
import type { Assertions } from '../scenario/model';
import type { AssertionResult, LatencySummary } from './results-types';

export interface AssertionInputs {
  latency: LatencySummary;
  succeeded: number;
  failed: number;
  status5xx: number;
  /** HTTP responses of any status. */
  responses: number;
  /** The load window (Results.loadSeconds). */
  loadSeconds: number;
  /** Open model: arrivals dropped, and offered (issued + dropped); closed model: 0 and issued. */
  dropped: number;
  offered: number;
  /** Check evaluations that passed and failed (checks_pass_rate_min). */
  checksPassed: number;
  checksFailed: number;
}

const LATENCY = [
  ['p50_latency_ms', 'p50', 'median latency (ms)'],
  ['p90_latency_ms', 'p90', 'p90 latency (ms)'],
  ['p95_latency_ms', 'p95', 'p95 latency (ms)'],
  ['p99_latency_ms', 'p99', 'p99 latency (ms)'],
  ['p999_latency_ms', 'p999', 'p99.9 latency (ms)'],
] as const;

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** scope: what a [requests.assertions] or check assertion is about (absent for [assertions]). */
export function evaluateAssertions(a: Assertions, m: AssertionInputs, scope?: AssertionResult['scope']): AssertionResult[] {
  const out: AssertionResult[] = [];
  const completed = m.succeeded + m.failed;
  const check = (key: string, description: string, op: '<=' | '>=', expected: number, actual: number | null) => {
    const v = actual === null ? null : round(actual);
    const r: AssertionResult = { key, description, op, expected, actual: v, pass: v !== null && (op === '<=' ? v <= expected : v >= expected) };
    if (scope) r.scope = scope;
    out.push(r);
  };
  for (const [key, p, description] of LATENCY) {
    const expected = a[key];
    if (expected !== undefined) check(key, description, '<=', expected, m.latency.count > 0 ? m.latency[p] : null);
  }
  const rate = (n: number) => (completed > 0 ? n / completed : null);
  if (a.error_rate_max !== undefined) check('error_rate_max', 'failed / completed requests', '<=', a.error_rate_max, rate(m.failed));
  if (a.success_rate_min !== undefined) check('success_rate_min', 'succeeded / completed requests', '>=', a.success_rate_min, rate(m.succeeded));
  // Responses, not completed requests: a refused connection "completes" at once, so a dead
  // target would otherwise pass a throughput floor.
  if (a.rps_min !== undefined) {
    check('rps_min', 'responses received per second of load', '>=', a.rps_min, m.loadSeconds > 0 ? m.responses / m.loadSeconds : null);
  }
  // Closed model: no arrival is ever dropped, so this reads 0 (the validator warns it has no effect).
  if (a.dropped_rate_max !== undefined) {
    check('dropped_rate_max', 'dropped / offered arrivals', '<=', a.dropped_rate_max, m.offered > 0 ? m.dropped / m.offered : null);
  }
  if (a.status_5xx_max_rate !== undefined) check('status_5xx_max_rate', '5xx responses / completed requests', '<=', a.status_5xx_max_rate, rate(m.status5xx));
  if (a.checks_pass_rate_min !== undefined) {
    const evaluated = m.checksPassed + m.checksFailed;
    check('checks_pass_rate_min', 'checks passed / evaluated', '>=', a.checks_pass_rate_min, evaluated > 0 ? m.checksPassed / evaluated : null);
  }
  return out;
}

/** One check's pass_rate_min. */
export function evaluateCheckAssertion(expected: number, passed: number, failed: number, scope: NonNullable<AssertionResult['scope']>): AssertionResult {
  const n = passed + failed;
  const actual = n > 0 ? round(passed / n) : null;
  return { key: 'pass_rate_min', description: 'this check passed / evaluated', op: '>=', expected, actual, pass: actual !== null && actual >= expected, scope };
}
