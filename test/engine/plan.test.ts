/**
 * The plan: per-VU seeded streams, weighted choice, [sequence] walking, think time, every
 * schedule as a function of time, and the plan hash. Pure functions: no network.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PlanTables, VuPlan, WeightTable } from '../../engine/plan/choice';
import { buildPlan, formatPlan, HASH_DECISIONS, planHash, streamDecisions } from '../../engine/plan/plan';
import { PLAN_STREAMS, Rng, TEMPLATE_STREAMS } from '../../engine/plan/prng';
import { ArrivalCurve, arrivalRate, targetVus } from '../../engine/plan/schedule';
import type { Scenario } from '../../engine/scenario/model';
import { scenarioFrom } from './helpers';

const URL_ = 'http://127.0.0.1:9';

function weighted(weights: number[], extra = ''): string {
  return `[runtime]\nduration_seconds = 10\nvus = 4\n[target]\nbase_url = "${URL_}"\n` +
    weights.map((w, i) => `[[requests]]\nname = "r${i}"\npath = "/r${i}"\nweight = ${w}\n`).join('') + extra;
}

describe('PRNG streams', () => {
  test('plan streams are the ones every earlier version drew (so plan hashes of existing scenarios stay)', () => {
    // First outputs recorded from prng.ts before stream families existed (commit 32c5a46).
    const before: Record<string, number[]> = {
      '0/0': [3310391421, 1379547916, 1289325163], '42/3': [1606901357, 4278910647, 536544917],
      '4294967296/1': [333806813, 309553461, 3133719286], '9007199254740991/99999': [1671261741, 3076068903, 1649909946],
    };
    for (const [key, want] of Object.entries(before)) {
      const [seed, stream] = key.split('/').map(Number) as [number, number];
      for (const r of [new Rng(seed, stream), new Rng(seed, stream, PLAN_STREAMS)]) assert.deepEqual([r.nextU32(), r.nextU32(), r.nextU32()], want, key);
    }
  });

  test('template streams differ from every plan stream of the first VUs, and reseed() restarts a stream', () => {
    const first = (r: Rng) => [r.nextU32(), r.nextU32()].join(',');
    const plan = new Set(Array.from({ length: 1000 }, (_, v) => first(new Rng(42, v))));
    for (let v = 0; v < 1000; v++) assert.ok(!plan.has(first(new Rng(42, v, TEMPLATE_STREAMS))), `VU ${v}`);
    const r = new Rng(1, 2, TEMPLATE_STREAMS);
    r.nextU32();
    r.reseed(42, 7, TEMPLATE_STREAMS);
    assert.equal(first(r), first(new Rng(42, 7, TEMPLATE_STREAMS)));
  });

  test('same seed and stream → same numbers; other stream or seed → different', () => {
    const take = (seed: number, stream: number) => Array.from({ length: 8 }, ((r) => () => r.nextU32())(new Rng(seed, stream)));
    assert.deepEqual(take(42, 0), take(42, 0));
    assert.notDeepEqual(take(42, 0), take(42, 1));
    assert.notDeepEqual(take(42, 0), take(43, 0));
    // Seeds above 32 bits still matter (the high half is folded in, not dropped).
    assert.notDeepEqual(take(2 ** 40, 0), take(2 ** 40 + 2 ** 33, 0));
  });

  test('the whole seed (up to 2^53 - 1) picks the stream: no two seeds share one', () => {
    const take = (seed: number, stream: number) => Array.from({ length: 8 }, ((r) => () => r.nextU32())(new Rng(seed, stream)));
    const key = (seed: number, stream: number) => take(seed, stream).join(',');
    // These two collided when the high 32 bits were folded into the low ones by xor-multiply.
    assert.notEqual(key(4294967296, 0), key(668265261, 0));
    // Seeds that differ only in their high 21 bits (low 32 bits equal), and 2^53 - 1 itself.
    const seen = new Map<string, string>();
    const add = (seed: number, stream: number) => {
      const k = key(seed, stream);
      assert.equal(seen.get(k), undefined, `seed ${seed} stream ${stream} repeats ${seen.get(k)}`);
      seen.set(k, `seed ${seed} stream ${stream}`);
    };
    for (const lo of [0, 1, 668265261, 0xffffffff]) {
      for (let hi = 0; hi < 64; hi++) add(hi * 2 ** 32 + lo, 0);
      for (let bit = 6; bit < 21; bit++) add(2 ** (32 + bit) + lo, 0);
    }
    add(Number.MAX_SAFE_INTEGER, 0);
    // A seed's streams differ from each other and from the streams of neighbouring seeds.
    for (let stream = 1; stream < 64; stream++) for (const seed of [0, 1, 2 ** 32]) add(seed, stream);
    // Same (seed, stream), same numbers, also for seeds above 32 bits.
    assert.equal(key(Number.MAX_SAFE_INTEGER, 3), key(Number.MAX_SAFE_INTEGER, 3));
  });

  test('uniform in [0, 1): mean and spread of 200 000 draws', () => {
    const r = new Rng(7, 3);
    let sum = 0;
    let min = 1;
    let max = 0;
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 200_000; i++) {
      const x = r.next();
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
      buckets[Math.floor(x * 10)]++;
    }
    assert.ok(min >= 0 && max < 1);
    assert.ok(Math.abs(sum / 200_000 - 0.5) < 0.005, `mean ${sum / 200_000}`);
    for (const b of buckets) assert.ok(Math.abs(b / 20_000 - 1) < 0.05, `bucket ${b}`);
  });
});

describe('weighted choice', () => {
  for (const weights of [[0.3, 0.7], [9, 1], [70, 20, 10], [1, 0, 3]]) {
    test(`shares of ${weights.join('/')} over 100 000 seeded choices are within 1 point`, () => {
      const s = scenarioFrom(weighted(weights));
      const tables = new PlanTables(s);
      const counts = new Array(weights.length).fill(0);
      const n = 100_000;
      // Spread over several VUs, as a run does.
      for (let vu = 0; vu < 4; vu++) {
        const p = new VuPlan(tables, 1234, vu);
        for (let i = 0; i < n / 4; i++) counts[p.next()]++;
      }
      const total = weights.reduce((a, b) => a + b, 0);
      weights.forEach((w, i) => assert.ok(Math.abs(counts[i] / n - w / total) < 0.01, `r${i}: ${counts[i] / n} vs ${w / total}`));
      if (weights.includes(0)) assert.equal(counts[weights.indexOf(0)], 0, 'weight 0 is never chosen');
      assert.deepEqual(tables.mix(weights.length).map((x) => Math.round(x * 1000) / 1000), weights.map((w) => Math.round((w / total) * 1000) / 1000));
    });
  }

  test('1000 requests: binary search picks the right bucket at the edges', () => {
    const t = new WeightTable(Array.from({ length: 1000 }, () => 1));
    assert.equal(t.pick(0), 0);
    assert.equal(t.pick(0.0005), 0);
    assert.equal(t.pick(0.0015), 1);
    assert.equal(t.pick(0.9999999), 999);
  });

  test('all weights 0 is refused with a clear message', () => {
    assert.throws(() => new WeightTable([0, 0]), /sum to 0/);
  });
});

describe('sequence', () => {
  test('steps in order, each repeated, wrapping around; an iteration is one pass', () => {
    const s = scenarioFrom(weighted([1, 1, 1]) + '[sequence]\ntype = "ordered"\n[[sequence.steps]]\nrequest = "r2"\n[[sequence.steps]]\nrequest = "r0"\nrepeat = 3\n[[sequence.steps]]\nrequest = "r1"\nrepeat = 2\n');
    const p = new VuPlan(new PlanTables(s), 99, 0);
    const order: number[] = [];
    const iterations: number[] = [];
    for (let i = 0; i < 14; i++) {
      order.push(p.next());
      iterations.push(p.iterations);
    }
    assert.deepEqual(order, [2, 0, 0, 0, 1, 1, 2, 0, 0, 0, 1, 1, 2, 0]);
    assert.deepEqual(iterations, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2]);
    assert.deepEqual(new PlanTables(s).mix(3), [3 / 6, 2 / 6, 1 / 6]);
  });
});

describe('think time', () => {
  test('constant: always duration_ms', () => {
    const s = scenarioFrom(weighted([1]) + '[think_time]\ntype = "constant"\nduration_ms = 250\n');
    const p = new VuPlan(new PlanTables(s), 1, 0);
    for (let i = 0; i < 100; i++) {
      p.next();
      assert.equal(p.thinkMs, 250);
    }
  });

  test('random: integers in [min, max], every value reachable, mean in the middle, seeded', () => {
    const s = scenarioFrom(weighted([1, 1]) + '[think_time]\ntype = "random"\nmin_ms = 10\nmax_ms = 20\n');
    const tables = new PlanTables(s);
    const draws = (seed: number, vu: number) => {
      const p = new VuPlan(tables, seed, vu);
      return Array.from({ length: 20_000 }, () => (p.next(), p.thinkMs));
    };
    const a = draws(5, 0);
    assert.ok(a.every((x) => Number.isInteger(x) && x >= 10 && x <= 20));
    assert.equal(new Set(a).size, 11);
    const mean = a.reduce((x, y) => x + y, 0) / a.length;
    assert.ok(Math.abs(mean - 15) < 0.1, `mean ${mean}`);
    assert.deepEqual(draws(5, 0), a);
    assert.notDeepEqual(draws(5, 1), a);
  });

  test('no [think_time]: zero', () => {
    const p = new VuPlan(new PlanTables(scenarioFrom(weighted([1]))), 1, 0);
    p.next();
    assert.equal(p.thinkMs, 0);
  });
});

describe('schedules as functions of time', () => {
  const sched = (toml: string) => scenarioFrom(`[target]\nbase_url = "${URL_}"\n[[requests]]\npath = "/"\n${toml}`).schedule;

  test('constant', () => {
    const s = sched('[runtime]\nduration_seconds = 5\nvus = 7\n');
    assert.deepEqual([0, 2.5, 4.99, 100].map((t) => targetVus(s, t)), [7, 7, 7, 7]);
  });

  test('ramp: linear from start to end, then held', () => {
    const s = sched('[schedule]\ntype = "ramp"\nstart_vus = 2\nend_vus = 12\nramp_duration_seconds = 10\nhold_duration_seconds = 5\n');
    assert.deepEqual([0, 1, 5, 9.9, 10, 14, 30].map((t) => targetVus(s, t)), [2, 3, 7, 12, 12, 12, 12]);
  });

  test('ramp with only vus ramps 0 → vus over the run', () => {
    const s = sched('[runtime]\nduration_seconds = 10\n[schedule]\ntype = "ramp"\nvus = 10\n');
    assert.deepEqual([0, 5, 10].map((t) => targetVus(s, t)), [0, 5, 10]);
  });

  test('spike: baseline, spike, baseline again', () => {
    const s = sched('[schedule]\ntype = "spike"\nbaseline_vus = 2\nspike_vus = 20\nspike_start_seconds = 3\nspike_duration_seconds = 2\n');
    assert.deepEqual([0, 2.9, 3, 4.9, 5, 7].map((t) => targetVus(s, t)), [2, 2, 20, 20, 2, 2]);
  });

  test('steps: each level for its duration, the last one held', () => {
    const s = sched('[schedule]\ntype = "steps"\n[[schedule.steps]]\nvus = 1\nduration_seconds = 2\n[[schedule.steps]]\nvus = 4\nduration_seconds = 3\n[[schedule.steps]]\nvus = 2\nduration_seconds = 1\n');
    assert.deepEqual([0, 1.9, 2, 4.9, 5, 5.9, 9].map((t) => targetVus(s, t)), [1, 1, 4, 4, 2, 2, 2]);
  });

  test('arrival_rate: constant rate; arrival k at k / rate', () => {
    const s = sched('[runtime]\nduration_seconds = 10\n[schedule]\ntype = "arrival_rate"\nrate = 40\nmax_in_flight = 5\n');
    assert.equal(arrivalRate(s, 3), 40);
    const c = new ArrivalCurve(s);
    assert.equal(c.timeOf(0), 0);
    assert.equal(c.timeOf(40), 1);
    assert.equal(c.count(10), 400);
  });

  test('ramp_arrival_rate: linear rate, then held; count and timeOf are inverses', () => {
    const s = sched('[schedule]\ntype = "ramp_arrival_rate"\nstart_rate = 10\nend_rate = 50\nramp_duration_seconds = 4\nhold_duration_seconds = 2\n');
    assert.deepEqual([0, 2, 4, 5].map((t) => arrivalRate(s, t)), [10, 30, 50, 50]);
    const c = new ArrivalCurve(s);
    // ∫ over the ramp = (10 + 50) / 2 · 4 = 120, then 50/s.
    assert.equal(c.count(4), 120);
    assert.equal(c.count(6), 220);
    for (const k of [1, 7, 60, 119, 120, 121, 200]) assert.ok(Math.abs(c.count(c.timeOf(k)) - k) < 1e-9, `k=${k}`);
    // Decreasing ramp too.
    const d = new ArrivalCurve(sched('[schedule]\ntype = "ramp_arrival_rate"\nstart_rate = 50\nend_rate = 0\nramp_duration_seconds = 4\n'));
    for (const k of [1, 50, 99]) assert.ok(Math.abs(d.count(d.timeOf(k)) - k) < 1e-9, `k=${k}`);
    assert.equal(d.timeOf(101), Infinity);
  });
});

describe('plan preview and hash', () => {
  const text = weighted([70, 20, 10], '[think_time]\ntype = "random"\nmin_ms = 0\nmax_ms = 100\n');

  test('same seed → same hash; different seed → different hash', () => {
    const s = scenarioFrom(text);
    assert.equal(planHash(s, 42), planHash(s, 42));
    assert.notEqual(planHash(s, 42), planHash(s, 43));
    assert.match(planHash(s, 42), /^[0-9a-f]{64}$/);
  });

  test('a different scenario (weights) changes the hash for the same seed', () => {
    assert.notEqual(planHash(scenarioFrom(text), 42), planHash(scenarioFrom(weighted([60, 30, 10])), 42));
  });

  // Each term of the hash on its own: two inputs that differ only in that term (the second one
  // keeps the first one's source hash) must hash differently, or the hash could hide a change.
  const base = (extra: string) => `[target]\nbase_url = "${URL_}"\n[[requests]]\nname = "a"\npath = "/a"\n${extra}`;
  const sameSource = (a: Scenario, b: Scenario): Scenario => ({ ...b, source: a.source });
  const differOnly = (textA: string, textB: string, seed = 42) => {
    const a = scenarioFrom(textA);
    assert.equal(planHash(a, seed), planHash(scenarioFrom(textA), seed), 'the same input gives the same hash');
    assert.notEqual(planHash(a, seed), planHash(sameSource(a, scenarioFrom(textB)), seed));
  };

  test('the same inputs, parsed twice, give the same hash', () => {
    const t = weighted([1, 2], '[think_time]\ntype = "random"\nmin_ms = 0\nmax_ms = 9\n');
    assert.equal(planHash(scenarioFrom(t), 7), planHash(scenarioFrom(t), 7));
  });

  test('hash term: the scenario source', () => {
    const a = scenarioFrom(base('[runtime]\nduration_seconds = 10\n'));
    assert.notEqual(planHash(a, 42), planHash({ ...a, source: { ...a.source, hash: 'other' } }, 42));
  });

  test('hash term: the seed (one request, no think time: every decision is the same)', () => {
    const a = scenarioFrom(base('[runtime]\nduration_seconds = 10\nvus = 2\n'));
    assert.notEqual(planHash(a, 1), planHash(a, 2));
  });

  test('hash term: the schedule (same peak, same duration)', () => {
    differOnly(
      base('[runtime]\nduration_seconds = 10\nvus = 2\n'),
      base('[runtime]\nduration_seconds = 10\nvus = 2\n[schedule]\ntype = "ramp"\nstart_vus = 0\nend_vus = 2\nramp_duration_seconds = 10\n'),
    );
  });

  test('hash term: the duration', () => {
    differOnly(base('[runtime]\nduration_seconds = 10\n'), base('[runtime]\nduration_seconds = 11\n'));
  });

  test('hash term: the iterations', () => {
    differOnly(base('[runtime]\niterations = 5\n'), base('[runtime]\niterations = 6\n'));
  });

  test('hash term: the think times (the request choices stay the same)', () => {
    const think = (ms: number) => base(`[runtime]\nduration_seconds = 10\nvus = 2\n[think_time]\ntype = "constant"\nduration_ms = ${ms}\n`);
    differOnly(think(100), think(200));
  });

  /**
   * Two requests, weights [1, 1] against [m, 1 - m]: picks differ only for draws between 0.5 and
   * m. Finds a seed and an m such that only VU `vu` (of two) has such a draw among the draws
   * the hash covers, so the two scenarios differ only in that VU's decisions.
   */
  function onlyVuDiffers(vu: 0 | 1): { seed: number; m: number } {
    const draws = (seed: number, v: number) => ((r) => Array.from({ length: HASH_DECISIONS }, () => r.next()))(new Rng(seed, v));
    for (let seed = 1; seed < 1000; seed++) {
      const all = [...draws(seed, 0).map((u) => ({ u, v: 0 })), ...draws(seed, 1).map((u) => ({ u, v: 1 }))]
        .filter((d) => d.u >= 0.5)
        .sort((x, y) => x.u - y.u);
      // The lowest draws at or above 0.5 belong to `vu`; m lies between the first and the second.
      if (all.length >= 2 && all[0]!.v === vu && all[0]!.u > 0.5) return { seed, m: (all[0]!.u + all[1]!.u) / 2 };
    }
    throw new Error('no seed found');
  }

  for (const vu of [0, 1] as const) {
    test(`hash term: the decisions of VU ${vu} alone`, () => {
      const { seed, m } = onlyVuDiffers(vu);
      const two = (w: [number, number]) =>
        `[runtime]\nduration_seconds = 10\nvus = 2\n[target]\nbase_url = "${URL_}"\n` +
        `[[requests]]\nname = "a"\npath = "/a"\nweight = ${w[0]}\n[[requests]]\nname = "b"\npath = "/b"\nweight = ${w[1]}\n`;
      const a = scenarioFrom(two([1, 1]));
      const b = scenarioFrom(two([m, 1 - m]));
      // The premise: exactly VU `vu`'s decisions differ.
      for (const v of [0, 1]) {
        const da = streamDecisions(new PlanTables(a), seed, v, HASH_DECISIONS);
        const db = streamDecisions(new PlanTables(b), seed, v, HASH_DECISIONS);
        if (v === vu) assert.notDeepEqual(da, db);
        else assert.deepEqual(da, db);
      }
      differOnly(two([1, 1]), two([m, 1 - m]), seed);
    });
  }

  test('preview of rendered requests: only with templates; the run\'s draws; secrets masked; a missing value named', () => {
    assert.equal(buildPlan(scenarioFrom(`[runtime]\nduration_seconds = 1\n[target]\nbase_url = "${URL_}"\n[[requests]]\npath = "/a"\n`), 1).rendered, undefined);
    const s = scenarioFrom(`[runtime]\nduration_seconds = 1\nvus = 3\n[target]\nbase_url = "${URL_}/v1"\n[vars]\nk = { value = "hidden", secret = true }\nu = "shown"\n` +
      '[[requests]]\nname = "a"\npath = "/a/{{ vu }}/{{ iteration }}/{{ random_int(1, 1000000) }}"\nheaders = { A = "{{ env.T }}:{{ u }}", B = "{{ url_encode(k) }}" }\nbody = \'{{ json_encode(env.T) }}\'\n' +
      '[[requests]]\nname = "b"\npath = "/b?m={{ env.NOPE }}"\n');
    const p = buildPlan(s, 5, { env: { T: 'tok' } });
    assert.equal(p.rendered!.length, 6, 'first 3 requests of the first 2 VUs');
    assert.deepEqual(new Set(p.rendered!.map((r) => r.name)), new Set(['a', 'b']), 'the seed shows both requests');
    for (const vu of [0, 1]) {
      const plan = new VuPlan(new PlanTables(s), 5, vu);
      const rng = new Rng(5, vu, TEMPLATE_STREAMS);
      const mine = p.rendered!.filter((r) => r.vu === vu);
      mine.forEach((r, it) => {
        assert.equal(r.name, plan.next() === 0 ? 'a' : 'b');
        assert.equal(r.iteration, it);
        if (r.name === 'a') {
          assert.equal(r.path, `/v1/a/${vu}/${it}/${1 + Math.floor(rng.next() * 1000000)}`);
          assert.deepEqual(r.headers, { A: '***:shown', B: '***' });
          assert.equal(r.body, '***');
        } else assert.equal(r.missing, 'env.NOPE is not set');
      });
    }
    assert.ok(!JSON.stringify(p).includes('tok') && !JSON.stringify(p).includes('hidden'));
    assert.match(formatPlan(p), /VU 0 it 0 {2}(a: GET \/v1\/a\/0\/0\/\d+|b: not sent: env\.NOPE is not set)/);
  });

  test('preview: timeline, mix, duration, first requests, text', () => {
    const s = scenarioFrom(`[target]\nbase_url = "${URL_}"\n[[requests]]\nname = "a"\npath = "/a"\nweight = 3\n[[requests]]\nname = "b"\npath = "/b"\n` +
      '[schedule]\ntype = "ramp"\nstart_vus = 0\nend_vus = 10\nramp_duration_seconds = 10\nhold_duration_seconds = 10\n');
    const p = buildPlan(s, 9);
    assert.equal(p.durationSeconds, 20);
    assert.equal(p.peak, 10);
    assert.deepEqual(p.mix.map((m) => m.share), [0.75, 0.25]);
    assert.equal(p.timeline[0]!.value, 0);
    assert.equal(p.timeline.find((x) => x.t === 10)!.value, 10);
    assert.equal(p.timeline.at(-1)!.value, 10);
    assert.equal(p.firstRequests.length, 12);
    const txt = formatPlan(p);
    assert.match(txt, /plan hash {2}[0-9a-f]{64}/);
    assert.match(txt, /a\s+75\.0 %/);
  });
});
