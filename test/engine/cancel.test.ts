/**
 * Stopping: cancellation at any moment returns partial results with in-flight requests counted
 * as interrupted and kept out of the latency histograms; after the duration, in-flight requests
 * get the graceful stop window and are interrupted after it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PlanTables, VuPlan } from '../../engine/plan/choice';
import { runScenario } from '../../engine/run';
import { assertAccounted, httpServer, scenarioFrom, type Listening } from './helpers';

let server: Listening;
before(async () => {
  server = await httpServer((req, res) => {
    const ms = Number(/\d+/.exec(req.url!)?.[0] ?? 0);
    const t = setTimeout(() => res.end('ok'), ms);
    res.on('close', () => clearTimeout(t));
  });
});
after(() => server.close());

const slow = (ms: number, seconds = 30) => `[runtime]\nduration_seconds = ${seconds}\nvus = 4\nprng_seed = 3\n[target]\nbase_url = "${server.url}"\n` +
  `[[requests]]\nname = "fast"\npath = "/0"\n[[requests]]\nname = "slow"\npath = "/${ms}"\ntimeout_ms = 20000\n`;

test('AbortSignal mid-run: partial results, status cancelled, in-flight interrupted', async () => {
  const ac = new AbortController();
  const seconds: number[] = [];
  setTimeout(() => ac.abort(), 700);
  const t0 = performance.now();
  const scenario = scenarioFrom(slow(5000));
  // Each VU sends its plan's leading "fast" requests, then hangs on its first "slow" one.
  const tables = new PlanTables(scenario);
  let leadingFast = 0;
  for (let vu = 0; vu < 4; vu++) {
    const p = new VuPlan(tables, 3, vu);
    while (p.next() === 0) leadingFast++;
  }
  assert.ok(leadingFast > 0, 'seed 3 gives some fast requests first');
  const r = await runScenario(scenario, { signal: ac.signal, onProgress: (s) => seconds.push(s.t) });
  const took = performance.now() - t0;
  assert.ok(took < 2000, `returned after ${took.toFixed(0)} ms`);
  assert.equal(r.status, 'cancelled');
  assertAccounted(r);
  // Every VU ends up waiting on a 5 s request: all 4 are interrupted at the cancel.
  assert.equal(r.totals.interrupted, 4);
  assert.equal(r.requests[1]!.interrupted, 4);
  assert.equal(r.totals.succeeded, leadingFast);
  assert.equal(r.latency.count, r.totals.succeeded + r.totals.failed, 'interrupted requests are not in the histogram');
  assert.ok(r.requests[1]!.latency.count === r.requests[1]!.succeeded);
  assert.ok(r.durationSeconds < 1.5);
});

test('already-aborted signal: an empty, well-formed result', async () => {
  const ac = new AbortController();
  ac.abort();
  const r = await runScenario(scenarioFrom(slow(10)), { signal: ac.signal });
  assert.equal(r.status, 'cancelled');
  assertAccounted(r);
  assert.equal(r.totals.issued, 0);
});

test('duration over: in-flight requests get the graceful window, then are interrupted', async () => {
  const t0 = performance.now();
  const r = await runScenario(scenarioFrom(slow(3000, 1)), { gracefulStopMs: 300 });
  const took = performance.now() - t0;
  assert.equal(r.status, 'completed');
  assertAccounted(r);
  // 1 s of load + the 300 ms window (not the 3 s the requests would need).
  assert.ok(took >= 1250 && took < 2800, `took ${took.toFixed(0)} ms`);
  assert.equal(r.totals.interrupted, 4);
});

test('duration over: requests that finish inside the window count normally', async () => {
  const r = await runScenario(scenarioFrom(slow(400, 1)), { gracefulStopMs: 2000 });
  assertAccounted(r);
  assert.equal(r.totals.interrupted, 0);
  assert.equal(r.totals.failed, 0);
  assert.ok(r.requests[1]!.succeeded > 0 && r.requests[1]!.latency.p50 >= 390);
});
