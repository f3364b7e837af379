/**
 * What the charts hold (engine/report/renderer/series.ts): a finished run one point per second,
 * a live run never more than its cap however long it goes — neighbours merged in place, rates
 * averaged over whole seconds, latency the worst second, VUs the last — in the same arrays.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SecondSample } from '../../engine/metrics/results-types';
import { MAX_LIVE_POINTS, Series } from '../../engine/report/renderer/series';

/** A whole second t whose figures are all derived from t, so a merged point can be checked by hand. */
function second(t: number, over: Partial<SecondSample> = {}): SecondSample {
  return { t, requests: 10 * t, responses: 10 * t, rps: 10 * t, failures: t % 3, p50: t, p95: 2 * t, p99: 3 * t, activeVus: 100 + t, ...over };
}

describe('chart series', () => {
  test('a finished run: one point per second, the partial last second without rates', () => {
    const samples = [second(0), second(1), second(2, { rps: null, responses: 4, seconds: 0.4 })];
    const s = Series.of(samples);
    assert.deepEqual(s.x, [0, 1, 2]);
    assert.deepEqual(s.columns.rps, [0, 10, null]);
    assert.deepEqual(s.columns.failures, [0, 1, null]);
    assert.deepEqual(s.columns.p99, [0, 3, 6]);
    assert.deepEqual(s.columns.activeVus, [100, 101, 102]);
    assert.deepEqual(s.columns.dropped, [null, null, null]);
    assert.equal(s.hasDropped, false);
    assert.equal(s.span, 1);
    // With the cursor off the chart the legend shows the last whole second.
    assert.equal(s.lastWholeIndex, 1);
    // Results written before `seconds` existed: the run's length tells the partial last second.
    const old = Series.of([second(0), second(1)], 1.5);
    assert.deepEqual(old.columns.rps, [0, null]);
  });

  test('a live series never holds more than its cap, and merges neighbours into longer points', () => {
    const s = new Series(8);
    const arrays = [s.x, s.columns.rps, s.columns.p99, s.columns.activeVus];
    let most = 0;
    for (let t = 0; t < 100; t++) {
      s.push(second(t));
      most = Math.max(most, s.length);
    }
    assert.equal(most, 8);
    // 100 seconds in at most 8 points: 16 s each (the last one filling).
    assert.equal(s.span, 16);
    assert.deepEqual(s.x, [0, 16, 32, 48, 64, 80, 96]);
    // The same arrays all along: uPlot is handed them, never copies.
    assert.deepEqual([s.x, s.columns.rps, s.columns.p99, s.columns.activeVus], arrays);
    // Point 1 covers seconds 16..31: mean rps 10 × 23.5, worst p99 3 × 31, VUs at its end.
    assert.equal(s.columns.rps[1], 235);
    assert.equal(s.columns.p99[1], 93);
    assert.equal(s.columns.p50[1], 31);
    assert.equal(s.columns.activeVus[1], 131);
    // Failures per second: t % 3 over 16..31 sums to 16, over 16 seconds.
    assert.equal(s.columns.failures[1], 1);
    // The filling last point: seconds 96..99.
    assert.equal(s.columns.rps[6], 975);
    assert.equal(s.columns.activeVus[6], 199);
  });

  test('a partial second in a merged point counts for latency and VUs, not for the rates', () => {
    const s = new Series(2);
    s.push(second(0));
    s.push(second(1));
    s.push(second(2));
    s.push(second(3, { rps: null, responses: 9, failures: 5, seconds: 0.3, p99: 1000 }));
    assert.equal(s.span, 2);
    assert.deepEqual(s.x, [0, 2]);
    assert.deepEqual(s.columns.rps, [5, 20]);
    assert.deepEqual(s.columns.failures, [0.5, 2]);
    assert.deepEqual(s.columns.p99, [3, 1000]);
    assert.deepEqual(s.columns.activeVus, [101, 103]);
    // A point made of a partial second alone has no rate; the legend then shows the one before.
    const t = new Series(4);
    t.push(second(0));
    t.push(second(1, { rps: null, seconds: 0.5 }));
    assert.deepEqual(t.columns.rps, [0, null]);
    assert.equal(t.lastWholeIndex, 0);
  });

  test('a live run of four hours: at most 3,600 points, each covering 4 s, dropped arrivals kept', () => {
    const s = new Series(MAX_LIVE_POINTS);
    for (let t = 0; t < 4 * 3600; t++) {
      s.push(second(t, { dropped: t % 2 }));
      if (s.length > MAX_LIVE_POINTS) assert.fail(`${s.length} points after ${t + 1} s`);
    }
    assert.equal(s.span, 4);
    assert.equal(s.length, 3600);
    assert.equal(s.x.at(-1), 4 * 3600 - 4);
    assert.equal(s.hasDropped, true);
    assert.equal(s.columns.dropped[0], 0.5);
    for (const c of Object.values(s.columns)) assert.equal(c.length, s.length);
  });

  test('a cap must be even: merging pairs has to leave whole points', () => {
    assert.throws(() => new Series(7), /even number/);
  });
});
