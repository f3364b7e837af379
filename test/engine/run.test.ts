/**
 * The runner against real loopback servers: each VU does exactly its seeded plan (checked on
 * the server side, per connection), think time is honoured, schedules shape the active VUs
 * and arrivals over time, iterations end a VU's work, and every run accounts for every request.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { PlanTables, VuPlan } from '../../engine/plan/choice';
import { runScenario } from '../../engine/run';
import { assertAccounted, httpServer, scenarioFrom, type Listening } from './helpers';

/** Every request the server saw, per connection, with the time it arrived. */
const seen = new Map<Socket, { path: string; at: number }[]>();
let server: Listening;

before(async () => {
  server = await httpServer((req, res) => {
    const list = seen.get(req.socket) ?? [];
    seen.set(req.socket, list);
    list.push({ path: req.url!, at: performance.now() });
    const m = /^\/slow\/(\d+)/.exec(req.url!);
    const send = () => {
      res.writeHead(200, { 'content-length': 2 });
      res.end('ok');
    };
    if (m) setTimeout(send, Number(m[1]));
    else send();
  });
});

after(() => server.close());

const reqs = (weights: number[]) => weights.map((w, i) => `[[requests]]\nname = "r${i}"\npath = "/r${i}"\nweight = ${w}\n`).join('');

describe('closed model', () => {
  test('each connection carries exactly its VU plan: same seed, same choices (server-side check)', async () => {
    seen.clear();
    const s = scenarioFrom(`[runtime]\nduration_seconds = 1\nvus = 3\nprng_seed = 77\n[target]\nbase_url = "${server.url}"\n${reqs([5, 3, 2])}` +
      '[think_time]\ntype = "random"\nmin_ms = 0\nmax_ms = 4\n');
    const r = await runScenario(s);
    assertAccounted(r);
    assert.equal(r.seed, 77);
    assert.equal(r.totals.interrupted, 0);
    assert.equal(r.totals.failed, 0);
    assert.equal(r.totals.connectionsOpened, 3);
    const tables = new PlanTables(s);
    const plans = [0, 1, 2].map((vu) => {
      const p = new VuPlan(tables, 77, vu);
      return Array.from({ length: 2000 }, () => `/r${p.next()}`).join(' ');
    });
    const streams = [...seen.values()].map((l) => l.map((x) => x.path).join(' '));
    assert.equal(streams.length, 3);
    // Every connection's sequence is a prefix of a distinct VU's plan.
    const matched = streams.map((st) => plans.findIndex((p) => p.startsWith(st + ' ')));
    assert.deepEqual([...matched].sort(), [0, 1, 2], `matched ${matched}`);
    let total = 0;
    for (const st of streams) total += st.split(' ').length;
    assert.equal(total, r.totals.issued);
  });

  test('weight shares of a real run follow the weights (within 3 points)', async () => {
    // A fixed number of iterations, not a duration, so the sample size does not depend on machine load.
    const s = scenarioFrom(`[runtime]\niterations = 400\nduration_seconds = 60\nvus = 4\nprng_seed = 5\n[target]\nbase_url = "${server.url}"\n${reqs([70, 20, 10])}`);
    const r = await runScenario(s);
    assertAccounted(r);
    assert.equal(r.totals.issued, 1600);
    [0.7, 0.2, 0.1].forEach((w, i) => {
      const share = r.requests[i]!.issued / r.totals.issued;
      assert.ok(Math.abs(share - w) < 0.03, `r${i} share ${share}`);
    });
    assert.equal(r.statusCodes['200'], r.totals.succeeded);
    assert.ok(r.latency.count === r.totals.succeeded && r.latency.p50 > 0 && r.latency.p50 <= r.latency.p99);
    assert.ok(r.timeseries.length >= 1 && r.timeseries[0]!.requests > 0);
  });

  test('think time: gaps between a VU\'s requests are at least the think time', async () => {
    seen.clear();
    const s = scenarioFrom(`[runtime]\nduration_seconds = 1\nvus = 2\n[target]\nbase_url = "${server.url}"\n${reqs([1])}` +
      '[think_time]\ntype = "constant"\nduration_ms = 100\n');
    const r = await runScenario(s);
    assertAccounted(r);
    // 1 s at (100 ms think + ~1 ms response): about 10 requests per VU, never more than 11
    // (without the pause it would be thousands); fewer only if the machine is very busy.
    assert.ok(r.totals.issued >= 8 && r.totals.issued <= 22, `issued ${r.totals.issued}`);
    for (const list of seen.values()) {
      for (let i = 1; i < list.length; i++) {
        const gap = list[i]!.at - list[i - 1]!.at;
        assert.ok(gap >= 99, `gap ${gap.toFixed(1)} ms`);
      }
    }
  });

  test('sequence: each VU walks the steps in order', async () => {
    seen.clear();
    const s = scenarioFrom(`[runtime]\nduration_seconds = 1\nvus = 2\n[target]\nbase_url = "${server.url}"\n${reqs([1, 1, 1])}` +
      '[sequence]\n[[sequence.steps]]\nrequest = "r2"\n[[sequence.steps]]\nrequest = "r0"\nrepeat = 2\n[[sequence.steps]]\nrequest = "r1"\n' +
      '[think_time]\ntype = "constant"\nduration_ms = 5\n');
    const r = await runScenario(s);
    assertAccounted(r);
    const cycle = ['/r2', '/r0', '/r0', '/r1'];
    assert.equal(seen.size, 2);
    for (const list of seen.values()) {
      assert.ok(list.length > 8);
      list.forEach((x, i) => assert.equal(x.path, cycle[i % 4], `request ${i}`));
    }
  });

  test('iterations: each VU stops after N; the run ends early', async () => {
    const s = scenarioFrom(`[runtime]\niterations = 7\nvus = 3\n[target]\nbase_url = "${server.url}"\n${reqs([1, 1])}`);
    const r = await runScenario(s);
    assertAccounted(r);
    assert.equal(r.totals.issued, 21);
    assert.equal(r.totals.succeeded, 21);
    assert.equal(r.schedule.plannedDurationSeconds, null);
    assert.ok(r.durationSeconds < 2, `took ${r.durationSeconds} s`);
  });

  test('iterations with a sequence: an iteration is one pass', async () => {
    const s = scenarioFrom(`[runtime]\niterations = 2\nvus = 2\n[target]\nbase_url = "${server.url}"\n${reqs([1, 1])}` +
      '[sequence]\n[[sequence.steps]]\nrequest = "r0"\nrepeat = 3\n[[sequence.steps]]\nrequest = "r1"\n');
    const r = await runScenario(s);
    assertAccounted(r);
    assert.equal(r.requests[0]!.issued, 12);
    assert.equal(r.requests[1]!.issued, 4);
  });
});

