/**
 * compareResults and its noise rule, on results built from chosen samples (compare-fixture.ts).
 * The cases are the ones that tell the right rule from plausible wrong ones: the same shift with
 * 10 and with 100,000 samples, the sample size of B as well as A, honest noise that must not be
 * flagged, a regression of one request hidden in an unchanged total, requests matched by name.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareResults, type Comparison, type FigureDelta } from '../../engine/compare/compare';
import { proportionInterval, quantileRanks, rateInterval } from '../../engine/compare/significance';
import { latencies, resultsOf, scaled } from './compare-fixture';

const fig = (list: FigureDelta[], id: string) => {
  const f = list.find((x) => x.id === id);
  assert.ok(f, `no figure ${id} in ${list.map((x) => x.id).join(', ')}`);
  return f;
};
const req = (c: Comparison, name: string) => {
  const q = c.requests.find((x) => x.name === name);
  assert.ok(q, `no request ${name}`);
  return q;
};
const verdicts = (list: FigureDelta[], prefix = 'latency.') => Object.fromEntries(list.filter((f) => f.id.startsWith(prefix)).map((f) => [f.id, f.verdict]));

describe('the intervals', () => {
  test('quantile ranks: the textbook median intervals, a p99 of ten samples has no upper bound', () => {
    // Order-statistic tables: n = 10 → X(2)..X(9) (97.9 %), n = 100 → X(40)..X(61).
    assert.deepEqual(quantileRanks(10, 0.5), { low: 2, high: 9 });
    assert.deepEqual(quantileRanks(100, 0.5), { low: 40, high: 61 });
    // Even the maximum of 10 samples is below the true p99 with probability 1 − 0.99^10 ≈ 10 %.
    assert.deepEqual(quantileRanks(10, 0.99), { low: 9, high: null });
    assert.deepEqual(quantileRanks(1, 0.5), { low: null, high: null });
    // Large n: about nq ± 1.96·√(nq(1−q)) = 99,000 ± 61.7.
    const big = quantileRanks(100_000, 0.99);
    assert.ok(Math.abs(big.low! - 98_938) <= 2 && Math.abs(big.high! - 99_063) <= 2, JSON.stringify(big));
    // Ten million samples: fast and sane (the binomial is walked over ~√n terms, not n).
    const huge = quantileRanks(10_000_000, 0.5);
    assert.ok(Math.abs(huge.low! - 4_996_901) <= 2 && Math.abs(huge.high! - 5_003_100) <= 2, JSON.stringify(huge));
  });

  test('Wilson: 0 of 20 is "up to 16 %", never exactly 0; rates from counts', () => {
    const w = proportionInterval(0, 20);
    assert.equal(w.low, 0);
    assert.ok(Math.abs(w.high! - 0.1611) < 1e-3, String(w.high));
    const half = proportionInterval(50, 100);
    assert.ok(Math.abs(half.low! - 0.4038) < 1e-3 && Math.abs(half.high! - 0.5962) < 1e-3, JSON.stringify(half));
    const r = rateInterval(100, 10);
    assert.ok(r.low! < 10 && r.high! > 10 && r.high! - r.low! > 3.5 && r.high! - r.low! < 4.5, JSON.stringify(r));
  });
});

describe('compareResults: latency percentiles', () => {
  test('a run against itself: nothing changed, nothing to warn about', () => {
    const r = resultsOf([{ name: 'home', latenciesMs: latencies(5000, 1) }, { name: 'slow', latenciesMs: latencies(500, 2, 30) }]);
    const c = compareResults(r, r);
    assert.equal(c.regressed, false);
    assert.deepEqual(c.warnings, []);
    assert.equal(c.threshold, 0.05);
    for (const f of [...c.figures, ...c.requests.flatMap((q) => q.figures)]) {
      assert.equal(f.verdict, 'unchanged', f.id);
      if (f.a !== null) assert.equal(f.delta, 0, f.id);
    }
    assert.deepEqual(c.requests.map((q) => [q.name, q.verdict]), [['home', 'unchanged'], ['slow', 'unchanged']]);
  });

  test('the same +10 % shift: unchanged with 10 samples (and says why), regressed with 100,000', () => {
    const few = latencies(10, 3);
    const small = compareResults(resultsOf([{ name: 'r', latenciesMs: few }]), resultsOf([{ name: 'r', latenciesMs: scaled(few, 1.1) }]));
    for (const id of ['latency.p50', 'latency.p90', 'latency.p99']) {
      const f = fig(small.figures, id);
      assert.ok(f.relative! > 0.08, `${id} moved ${f.relative}`);
      assert.equal(f.verdict, 'unchanged', id);
      assert.match(f.why!, /^not significant with 10 samples in A and 10 in B$/);
    }
    assert.equal(fig(small.figures, 'latency.p99').intervals!.a.high, null, 'ten samples cannot bound a p99 from above');
    assert.equal(small.regressed, false);

    const many = latencies(100_000, 3);
    const big = compareResults(resultsOf([{ name: 'r', latenciesMs: many }]), resultsOf([{ name: 'r', latenciesMs: scaled(many, 1.1) }]));
    assert.deepEqual(verdicts(big.figures), { 'latency.p50': 'regressed', 'latency.p90': 'regressed', 'latency.p99': 'regressed' });
    const p99 = fig(big.figures, 'latency.p99');
    assert.ok(p99.delta! > 0 && Math.abs(p99.relative! - 0.1) < 0.01, `b − a: ${p99.delta}, relative ${p99.relative}`);
    assert.equal(p99.better, 'lower');
    assert.equal(big.regressed, true);
    assert.equal(req(big, 'r').verdict, 'regressed');
  });

  test('direction: B faster is improved, with a negative delta (A is the baseline)', () => {
    const many = latencies(100_000, 4);
    const c = compareResults(resultsOf([{ name: 'r', latenciesMs: many }]), resultsOf([{ name: 'r', latenciesMs: scaled(many, 0.9) }]));
    assert.deepEqual(verdicts(c.figures), { 'latency.p50': 'improved', 'latency.p90': 'improved', 'latency.p99': 'improved' });
    assert.ok(fig(c.figures, 'latency.p50').delta! < 0);
    assert.ok(Math.abs(fig(c.figures, 'latency.p50').relative! + 0.1) < 0.01);
    assert.equal(c.regressed, false);
  });

  test("B's sample size counts too: 100,000 in A, 10 in B with the shift is not significant", () => {
    const c = compareResults(resultsOf([{ name: 'r', latenciesMs: latencies(100_000, 5) }]), resultsOf([{ name: 'r', latenciesMs: scaled(latencies(10, 6), 1.3) }]));
    assert.equal(fig(c.figures, 'latency.p99').verdict, 'unchanged');
    assert.match(fig(c.figures, 'latency.p99').why!, /100,000 samples in A and 10 in B/);
    assert.equal(fig(c.figures, 'latency.p50').verdict, 'unchanged');
  });

  test('the latency floor: a sub-millisecond service doubling over 100,000 samples is within 1 ms, unless the floor is lowered', () => {
    const fast = latencies(100_000, 17, 0.3);
    const a = resultsOf([{ name: 'r', latenciesMs: fast }]);
    const b = resultsOf([{ name: 'r', latenciesMs: scaled(fast, 2) }]);
    const c = compareResults(a, b);
    assert.equal(c.latencyFloorMs, 1);
    assert.equal(fig(c.figures, 'latency.p50').verdict, 'unchanged');
    assert.equal(fig(c.figures, 'latency.p50').why, 'within 1 ms');
    const lowered = compareResults(a, b, { latencyFloorMs: 0.1 });
    assert.deepEqual(verdicts(lowered.figures), { 'latency.p50': 'regressed', 'latency.p90': 'regressed', 'latency.p99': 'regressed' });
  });

  test('honest noise is not flagged: two draws of one distribution, 100,000 samples each', () => {
    const c = compareResults(resultsOf([{ name: 'r', latenciesMs: latencies(100_000, 7) }]), resultsOf([{ name: 'r', latenciesMs: latencies(100_000, 8) }]));
    assert.deepEqual(verdicts(c.figures), { 'latency.p50': 'unchanged', 'latency.p90': 'unchanged', 'latency.p99': 'unchanged' });
    assert.equal(c.regressed, false);
  });

  test('a +2 % shift with 100,000 samples: real, but within the 5 % threshold; regressed at --threshold 0.01', () => {
    const many = latencies(100_000, 9, 100);
    const a = resultsOf([{ name: 'r', latenciesMs: many }]);
    const b = resultsOf([{ name: 'r', latenciesMs: scaled(many, 1.02) }]);
    const c = compareResults(a, b);
    assert.equal(fig(c.figures, 'latency.p50').verdict, 'unchanged');
    assert.equal(fig(c.figures, 'latency.p50').why, 'within 5 %');
    const strict = compareResults(a, b, { threshold: 0.01 });
    assert.equal(fig(strict.figures, 'latency.p50').verdict, 'regressed');
    assert.equal(strict.threshold, 0.01);
  });

  test('with no threshold at all, the noise rule alone flags few of 200 same-distribution pairs', () => {
    // Disjoint 95 % intervals: about 0.5 % false alarms per figure. A rule with too narrow
    // intervals (a normal approximation without the √, or one side's n only) flags dozens.
    let flagged = 0;
    for (let i = 0; i < 200; i++) {
      const c = compareResults(resultsOf([{ name: 'r', latenciesMs: latencies(300, 1000 + 2 * i) }]), resultsOf([{ name: 'r', latenciesMs: latencies(300, 1001 + 2 * i) }]), { threshold: 0, latencyFloorMs: 0 });
      if (fig(c.figures, 'latency.p50').verdict !== 'unchanged') flagged++;
    }
    assert.ok(flagged <= 6, `${flagged} of 200 flagged`);
  });
});

describe('compareResults: requests', () => {
  test('a regression of one request hidden in an unchanged total', () => {
    // 20,000 fast requests and 50 slow ones (0.25 %): doubling the slow one moves no whole-run percentile.
    const home = latencies(20_000, 10);
    const slow = latencies(50, 11, 30);
    const c = compareResults(
      resultsOf([{ name: 'home', latenciesMs: home }, { name: 'slow', latenciesMs: slow }]),
      resultsOf([{ name: 'home', latenciesMs: home }, { name: 'slow', latenciesMs: scaled(slow, 2) }]),
    );
    assert.deepEqual(verdicts(c.figures), { 'latency.p50': 'unchanged', 'latency.p90': 'unchanged', 'latency.p99': 'unchanged' });
    assert.equal(req(c, 'home').verdict, 'unchanged');
    assert.equal(req(c, 'slow').verdict, 'regressed');
    const s = req(c, 'slow').figures;
    assert.equal(fig(s, 'latency.p50').verdict, 'regressed');
    // 50 samples bound a p99 from neither side well enough: not claimed.
    assert.equal(fig(s, 'latency.p99').verdict, 'unchanged');
    assert.equal(c.regressed, true, 'a request regression is a regression of the comparison');
  });

  test('matched by name, not position; added and removed ones marked, and neither is a regression', () => {
    const x = latencies(20_000, 12);
    const y = latencies(20_000, 13, 20);
    const c = compareResults(
      resultsOf([{ name: 'x', latenciesMs: x }, { name: 'y', latenciesMs: y }, { name: 'gone', latenciesMs: latencies(100, 14) }]),
      resultsOf([{ name: 'new', latenciesMs: latencies(100, 15) }, { name: 'y', latenciesMs: scaled(y, 1.5) }, { name: 'x', latenciesMs: x }]),
    );
    assert.deepEqual(c.requests.map((q) => [q.name, q.verdict]), [['new', 'added'], ['y', 'regressed'], ['x', 'unchanged'], ['gone', 'removed']]);
    const added = req(c, 'new').figures;
    assert.ok(added.every((f) => f.verdict === 'added' && f.a === null));
    assert.ok(fig(added, 'latency.p50').b! > 0);
    assert.ok(req(c, 'gone').figures.every((f) => f.verdict === 'removed' && f.b === null && f.a !== null));
    assert.equal(c.regressed, true);
    const onlyAddRemove = compareResults(resultsOf([{ name: 'x', latenciesMs: x }, { name: 'gone', latenciesMs: x }]), resultsOf([{ name: 'x', latenciesMs: x }, { name: 'new', latenciesMs: x }]));
    assert.equal(onlyAddRemove.regressed, false);
  });

  test('issued and a request\'s responses/s are context, never judged (they follow the whole run)', () => {
    const x = latencies(20_000, 16);
    const c = compareResults(resultsOf([{ name: 'x', latenciesMs: x }]), resultsOf([{ name: 'x', latenciesMs: x.slice(0, 10_000) }]));
    const q = req(c, 'x').figures;
    for (const id of ['issued', 'rps']) {
      assert.equal(fig(q, id).context, true);
      assert.equal(fig(q, id).verdict, 'unchanged');
      assert.equal(fig(q, id).relative, -0.5);
    }
    assert.equal(fig(c.figures, 'issued').verdict, 'unchanged');
    // The whole run's responses/s is judged: half the responses in the same window.
    assert.equal(fig(c.figures, 'rps').verdict, 'regressed');
    assert.equal(fig(c.figures, 'rps').a, 2000);
    assert.equal(fig(c.figures, 'rps').b, 1000);
  });
});

describe('compareResults: rates and failures', () => {
  const ok = (n: number, seed: number) => latencies(n, seed);

  test('error rate: 1 → 2 failures of 10 is noise; 10 → 100 of 10,000 is a regression; success rate mirrors it', () => {
    const small = compareResults(resultsOf([{ name: 'r', latenciesMs: ok(10, 20), failures: { http_5xx: 1 } }]), resultsOf([{ name: 'r', latenciesMs: ok(10, 20), failures: { http_5xx: 2 } }]));
    assert.equal(fig(small.figures, 'errorRate').verdict, 'unchanged');
    assert.match(fig(small.figures, 'errorRate').why!, /^not significant with 1 of 10 in A and 2 of 10 in B$/);
    assert.equal(fig(small.figures, 'successRate').verdict, 'unchanged');
    assert.equal(fig(small.figures, 'errorRate').relative, 1);

    const big = compareResults(resultsOf([{ name: 'r', latenciesMs: ok(10_000, 21), failures: { http_5xx: 10 } }]), resultsOf([{ name: 'r', latenciesMs: ok(10_000, 21), failures: { http_5xx: 100 } }]));
    assert.equal(fig(big.figures, 'errorRate').verdict, 'regressed');
    assert.equal(fig(big.figures, 'errorRate').a, 0.001);
    assert.equal(fig(big.figures, 'errorRate').b, 0.01);
    // 99.9 % → 99 % is a 0.9 % relative move of the success rate; it is the error rate's verdict that counts.
    const success = fig(big.figures, 'successRate');
    assert.equal(success.verdict, 'regressed');
    assert.ok(Math.abs(success.relative!) < 0.01);
    assert.equal(success.better, 'higher');
    assert.equal(fig(big.figures, 'failures.http_5xx').verdict, 'regressed');
    assert.equal(big.regressed, true);
  });

  test('the first failure: 0 → 1 of 20 is noise, 0 → 50 of 10,000 is not', () => {
    const one = compareResults(resultsOf([{ name: 'r', latenciesMs: ok(20, 22) }]), resultsOf([{ name: 'r', latenciesMs: ok(20, 22), failures: { timeout: 1 } }]));
    assert.equal(fig(one.figures, 'errorRate').relative, null, 'relative change from 0 is null');
    assert.equal(fig(one.figures, 'errorRate').verdict, 'unchanged');
    assert.equal(fig(one.figures, 'failures.timeout').verdict, 'unchanged');
    assert.equal(fig(one.figures, 'failures.timeout').a, 0);
    assert.equal(fig(one.figures, 'failures.timeout').b, 1);
    // 0 → 5 of 1,000 (Fisher's exact test: p ≈ 0.06) is still noise; the textbook p ± 1.96·√(p(1−p)/n)
    // puts 0 of 1,000 at exactly 0 and would call it a regression.
    const five = compareResults(resultsOf([{ name: 'r', latenciesMs: ok(1_000, 22) }]), resultsOf([{ name: 'r', latenciesMs: ok(1_000, 22), failures: { timeout: 5 } }]));
    assert.equal(fig(five.figures, 'errorRate').verdict, 'unchanged');
    const fifty = compareResults(resultsOf([{ name: 'r', latenciesMs: ok(10_000, 23) }]), resultsOf([{ name: 'r', latenciesMs: ok(10_000, 23), failures: { timeout: 50 } }]));
    assert.equal(fig(fifty.figures, 'failures.timeout').verdict, 'regressed');
    assert.match(fig(fifty.figures, 'failures.timeout').why!, /0 % → 0\.5 % of completed/);
  });

  test('failures by kind are judged as shares: the same count in a shorter run is a larger share', () => {
    const c = compareResults(resultsOf([{ name: 'r', latenciesMs: ok(20_000, 24), failures: { reset: 100 } }]), resultsOf([{ name: 'r', latenciesMs: ok(5_000, 24), failures: { reset: 100 } }]));
    const f = fig(c.figures, 'failures.reset');
    assert.equal(f.delta, 0);
    assert.equal(f.verdict, 'regressed');
    assert.match(f.why!, /0\.5 % → 2 % of completed/);
  });

  test('responses/s: 10 → 12 responses is noise, 10,000 → 12,000 an improvement', () => {
    const few = compareResults(resultsOf([{ name: 'r', latenciesMs: ok(100, 25) }]), resultsOf([{ name: 'r', latenciesMs: ok(120, 25) }]));
    assert.equal(fig(few.figures, 'rps').verdict, 'unchanged');
    assert.match(fig(few.figures, 'rps').why!, /not significant with 100 and 120 responses/);
    const many = compareResults(resultsOf([{ name: 'r', latenciesMs: ok(10_000, 26) }]), resultsOf([{ name: 'r', latenciesMs: ok(12_000, 26) }]));
    assert.equal(fig(many.figures, 'rps').verdict, 'improved');
  });
});

describe('compareResults: warnings and labels', () => {
  test('different scenario, seed, schedule and an incomplete run are said; labels name the runs', () => {
    const a = resultsOf([{ name: 'r', latenciesMs: latencies(100, 30) }]);
    const b = resultsOf([{ name: 'r', latenciesMs: latencies(100, 30) }], {
      seed: 2,
      scenario: { hash: 'e'.repeat(64) },
      status: 'cancelled',
      schedule: { type: 'ramp', plannedDurationSeconds: 30, peakVus: 10, model: 'closed' },
    });
    const c = compareResults(a, b, { labels: ['base.json', 'new.json'] });
    assert.equal(c.a.label, 'base.json');
    assert.equal(c.b.seed, 2);
    assert.equal(c.b.scenarioHash, 'e'.repeat(64));
    const text = c.warnings.join('\n');
    assert.match(text, /different scenarios \(hash ffffffffffff… in base\.json, eeeeeeeeeeee… in new\.json\)/);
    assert.match(text, /different seeds \(1 in base\.json, 2 in new\.json\)/);
    assert.match(text, /different schedules \(constant, closed model, peak 10, 10 s in base\.json; ramp, closed model, peak 10, 30 s in new\.json\)/);
    assert.match(text, /new\.json did not complete \(status cancelled\)/);
  });

  test('an unreadable histogram: latency falls back to the threshold, with a warning', () => {
    const a = resultsOf([{ name: 'r', latenciesMs: latencies(10, 31) }]);
    const b = resultsOf([{ name: 'r', latenciesMs: scaled(latencies(10, 31), 1.5) }]);
    b.requests[0]!.histogram = 'not base64 at all';
    const c = compareResults(a, b);
    assert.equal(fig(req(c, 'r').figures, 'latency.p50').verdict, 'regressed');
    assert.match(c.warnings.join('\n'), /B: the latency histogram of request "r" could not be read/);
    // The whole-run histogram was fine: its ten samples are still judged with the noise rule.
    assert.equal(fig(c.figures, 'latency.p50').verdict, 'unchanged');
  });

  test('a bad threshold is refused', () => {
    const r = resultsOf([{ name: 'r', latenciesMs: [1] }]);
    assert.throws(() => compareResults(r, r, { threshold: -1 }), /threshold/);
    assert.throws(() => compareResults(r, r, { threshold: Number.NaN }), /threshold/);
    assert.throws(() => compareResults(r, r, { latencyFloorMs: -1 }), /latencyFloorMs/);
  });
});
