/**
 * What a run means for the Testing view (client/testing/outcomes.ts), from real runs against a
 * loopback server: the items are the assertions the scenario's text declares, the states come from
 * the engine's results, matched by id — global, per request and per check — with expected and
 * actual for a failure; a run that ends with an error marks everything errored with the reason, a
 * cancelled one skips, and an assertion the run did not judge is skipped, never passed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Results } from '../../engine/metrics/results-types';
import { declaredAssertions } from '../../engine/report/assertion-places';
import { runScenario, type RunOptions } from '../../engine/run';
import { runOutcomes } from '../../client/testing/outcomes';
import { httpServer, refusedPort, scenarioFrom, type Listening } from '../engine/helpers';

function scenarioText(url: string, extra = ''): string {
  return `[target]
base_url = "${url}"
${extra}
[runtime]
duration_seconds = 1
vus = 2
prng_seed = 3

[[requests]]
name = "fast"
path = "/fast"
[requests.checks]
"status ok" = { status = 200, pass_rate_min = 1 }
[requests.assertions]
p99_latency_ms = 1000

[[requests]]
name = "slow"
path = "/slow"
[requests.assertions]
p50_latency_ms = 5

[assertions]
error_rate_max = 0.5
p99_latency_ms = 0.001
`;
}

describe('Testing view outcomes from real runs', () => {
  let server: Listening;

  before(async () => {
    // /slow answers after 30 ms, so its p50 cannot be under 5 ms; /fast at once.
    server = await httpServer((req, res) => {
      if (req.url === '/slow') setTimeout(() => res.end('slow'), 30);
      else res.end('fast');
    });
  });
  after(() => server.close());

  async function run(text: string, opts: RunOptions = {}): Promise<{ r: Results; ids: string[] }> {
    const r = await runScenario(scenarioFrom(text), opts);
    return { r, ids: declaredAssertions(text).map((d) => d.id) };
  }

  test('each declared assertion gets its result: passed, or failed with expected and actual', async () => {
    const { r, ids } = await run(scenarioText(server.url));
    assert.equal(r.status, 'completed');
    assert.deepEqual(ids, ['error_rate_max', 'p99_latency_ms', 'fast/p99_latency_ms', 'slow/p50_latency_ms', 'fast/check:status ok']);
    const o = runOutcomes(r, ids);
    assert.deepEqual([...o.assertions].map(([id, x]) => [id, x.state]), [
      ['error_rate_max', 'passed'],
      ['p99_latency_ms', 'failed'],
      ['fast/p99_latency_ms', 'passed'],
      ['slow/p50_latency_ms', 'failed'],
      ['fast/check:status ok', 'passed'],
    ]);
    const slow = o.assertions.get('slow/p50_latency_ms')!;
    assert.equal(slow.expected, '<= 5');
    assert.ok(Number(slow.actual) >= 30, `actual ${slow.actual}`);
    assert.match(slow.message!, /^p50_latency_ms \(request "slow"\): [\d.]+, must be <= 5 — /);
    assert.equal(o.scenario.state, 'failed');
    assert.match(o.scenario.message!, /^2 assertions of 5 failed: /);
  });

  test('an assertion the run did not judge is skipped; a scenario whose assertions all pass passes', async () => {
    const text = scenarioText(server.url).replace('p99_latency_ms = 0.001', 'p99_latency_ms = 10000').replace('p50_latency_ms = 5', 'p50_latency_ms = 10000');
    const { r, ids } = await run(text);
    const o = runOutcomes(r, [...ids, 'rps_min']);
    assert.equal(o.scenario.state, 'passed');
    assert.deepEqual(ids.map((id) => o.assertions.get(id)!.state), ids.map(() => 'passed'));
    assert.equal(o.assertions.get('rps_min')!.state, 'skipped');
  });

  test('a run that ends with an error marks the scenario and every assertion errored, with the reason', async () => {
    const port = await refusedPort();
    const text = scenarioText(`http://127.0.0.1:${port}`, 'unreachable_stop_seconds = 1\n').replace('duration_seconds = 1', 'duration_seconds = 20');
    const { r, ids } = await run(text);
    assert.equal(r.status, 'error');
    const o = runOutcomes(r, ids);
    assert.equal(o.scenario.state, 'errored');
    assert.match(o.scenario.message!, /^The run ended with an error: .*nothing answers at 127\.0\.0\.1/);
    for (const id of ids) assert.deepEqual(o.assertions.get(id), o.scenario);
  });

  test('a cancelled run judges nothing: every item skipped', async () => {
    const abort = new AbortController();
    const text = scenarioText(server.url).replace('duration_seconds = 1', 'duration_seconds = 30');
    // Cancelled once the first second of load is in.
    const { r, ids } = await run(text, { signal: abort.signal, onProgress: () => abort.abort() });
    assert.equal(r.status, 'cancelled');
    const o = runOutcomes(r, ids);
    assert.equal(o.scenario.state, 'skipped');
    for (const id of ids) assert.equal(o.assertions.get(id)!.state, 'skipped');
  });
});