test('max_connections = 1: three VUs share one keep-alive connection', async () => {
  seen.clear();
  const s = scenarioFrom(`[runtime]\nduration_seconds = 1\nvus = 3\n[target]\nbase_url = "${server.url}"\nmax_connections = 1\n${reqs([1])}`);
  const r = await runScenario(s);
  assertAccounted(r);
  assert.equal(r.totals.connectionsOpened, 1);
  assert.equal(seen.size, 1);
  assert.ok(r.totals.succeeded > 100);
});

describe('schedule shapes, measured', () => {
  const active = (r: { timeseries: { activeVus: number }[] }) => r.timeseries.map((x) => x.activeVus);

  test('steps 1 → 4 → 2: active VUs per second follow the steps', async () => {
    const s = scenarioFrom(`[target]\nbase_url = "${server.url}"\n[[requests]]\npath = "/slow/20"\n` +
      '[schedule]\ntype = "steps"\n[[schedule.steps]]\nvus = 1\nduration_seconds = 1\n[[schedule.steps]]\nvus = 4\nduration_seconds = 1\n[[schedule.steps]]\nvus = 2\nduration_seconds = 1\n');
    const r = await runScenario(s);
    assertAccounted(r);
    assert.deepEqual(active(r).slice(0, 3), [1, 4, 2]);
    // Requests per second scale with the VUs: ~45/s per VU at 20 ms each (±35 %).
    const per = r.timeseries.slice(0, 3).map((x) => x.requests);
    assert.ok(per[1]! > per[0]! * 2.6 && per[1]! < per[0]! * 5.4, `per second ${per}`);
    assert.ok(per[2]! > per[0]! * 1.3 && per[2]! < per[0]! * 2.7, `per second ${per}`);
  });

  test('ramp 0 → 6 over 2 s then hold 1 s: active VUs rise linearly (±1)', async () => {
    const s = scenarioFrom(`[target]\nbase_url = "${server.url}"\n[[requests]]\npath = "/slow/10"\n` +
      '[schedule]\ntype = "ramp"\nstart_vus = 0\nend_vus = 6\nramp_duration_seconds = 2\nhold_duration_seconds = 1\n');
    const r = await runScenario(s, { tickMs: 50 });
    assertAccounted(r);
    // At the end of second t the target is round(3·(t+1)) until the hold: 3, 6, 6.
    const a = active(r);
    [3, 6, 6].forEach((want, i) => assert.ok(Math.abs(a[i]! - want) <= 1, `second ${i}: ${a[i]} vs ${want}`));
    assert.equal(r.schedule.peakVus, 6);
  });

  test('spike: baseline 1, spike 5 in the middle second', async () => {
    const s = scenarioFrom(`[target]\nbase_url = "${server.url}"\n[[requests]]\npath = "/slow/10"\n` +
      '[schedule]\ntype = "spike"\nbaseline_vus = 1\nspike_vus = 5\nspike_start_seconds = 1\nspike_duration_seconds = 1\n');
    const r = await runScenario(s);
    assertAccounted(r);
    // The sample at the end of second 1 is taken at t = 2 s, as the spike ends: 5 or already 1.
    const a = active(r);
    assert.equal(a[0], 1);
    assert.ok(r.timeseries[1]!.requests > r.timeseries[0]!.requests * 3, `requests ${r.timeseries.map((x) => x.requests)}`);
    // Second 2 (after the spike) closes at t = 3 s, before the stop; a partial last second after
    // it shows only the VUs still finishing a request.
    assert.equal(a[2], 1);
  });
});

