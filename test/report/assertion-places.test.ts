/** Where a run's assertions are written in the scenario: what the editor puts on their lines. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AssertionResult } from '../../engine/metrics/results-types';
import { assertionId, assertionMessage, assertionPlaces, declaredAssertions } from '../../engine/report/assertion-places';

const TEXT = `[target]
base_url = "http://127.0.0.1:9"

[[requests]]
name = "home"
path = "/"

[[requests]]
name = "checkout"
path = "/buy"
[requests.checks]
"status ok" = { status = 200, pass_rate_min = 0.99 }
[requests.assertions]
p99_latency_ms = 300

[assertions]
error_rate_max = 0.01
p99_latency_ms = 0.001
`;

const a = (key: string, scope?: AssertionResult['scope']): AssertionResult =>
  ({ key, description: '', op: '<=', expected: 1, actual: 2, pass: false, ...(scope ? { scope } : {}) });

const lineOf = (offset: number) => TEXT.slice(0, offset).split('\n').length;

test('global, per-request and per-check assertions are placed at their keys', () => {
  const places = assertionPlaces(TEXT, [
    a('p99_latency_ms'),
    a('p99_latency_ms', { request: 'checkout' }),
    a('pass_rate_min', { request: 'checkout', check: 'status ok' }),
    a('error_rate_max'),
  ]);
  assert.deepEqual(places.map((p) => [p.assertion.key, lineOf(p.span.start), TEXT.slice(p.span.start, p.span.end)]), [
    ['p99_latency_ms', 18, 'p99_latency_ms'],
    ['p99_latency_ms', 14, 'p99_latency_ms'],
    ['pass_rate_min', 12, '"status ok"'],
    ['error_rate_max', 17, 'error_rate_max'],
  ]);
});

test('an assertion whose key or request is gone has no place; the message says what failed', () => {
  assert.deepEqual(assertionPlaces(TEXT, [a('rps_min'), a('p50_latency_ms', { request: 'nope' })]), []);
  assert.equal(assertionMessage(a('p99_latency_ms', { request: 'checkout' })), 'assertion of request "checkout" failed in the last run: p99_latency_ms = 2, must be <= 1');
  assert.equal(assertionMessage({ ...a('rps_min'), op: '>=', actual: null }), 'assertion failed in the last run: rps_min = not measured (no sample), must be >= 1');
});

test('declared assertions: every threshold with its place, in the runner\'s order; settings and unknown keys are not assertions', () => {
  const text = `${TEXT}abort_on_fail = true\nabort_delay_seconds = 5\nnot_a_key = 1\n\n[[requests]]\nmethod = "POST"\npath = "/x"\n[requests.assertions]\nerror_rate_max = 0\n`;
  const declared = declaredAssertions(text);
  assert.deepEqual(declared.map((d) => [d.id, text.slice(d.span.start, d.span.end)]), [
    ['error_rate_max', 'error_rate_max'],
    ['p99_latency_ms', 'p99_latency_ms'],
    ['checkout/p99_latency_ms', 'p99_latency_ms'],
    // An unnamed request is named as the runner names it: "METHOD path".
    ['POST /x/error_rate_max', 'error_rate_max'],
    ['checkout/check:status ok', '"status ok"'],
  ]);
  // The id of a declaration is the id of its result.
  assert.equal(assertionId({ key: 'pass_rate_min', scope: { request: 'checkout', check: 'status ok' } }), declared[4]!.id);
  // A half-typed file still lists what it can (a key without its value yet is not one).
  assert.deepEqual(declaredAssertions('[assertions]\np99_latency_ms = \nerror_rate_max = 0.1\n[[requests]\n').map((d) => d.id), ['error_rate_max']);
});

test('request figures go on each [[requests]] header, assertion outcomes on their keys', async () => {
  const { requestFigures } = await import('../../engine/report/request-figures');
  const latency = (p99: number, count: number) => ({ min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99, p999: 0, max: 0, count });
  const results = {
    requests: [
      { name: 'home', issued: 1204, succeeded: 1202, failed: 2, interrupted: 0, latency: latency(12.34, 1204) },
      { name: 'checkout', issued: 3, succeeded: 0, failed: 0, interrupted: 3, latency: latency(0, 0) },
    ],
    assertions: [{ ...a('p99_latency_ms'), op: '<=', expected: 0.001, actual: 4.5 }, { ...a('error_rate_max'), pass: true, actual: 0.002 }],
  } as never;
  const figures = requestFigures(TEXT, results);
  assert.deepEqual(figures.map((f) => [lineOf(f.span.start), f.text]), [
    [4, 'p99 12.3 ms · 0.2 % failed · 1,204 req'],
    [8, 'p99 — · no response · 3 req'],
    [18, '✗ 4.5 (must be <= 0.001)'],
    [17, '✓ 0.002'],
  ]);
});
