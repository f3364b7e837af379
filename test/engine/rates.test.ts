/**
 * rps = HTTP responses received (any status) / load window (run start → the moment the load
 * stopped, without the end-of-run drain). Each server here tells that definition from the
 * plausible wrong ones: completed requests (a refused port "completes" hundreds per second),
 * successes only (a 503 target answers), wall time (1 s responses drain a second after the load).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ProgressTotals } from '../../engine/run/protocol';
import type { SecondSample } from '../../engine/metrics/results-types';
import { runScenario } from '../../engine/run';
import { assertAccounted, httpServer, refusedPort, scenarioFrom, type Listening } from './helpers';

let slow: Listening;
let unavailable: Listening;
let steady: Listening;

before(async () => {
  // Answers every request after exactly 1 s: a load of 2 s drains for 1 s more.
  slow = await httpServer((_req, res) => {
    const t = setTimeout(() => res.end('ok'), 1000);
    res.on('close', () => clearTimeout(t));
  });
  unavailable = await httpServer((_req, res) => {
    res.writeHead(503, { 'content-length': 2 });
    res.end('no');
  });
  // 250 ms per response: the response to the last arrival lands just after the load ends.
  steady = await httpServer((_req, res) => {
    const t = setTimeout(() => res.end('ok'), 250);
    res.on('close', () => clearTimeout(t));
  });
});

after(async () => {
  await Promise.all([slow.close(), unavailable.close(), steady.close()]);
});

function collect(): { samples: SecondSample[]; totals: ProgressTotals[]; onProgress: (s: SecondSample, t: ProgressTotals) => void } {
  const samples: SecondSample[] = [];
  const totals: ProgressTotals[] = [];
  return { samples, totals, onProgress: (s, t) => (samples.push(s), totals.push(t)) };
}

describe('rps is responses received per second of load', () => {
  test('a target that refuses every connection: rps 0, rps_min fails, live rps 0', async () => {
    const port = await refusedPort();
    const s = scenarioFrom(`[runtime]\nduration_seconds = 1\nvus = 2\n[target]\nbase_url = "http://127.0.0.1:${port}"\n[[requests]]\npath = "/"\n[assertions]\nrps_min = 100\n`);
    const live = collect();
    const r = await runScenario(s, { onProgress: live.onProgress });
    assertAccounted(r);
    // With the connect back-off (10, 20, 40 … ms) each VU still tries about 7 times in 1 s.
    assert.ok(r.totals.failed >= 10, `the VUs kept trying: ${r.totals.failed} failures`);
    assert.equal(r.totals.responses, 0);
    assert.equal(r.totals.rps, 0);
    const rpsMin = r.assertions.find((a) => a.key === 'rps_min')!;
    assert.equal(rpsMin.actual, 0);
    assert.equal(rpsMin.pass, false);
    assert.ok(live.totals.length >= 1);
    for (const t of live.totals) assert.equal(t.rps, 0, `live rps ${t.rps} at ${t.elapsedSeconds} s`);
    for (const x of live.samples) assert.ok(x.rps === 0 || x.rps === null, `sample rps ${x.rps}`);
  });

  test('a target that answers 503: every response counts, whatever its status', async () => {
    const s = scenarioFrom(`[runtime]\nduration_seconds = 1\nvus = 2\n[target]\nbase_url = "${unavailable.url}"\n[[requests]]\npath = "/"\n[assertions]\nrps_min = 1\n`);
    const r = await runScenario(s);
    assertAccounted(r);
    assert.equal(r.totals.succeeded, 0);
    assert.equal(r.totals.responses, r.totals.failed);
    assert.ok(r.totals.responses > 10, `responses ${r.totals.responses}`);
    const want = r.totals.responses / r.loadSeconds;
    assert.ok(Math.abs(r.totals.rps - want) <= 0.1, `rps ${r.totals.rps} vs ${want}`);
    assert.equal(r.assertions[0]!.pass, true);
  });

  test('100/s for 2 s with 1 s responses: rps ≈ 100 (not 200 / 3 s of wall time), live too', async () => {
    const s = scenarioFrom(`[runtime]\nduration_seconds = 2\n[target]\nbase_url = "${slow.url}"\n[[requests]]\npath = "/"\ntimeout_ms = 5000\n` +
      '[schedule]\ntype = "arrival_rate"\nrate = 100\nmax_in_flight = 300\n[assertions]\nrps_min = 90\n');
    const live = collect();
    const r = await runScenario(s, { onProgress: live.onProgress });
    assertAccounted(r);
    assert.equal(r.totals.interrupted, 0);
    assert.equal(r.totals.responses, r.totals.issued);
    // The load window is the 2 s of arrivals (stopped at the next 100 ms tick at the latest); the
    // run itself lasts a second longer while the last responses arrive.
    assert.ok(r.loadSeconds >= 2 && r.loadSeconds < 2.2, `load ${r.loadSeconds} s`);
    assert.ok(r.durationSeconds >= 2.9, `run ${r.durationSeconds} s`);
    assert.equal(r.totals.rps, Math.round((r.totals.responses / r.loadSeconds) * 10) / 10);
    // Dropped arrivals (only on a stalled generator) would lower the count, never raise it.
    assert.ok(r.totals.rps >= 85 && r.totals.rps <= 100, `rps ${r.totals.rps}, dropped ${r.totals.dropped}`);
    assert.ok(Math.abs(r.assertions[0]!.actual! - r.totals.responses / r.loadSeconds) < 0.01, `rps_min actual ${r.assertions[0]!.actual}`);
    // The last progress update comes with the run's last second: same definition, same figure.
    const last = live.totals[live.totals.length - 1]!;
    assert.equal(last.responses, r.totals.responses);
    assert.ok(Math.abs(last.rps - r.totals.rps) <= 0.2, `live ${last.rps} vs ${r.totals.rps}`);
  });

  test('cancelled after the first second: the load window ends at the cancel', async () => {
    const s = scenarioFrom(`[runtime]\nduration_seconds = 10\nvus = 2\n[target]\nbase_url = "${unavailable.url}"\n[[requests]]\npath = "/"\n`);
    const ac = new AbortController();
    const r = await runScenario(s, { signal: ac.signal, onProgress: (x) => x.t === 0 && ac.abort() });
    assert.equal(r.status, 'cancelled');
    assert.ok(r.loadSeconds >= 1 && r.loadSeconds < 1.5, `load ${r.loadSeconds} s`);
    assert.equal(r.totals.rps, Math.round((r.totals.responses / r.loadSeconds) * 10) / 10);
  });
});

describe('the per-second time series', () => {
  test('a steady 5/s run: no second reads above 5/s; the partial last second is not extrapolated', async () => {
    const s = scenarioFrom(`[runtime]\nduration_seconds = 2\n[target]\nbase_url = "${steady.url}"\n[[requests]]\npath = "/"\n` +
      '[schedule]\ntype = "arrival_rate"\nrate = 5\nmax_in_flight = 10\n');
    const r = await runScenario(s);
    assertAccounted(r);
    assert.equal(r.totals.responses, 10);
    const ts = r.timeseries;
    // Seconds 0 and 1 are whole; the response to the arrival at 1.8 s lands at ≈ 2.05 s, in a
    // last second that lasted only until the run ended.
    assert.ok(ts.length === 3, `samples ${JSON.stringify(ts)}`);
    for (const x of ts.slice(0, 2)) {
      assert.equal(x.seconds, undefined, 'a whole second carries no length');
      assert.equal(x.rps, x.responses);
      assert.ok(x.rps! <= 5, `second ${x.t}: ${x.rps}/s`);
    }
    const last = ts[2]!;
    assert.ok(last.seconds! > 0 && last.seconds! < 1, `last covers ${last.seconds} s`);
    assert.equal(last.rps, null, 'a partial second has no rate');
    assert.equal(last.afterLoad, true, 'the last second began after the load ended');
    assert.ok(last.responses >= 1, 'its raw count is kept');
    assert.equal(ts.reduce((a, x) => a + x.responses, 0), r.totals.responses);
    assert.equal(ts.reduce((a, x) => a + x.requests, 0), r.totals.succeeded + r.totals.failed);
  });
});