describe('open model', () => {
  test('arrival_rate 100/s for 2 s: ~200 arrivals, ~100 per second, latency from intended start', async () => {
    const s = scenarioFrom(`[runtime]\nduration_seconds = 2\nprng_seed = 3\n[target]\nbase_url = "${server.url}"\n${reqs([1, 1])}` +
      '[schedule]\ntype = "arrival_rate"\nrate = 100\nmax_in_flight = 20\n');
    const r = await runScenario(s);
    assertAccounted(r);
    assert.equal(r.schedule.model, 'open');
    // Arrival k is due at k / 100 s: exactly 200 arrivals before the end, each issued or dropped
    // (20 slots are plenty; only a stalled generator, e.g. a busy machine, drops a few).
    assert.equal(r.totals.issued + r.totals.dropped, 200);
    assert.ok(r.totals.dropped <= 20, `dropped ${r.totals.dropped}`);
    // Completions per second: ±25 %, which still tells 100/s from 50 or 200, and leaves room for a
    // generator stalled by a busy machine (its lag is in the message when this fails).
    const lag = JSON.stringify(r.schedulingLag);
    for (const x of r.timeseries.slice(0, 2)) assert.ok(Math.abs(x.requests - 100) <= 25, `per second ${x.requests}, lag ${lag}`);
    assert.ok(r.latencyFromIntended && r.latencyFromIntended.count === r.totals.succeeded);
    assert.ok(r.latencyFromIntended.p50 >= r.latency.p50, 'from intended start includes the lag');
    assert.ok(r.schedulingLag && r.schedulingLag.max >= 0);
  });

  test('ramp_arrival_rate 0 → 200/s over 2 s: ~200 arrivals, the second second has ~3x the first', async () => {
    const s = scenarioFrom(`[target]\nbase_url = "${server.url}"\n${reqs([1])}` +
      '[schedule]\ntype = "ramp_arrival_rate"\nstart_rate = 0\nend_rate = 200\nramp_duration_seconds = 2\nmax_in_flight = 20\n');
    const r = await runScenario(s);
    assertAccounted(r);
    // N(2) = ∫₀² 100t dt = 200 arrivals, k = 0..199 (the 200th is due exactly at the end).
    assert.equal(r.totals.issued + r.totals.dropped, 200);
    assert.ok(r.totals.dropped <= 20, `dropped ${r.totals.dropped}`);
    const [a, b] = r.timeseries.map((x) => x.requests);
    // ∫₀¹ 100t = 50, ∫₁² = 150.
    // ±20 / ±30 still tells a linear ramp (50, 150) from a constant rate (100, 100).
    assert.ok(Math.abs(a! - 50) <= 20 && Math.abs(b! - 150) <= 30, `per second ${a}, ${b}, lag ${JSON.stringify(r.schedulingLag)}`);
  });

  test('max_in_flight full: the excess is counted as dropped, never lost', async () => {
    const s = scenarioFrom(`[runtime]\nduration_seconds = 1\n[target]\nbase_url = "${server.url}"\n[[requests]]\npath = "/slow/300"\n` +
      '[schedule]\ntype = "arrival_rate"\nrate = 50\nmax_in_flight = 5\n');
    const r = await runScenario(s);
    assertAccounted(r);
    // 50 arrivals in 1 s; 5 slots each busy 300 ms → about 5 · (1 + 1000/300) ≈ 20 served, the rest dropped.
    assert.equal(r.totals.issued + r.totals.dropped, 50);
    assert.ok(r.totals.dropped >= 25 && r.totals.dropped <= 45, `dropped ${r.totals.dropped}`);
    assert.equal(r.timeseries.reduce((a, x) => a + (x.dropped ?? 0), 0), r.totals.dropped);
  });
});
