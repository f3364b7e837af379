/**
 * The simulated target (base_url = "sim://NAME", engine/sim/): a model answers on a virtual
 * clock, so the engine's accounting can be checked exactly against what the model must give —
 * fixed service time S, C servers, N closed VUs without think time: throughput C/S (N/S while
 * N ≤ C), latency S while N ≤ C and N/C·S beyond (queueing) — and a seed repeats byte for byte.
 * Every run here is the real runner with its real recorder; only the clock and the connections
 * are the simulation's.
 */
import assert from 'node:assert/strict';
import { performance as realPerformance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import { decode } from '../../engine/metrics/histogram';
import type { Results } from '../../engine/metrics/results-types';
import { runScenario } from '../../engine/run';
import * as clock from '../../engine/run/clock';
import { Scheduler } from '../../engine/sim/scheduler';
import { assertAccounted, scenarioFrom } from './helpers';

/** A closed-model simulated scenario: N VUs for `seconds`, one request "r", [simulation] keys as given. */
function closed(vus: number, seconds: number, simulation: string, extra = ''): string {
  return `[target]\nbase_url = "sim://shop"\n[simulation]\n${simulation}\n[runtime]\nduration_seconds = ${seconds}\nvus = ${vus}\nprng_seed = 1\n[[requests]]\nname = "r"\npath = "/"\n${extra}`;
}

const run = (toml: string, seed?: number) => runScenario(scenarioFrom(toml), seed === undefined ? {} : { seed });

/** Responses of each whole second of the load after the first (the first holds the start-up). */
function steadySeconds(r: Results): number[] {
  return r.timeseries.filter((s) => s.t >= 1 && s.seconds === undefined && !s.afterLoad).map((s) => s.responses);
}

describe('the virtual clock', () => {
  test('events run in time order, ties in the order set, never early; a 0 ms timer waits 1 ms as in Node', async () => {
    const s = new Scheduler(Date.UTC(2000, 0, 1));
    const c = s.clock;
    const seen: string[] = [];
    const at = (label: string) => () => seen.push(`${label}@${c.now()}`);
    c.setTimeout(at('b'), 2.5);
    c.setTimeout(at('a'), 1);
    c.setTimeout(at('c'), 2.5);
    c.setTimeout(at('zero'), 0);
    const gone = c.setTimeout(at('cleared'), 2);
    c.clearTimeout(gone);
    await s.drive(new Promise<void>((r) => c.setTimeout(r, 10)));
    assert.deepEqual(seen, ['a@1', 'zero@1', 'b@2.5', 'c@2.5']);
    assert.equal(new Date(c.epochMs()).toISOString(), '2000-01-01T00:00:00.010Z');
    await s.drive(new Promise<void>((r) => c.setTimeout(r, 0.5)));
    assert.equal(c.epochMs(), Date.UTC(2000, 0, 1) + 10, 'whole milliseconds, as Date.now()');
  });

  test('outside the load a promise chain resumed by an event finishes before time moves on, as in a real event loop', async () => {
    const s = new Scheduler(0);
    const c = s.clock;
    const seen: number[] = [];
    c.setTimeout(() => seen.push(c.now()), 50);
    const work = (async () => {
      await new Promise<void>((r) => c.setTimeout(r, 10));
      await null;
      await null;
      c.setTimeout(() => seen.push(c.now()), 5);
      await new Promise<void>((r) => c.setTimeout(r, 100));
    })();
    await s.drive(work);
    assert.deepEqual(seen, [15, 50]);
  });
});

describe('exact accounting against the model: S = 10 ms, C = 4 servers, 10 s', () => {
  test('N = C = 4 VUs: every latency is exactly S, throughput C/S = 400 per second', async () => {
    const r = await run(closed(4, 10, 'concurrency = 4\nlatency_ms = 10'));
    assertAccounted(r);
    // 4 at t = 0, then 4 at each completion 10, 20 … 9990 ms; those at 10,000 ms come after the load ended.
    assert.equal(r.totals.issued, 4 + 4 * 999);
    assert.equal(r.totals.succeeded, r.totals.issued);
    assert.deepEqual([r.latency.min, r.latency.p50, r.latency.max, r.latency.count], [10, 10, 10, 4000]);
    assert.deepEqual(steadySeconds(r), Array(9).fill(400));
    assert.equal(r.timeseries[0]!.responses, 4 * 99, 'second 0: completions at 10 … 990 ms');
    assert.equal(r.loadSeconds, 10);
    assert.equal(r.totals.rps, 400);
    assert.equal(r.totals.connectionsOpened, 4);
  });

  test('N = 2 < C: latency S, throughput N/S = 200 per second (servers left idle)', async () => {
    const r = await run(closed(2, 10, 'concurrency = 4\nlatency_ms = 10'));
    assert.deepEqual([r.latency.min, r.latency.max], [10, 10]);
    assert.deepEqual(steadySeconds(r), Array(9).fill(200));
  });

  test('N = 8 > C: throughput stays C/S = 400 per second, latency N/C·S = 20 ms (S waiting, S served)', async () => {
    const r = await run(closed(8, 10, 'concurrency = 4\nlatency_ms = 10'));
    assertAccounted(r);
    assert.deepEqual(steadySeconds(r), Array(9).fill(400));
    // Only the first wave is faster: 4 requests found a free server at t = 0.
    assert.deepEqual([r.latency.min, r.latency.p50, r.latency.max], [10, 20, 20]);
    const h = decode(r.histograms.latency);
    assert.equal(h.totalCount, r.totals.issued);
    assert.ok(h.getValueAtPercentile((100 * 4) / h.totalCount) < 10_010, 'the 4 fastest took S');
    assert.ok(h.getValueAtPercentile((100 * 5) / h.totalCount) >= 20_000, 'the 5th fastest already waited S');
    // The 8 still in flight at the end (4 served, 4 queued) finish in the drain, 10 ms apart.
    assert.equal(r.totals.issued, 8 + 4 * 999);
    assert.equal(r.durationSeconds, 10.01);
  });

  test('N = 12: latency N/C·S = 30 ms, throughput still C/S', async () => {
    const r = await run(closed(12, 10, 'concurrency = 4\nlatency_ms = 10'));
    assert.deepEqual([r.latency.p50, r.latency.max], [30, 30]);
    assert.deepEqual(steadySeconds(r), Array(9).fill(400));
  });

  test('without concurrency nothing queues: 50 VUs all see S', async () => {
    const r = await run(closed(50, 5, 'latency_ms = 10'));
    assert.deepEqual([r.latency.min, r.latency.max], [10, 10]);
    assert.deepEqual(steadySeconds(r), Array(4).fill(5000));
  });

  test('connect_ms: each VU\'s first request pays it once, reported as connect time', async () => {
    const r = await run(closed(4, 5, 'latency_ms = 10\nconnect_ms = 5\nresponse_bytes = 100'));
    assert.equal(r.totals.connectionsOpened, 4);
    assert.deepEqual([r.connectTime!.min, r.connectTime!.max, r.connectTime!.count], [5, 5, 4]);
    assert.deepEqual([r.latency.min, r.latency.max], [10, 15]);
    const h = decode(r.histograms.latency);
    assert.ok(h.getValueAtPercentile(100 - (100 * 4) / h.totalCount) < 10_010, 'only 4 requests took S + connect');
    assert.equal(r.totals.bytesReceived, 100 * r.totals.responses);
  });
});

describe('the runner\'s connection handling, on the simulated target', () => {
  test('max_connections = 2 for 4 HTTP/1.1 VUs: each request waits S for a connection, reported as queue wait', async () => {
    const r = await run(closed(4, 5, 'latency_ms = 10', '').replace('base_url = "sim://shop"', 'base_url = "sim://shop"\nmax_connections = 2'));
    assertAccounted(r);
    assert.equal(r.totals.connectionsOpened, 2);
    // Two requests find a connection free (0, recorded as the histogram's 1 µs floor), two wait S.
    assert.deepEqual([r.queueWait!.min, r.queueWait!.p50, r.queueWait!.max], [0.001, 10, 10]);
    assert.deepEqual([r.latency.p50, r.latency.max], [20, 20]);
    assert.deepEqual(steadySeconds(r), Array(4).fill(200));
  });

  test('the run\'s last two requests end together, the shared connection passing to one that timed out in the queue: both are counted', async () => {
    // One connection, 2 VUs, every request hangs (timeout 2000 ms), the load ends at 1 s. Both VUs
    // issue at 0: VU 0 takes the connection, VU 1 waits for it. At the first sweep at or after
    // 2000 ms VU 0 is aborted first, and its onError runs inside abort (as undici's does); its
    // connection goes to VU 1, whose deadline has passed too, so VU 1 times out in the hand-off —
    // the last request in flight of a stopping run. The hand-off must come after VU 0's outcome is
    // recorded, or the run ends first and VU 0's request is issued but never counted.
    const r = await run(closed(2, 1, 'timeout_rate = 1', 'timeout_ms = 2000\n').replace('base_url = "sim://shop"', 'base_url = "sim://shop"\nmax_connections = 1'));
    assertAccounted(r);
    assert.deepEqual([r.totals.issued, r.failures.timeout, r.totals.interrupted], [2, 2, 0]);
    assert.equal(r.queueWait!.count, 1, 'VU 1 waited for the connection and never got it');
  });

  test('HTTP/2 with max_connections = 1: 4 VUs multiplex on one connection, each answered in S', async () => {
    const r = await run(closed(4, 5, 'latency_ms = 10\nconnect_ms = 3', '').replace('base_url = "sim://shop"', 'base_url = "sim://shop"\nhttp_version = "http2"\nmax_connections = 1'));
    assertAccounted(r);
    assert.equal(r.totals.connectionsOpened, 1);
    assert.deepEqual([r.latency.min, r.latency.max], [10, 13]);
    assert.deepEqual(steadySeconds(r), Array(4).fill(400));
  });

  test('abort_on_fail stops a lost run after its first virtual second', async () => {
    const r = await run(closed(4, 600, 'latency_ms = 10\nerror_rate = 0.5', '[assertions]\nerror_rate_max = 0.1\nabort_on_fail = true\n'));
    assertAccounted(r);
    assert.equal(r.status, 'aborted');
    assert.match(r.abortReason!, /^abort_on_fail after 1 s: error_rate_max = 0\.[45]\d* \(must be <= 0\.1\)$/);
    assert.equal(r.loadSeconds, 1);
  });

  test('abort_on_fail judged by the outcome that closes a second: the run stops after that outcome is counted', async () => {
    // One VU, every answer a 500 after 30 ms, and no tick before 60 s: the first outcome after
    // 1 s closes second 0 inside its own record, and abort_on_fail stops the run there. With the
    // VU's request already ended and none in flight, a stop judged inside the record would end the
    // run before that outcome is counted.
    const toml = closed(1, 600, 'latency_ms = 30\nerror_rate = 1', '[assertions]\nerror_rate_max = 0.1\nabort_on_fail = true\n');
    const r = await runScenario(scenarioFrom(toml), { tickMs: 60_000 });
    assertAccounted(r);
    assert.equal(r.status, 'aborted');
    assert.equal(r.totals.failed, 34, 'the outcomes at 30, 60 … 1020 ms');
  });
});

describe('setup and teardown', () => {
  test('are answered by the simulation too, in virtual time: the load starts when setup has had its answer', async () => {
    const r = await run(closed(2, 2, 'latency_ms = 25', '[[setup]]\nname = "login"\nmethod = "POST"\npath = "/login"\n[[teardown]]\nname = "logout"\npath = "/logout"\n'));
    assertAccounted(r);
    assert.deepEqual(r.setup, [{ name: 'login', ok: true, status: 200, latencyMs: 25 }]);
    assert.deepEqual(r.teardown, [{ name: 'logout', ok: true, status: 200, latencyMs: 25 }]);
    // The run's clock starts after setup's 25 ms; nothing else moved virtual time before it.
    assert.equal(r.startedAt, '2000-01-01T00:00:00.025Z');
    assert.equal(r.totals.issued, 2 * (2000 / 25));
  });
});

describe('one hour, 100 VUs', () => {
  test('finishes with every figure the model gives: 3637 requests per VU, latency 50 ms', async (t) => {
    const wall = realPerformance.now();
    // 50 ms service + 940 ms think = a request every 990 ms from t = 0: 3637 start before 3600 s.
    const r = await run(closed(100, 3600, 'latency_ms = 50', '[think_time]\ntype = "constant"\nduration_ms = 940\n'));
    t.diagnostic(`one simulated hour of 100 VUs took ${Math.round(realPerformance.now() - wall)} ms of real time`);
    assertAccounted(r);
    assert.equal(r.status, 'completed');
    assert.equal(r.totals.issued, 100 * 3637);
    assert.equal(r.totals.succeeded, 100 * 3637);
    assert.deepEqual([r.latency.min, r.latency.max], [50, 50]);
    assert.equal(r.loadSeconds, 3600);
    assert.equal(r.durationSeconds, 3600);
    assert.equal(r.timeseries.length, 3600);
    assert.equal(r.timeseries.reduce((a, s) => a + s.responses, 0), 363_700);
    assert.equal(r.totals.rps, 101);
    assert.equal(r.startedAt, '2000-01-01T00:00:00.000Z');
    assert.equal(r.endedAt, '2000-01-01T01:00:00.000Z');
    assert.equal(r.generator, undefined, 'no generator health in a simulated run');
  });
});

describe('failures by kind, drawn from the seed', () => {
  test('10 % errors and 2 / 3 / 1 % timeouts, resets, refused connects: each within binomial bounds, counted by kind', async () => {
    const r = await run(closed(20, 20,
      'latency_ms = 10\nerror_rate = 0.1\nerror_status = 503\ntimeout_rate = 0.02\nreset_rate = 0.03\nconnect_rate = 0.01',
      'timeout_ms = 100\n'));
    assertAccounted(r);
    const n = r.totals.succeeded + r.totals.failed;
    assert.ok(n > 20_000, `${n} requests`);
    const within = (count: number, p: number, what: string) => {
      const sd = Math.sqrt(n * p * (1 - p));
      assert.ok(Math.abs(count - n * p) <= 5 * sd, `${what}: ${count} of ${n}, expected ${Math.round(n * p)} ± ${Math.round(5 * sd)}`);
    };
    within(r.failures.http_5xx ?? 0, 0.1, 'http_5xx');
    within(r.failures.timeout ?? 0, 0.02, 'timeout');
    within(r.failures.reset ?? 0, 0.03, 'reset');
    within(r.failures.connect ?? 0, 0.01, 'connect');
    assert.equal(r.statusCodes['503'], r.failures.http_5xx);
    assert.deepEqual(Object.keys(r.failures).sort(), ['connect', 'http_5xx', 'reset', 'timeout']);
    assert.deepEqual(r.requests[0]!.failures, r.failures);
    // A refused connect never reached a connection: no latency. Timeouts and resets did.
    assert.equal(r.latency.count, n - r.failures.connect!);
    // Each reset, wire timeout and refused connect leaves the next request a new connection to open.
    assert.ok(r.totals.connectionsOpened >= 20 + r.failures.reset! + r.failures.timeout!, `${r.totals.connectionsOpened} connections`);
    assert.match(r.failureSamples.reset![0]!, /sim:\/\/shop \(simulated\): the connection was reset/);
  });

  test('timeouts fire at timeout_ms on the virtual clock, within one sweep (10 ms for 200 ms), never early', async () => {
    const r = await run(closed(3, 5, 'timeout_rate = 1', 'timeout_ms = 200\n'));
    assertAccounted(r);
    assert.equal(r.totals.succeeded, 0);
    assert.equal(r.failures.timeout, r.totals.failed);
    assert.equal(r.latency.count, r.totals.failed);
    assert.ok(r.latency.min >= 200 && r.latency.max <= 210, `latency ${r.latency.min} … ${r.latency.max} ms`);
    // The wire timeout closes the VU's HTTP/1.1 connection: every request opened its own.
    assert.equal(r.totals.connectionsOpened, r.totals.issued);
    assert.match(r.failureSamples.timeout![0]!, /within 200 ms/);
  });

  test('a hung request holds its server until its client gives up: a 10 ms request waits behind it', async () => {
    // One server. VU 0 starts at 0 s, VU 1 at the first scheduler tick after 1 s (ticks every
    // 75 ms: 1050 ms); each sends "hang" (never answered, timeout 1500 ms) then "quick" (10 ms).
    // VU 0's hang holds the server until 1500 ms; VU 1's hang, queued since 1050 ms, takes it
    // then and holds it until its own timeout at 2550 ms; VU 0's quick, sent at 1501 ms (a failed
    // request's VU waits a timer turn), waits all that time.
    const r = await run(`[target]\nbase_url = "sim://shop"\n[simulation]\nconcurrency = 1\nlatency_ms = 10\n[runtime]\niterations = 1\nprng_seed = 1\n` +
      `[schedule]\ntype = "steps"\n[[schedule.steps]]\nvus = 1\nduration_seconds = 1\n[[schedule.steps]]\nvus = 2\nduration_seconds = 1\n` +
      `[[requests]]\nname = "hang"\npath = "/h"\ntimeout_ms = 1500\n[requests.simulation]\ntimeout_rate = 1\n[[requests]]\nname = "quick"\npath = "/q"\n` +
      `[sequence]\n[[sequence.steps]]\nrequest = "hang"\n[[sequence.steps]]\nrequest = "quick"\n`);
    assertAccounted(r);
    const [hang, quick] = r.requests;
    assert.deepEqual([hang!.issued, hang!.failures.timeout], [2, 2]);
    assert.deepEqual([hang!.latency.min, hang!.latency.max], [1500, 1500]);
    // VU 1's quick was never sent: the load had ended when its hang timed out.
    assert.deepEqual([quick!.issued, quick!.succeeded], [1, 1]);
    assert.equal(quick!.latency.max, 2560 - 1501);
  });
});

describe('the answer models', () => {
  test('lognormal by median and p99, uniform by its bounds: the drawn service times follow them', async () => {
    const r = await run(`[target]\nbase_url = "sim://shop"\n[simulation]\nlatency = "lognormal"\nlatency_ms = 40\nlatency_p99_ms = 400\n[runtime]\nduration_seconds = 600\nvus = 20\nprng_seed = 3\n` +
      `[[requests]]\nname = "logn"\npath = "/"\n[[requests]]\nname = "unif"\npath = "/u"\n[requests.simulation]\nlatency = "uniform"\nlatency_min_ms = 50\nlatency_max_ms = 150\n`);
    const [logn, unif] = r.requests;
    assert.ok(logn!.latency.count > 50_000 && unif!.latency.count > 50_000);
    assert.ok(Math.abs(logn!.latency.p50 / 40 - 1) < 0.02, `lognormal p50 ${logn!.latency.p50}`);
    assert.ok(Math.abs(logn!.latency.p99 / 400 - 1) < 0.05, `lognormal p99 ${logn!.latency.p99}`);
    assert.ok(Math.abs(unif!.latency.p50 / 100 - 1) < 0.02, `uniform p50 ${unif!.latency.p50}`);
    assert.ok(Math.abs(unif!.latency.p90 / 140 - 1) < 0.02, `uniform p90 ${unif!.latency.p90}`);
    assert.ok(unif!.latency.min >= 50 && unif!.latency.max <= 150, `uniform ${unif!.latency.min} … ${unif!.latency.max}`);
  });
});

describe('open model above capacity', () => {
  const open = (sim: string, extra = '') =>
    `[target]\nbase_url = "sim://shop"\n[simulation]\nconcurrency = 4\nlatency_ms = 40\n${sim}\n[runtime]\nduration_seconds = 10\nprng_seed = 1\n` +
    `[schedule]\ntype = "arrival_rate"\nrate = 200\nmax_in_flight = 100000\n[[requests]]\nname = "r"\npath = "/"\ntimeout_ms = 60000\n${extra}`;

  test('200 arrivals/s against 100/s of capacity: served at exactly 100/s while the queue and latency grow', async () => {
    const r = await run(open(''));
    assertAccounted(r);
    assert.equal(r.totals.issued, 2000);
    assert.equal(r.totals.dropped, 0);
    assert.deepEqual(steadySeconds(r), Array(9).fill(100));
    // Latency grows by about a second per second of load: arrivals pile up at 100/s.
    const p50 = r.timeseries.filter((s) => !s.afterLoad && s.p50 !== null).map((s) => s.p50!);
    for (let i = 1; i < p50.length; i++) assert.ok(p50[i]! > p50[i - 1]!, `p50 ${p50[i - 1]} then ${p50[i]} ms`);
    assert.ok(p50.at(-1)! > 4000, `last p50 ${p50.at(-1)} ms`);
    // The backlog drains after the load: 1000 requests served in 10 s of load, 1000 after.
    assert.ok(r.durationSeconds > 19.9 && r.durationSeconds < 20.1, `${r.durationSeconds} s`);
  });

  test('queue_limit = 20: the arrivals that find the queue full get 503 at once, the rest wait at most 20/4·S + S', async () => {
    const r = await run(open('queue_limit = 20'));
    assertAccounted(r);
    const served = r.statusCodes['200']!;
    const shed = r.statusCodes['503']!;
    assert.equal(served + shed, 2000);
    // Capacity serves 100/s: 1000 in the load plus what was queued and in service at its end (≤ 24).
    assert.ok(served >= 1000 && served <= 1024, `${served} served`);
    assert.equal(r.failures.http_5xx, shed);
    assert.equal(r.latency.max, 240);
    assert.equal(r.latency.min, 0.001, 'a shed request is answered at once');
  });

  test('max_in_flight 50 below the pile-up: the arrivals beyond it are dropped and counted', async () => {
    const r = await run(open('').replace('max_in_flight = 100000', 'max_in_flight = 50'));
    assertAccounted(r);
    assert.equal(r.totals.issued + r.totals.dropped, 2000);
    assert.ok(r.totals.dropped > 900, `${r.totals.dropped} dropped`);
  });
});

describe('determinism', () => {
  const toml = `[target]\nbase_url = "sim://shop"\n[simulation]\nconcurrency = 6\nqueue_limit = 30\nlatency = "lognormal"\nlatency_ms = 40\nlatency_p99_ms = 400\n` +
    `error_rate = 0.02\ntimeout_rate = 0.005\nreset_rate = 0.005\nconnect_rate = 0.005\nresponse_bytes = 512\n[runtime]\nduration_seconds = 120\nvus = 30\n` +
    `[think_time]\ntype = "random"\nmin_ms = 10\nmax_ms = 200\n[[requests]]\nname = "home"\npath = "/"\nweight = 3\ntimeout_ms = 1000\n` +
    `[[requests]]\nname = "buy"\npath = "/buy"\n[requests.simulation]\nlatency = "uniform"\nlatency_min_ms = 50\nlatency_max_ms = 150\n`;

  test('the same seed gives byte-identical results; another seed different ones', async () => {
    const a = JSON.stringify(await run(toml, 42));
    const b = JSON.stringify(await run(toml, 42));
    const c = JSON.stringify(await run(toml, 43));
    assert.equal(a, b);
    assert.notEqual(a, c);
    const ra = JSON.parse(a) as Results;
    const rc = JSON.parse(c) as Results;
    assert.notDeepEqual(ra.statusCodes, rc.statusCodes);
    assert.notEqual(ra.histograms.latency, rc.histograms.latency);
  });

  test('the target\'s draws come from the seed: with nothing else random in the plan, another seed still answers otherwise', async () => {
    const fixedPlan = closed(4, 30, 'latency = "lognormal"\nlatency_ms = 20\nlatency_p99_ms = 100\nerror_rate = 0.3');
    const a = await run(fixedPlan, 1);
    const b = await run(fixedPlan, 2);
    assert.notEqual(a.histograms.latency, b.histograms.latency);
    assert.notDeepEqual(a.timeseries.map((x) => x.failures), b.timeseries.map((x) => x.failures));
  });

  test('the clock is the real one again after a simulated run', async () => {
    await run(closed(2, 1, 'latency_ms = 10'));
    assert.equal(clock.setTimeout, globalThis.setTimeout);
    assert.equal(clock.clearInterval, globalThis.clearInterval);
    assert.ok(Math.abs(clock.performance.now() - realPerformance.now()) < 50);
    assert.ok(Math.abs(clock.clockEpochMs() - Date.now()) < 50);
  });

  test('a cancel in the middle (from a progress callback) stops the run at a virtual time: partial, accounted, repeatable', async () => {
    const cancelled = async () => {
      const ac = new AbortController();
      return runScenario(scenarioFrom(closed(8, 600, 'concurrency = 4\nlatency_ms = 10')), { signal: ac.signal, onProgress: () => ac.abort() });
    };
    const r = await cancelled();
    assertAccounted(r);
    assert.equal(r.status, 'cancelled');
    assert.ok(r.totals.interrupted > 0 && r.loadSeconds === 1, `${r.totals.interrupted} interrupted after ${r.loadSeconds} s`);
    assert.equal(JSON.stringify(await cancelled()), JSON.stringify(r));
  });
});
