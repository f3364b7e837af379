/**
 * Segments in real runs against one loopback server, which records what every request carried
 * (the segment it came from, given to each as env.SEG so the scenario stays one file, ({{ vu }}, {{ iteration }} — the arrival number in the open model —, the
 * request, the data row). The servers together must have seen exactly what one process running
 * the whole plan sends: each VU in one segment with the whole plan's decisions, each arrival once
 * with its choice, each unique data row once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runScenario } from '../../engine/run';
import { PlanTables, VuPlan } from '../../engine/plan/choice';
import { buildPlan, streamDecisions } from '../../engine/plan/plan';
import { ArrivalCurve } from '../../engine/plan/schedule';
import { SegmentArrivals } from '../../engine/segments/arrivals';
import { WHOLE, type Segment } from '../../engine/segments/segment';
import type { Results } from '../../engine/metrics/results-types';
import type { Scenario } from '../../engine/scenario/model';
import { decode, type Histogram } from '../../engine/metrics/histogram';
import { checkSegments, mergeSegments } from '../../engine/segments/merge';
import { assertAccounted, httpServer, scenarioFrom, type Listening } from './helpers';

interface Seen {
  segment: number;
  request: string;
  vu: number;
  it: number;
  user: string;
}

/** A server that records every request, and which segment sent it. */
async function recorder(): Promise<Listening & { seen: Seen[] }> {
  const seen: Seen[] = [];
  const l = await httpServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    seen.push({ segment: Number(req.headers['x-seg']), request: u.pathname.slice(1), vu: Number(req.headers['x-vu']), it: Number(req.headers['x-it']), user: u.searchParams.get('user') ?? '' });
    res.writeHead(200, { 'content-length': 2 });
    res.end('ok');
  });
  return { ...l, seen };
}

/**
 * The p-th percentile of all the values recorded in `hs`, as summarize() reports it: the value of
 * rank ⌈p/100 · N⌉ in the pooled, sorted recorded values, at the top of its HDR bucket, at most the max.
 */
/** hdr-histogram-js has these at run time; its typings leave them out. */
type Iterable = Histogram & { recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } }; highestEquivalentValue(v: number): number };

function pooledPercentile(list: Histogram[], p: number): number {
  const hs = list as Iterable[];
  const values: [number, number][] = [];
  for (const h of hs) {
    const it = h.recordedValuesIterator;
    it.reset();
    while (it.hasNext()) {
      const v = it.next();
      values.push([v.valueIteratedTo, v.countAtValueIteratedTo]);
    }
  }
  values.sort((a, b) => a[0] - b[0]);
  const total = values.reduce((a, [, c]) => a + c, 0);
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  const max = Math.max(...hs.map((h) => h.maxValue));
  for (const [v, c] of values) {
    seen += c;
    if (seen >= rank) return Math.round(Math.min(hs[0]!.highestEquivalentValue(v), max)) / 1000;
  }
  throw new Error('no samples');
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'z6-segments-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const REQUESTS = ['a', 'b', 'c'].map((n, k) =>
  `[[requests]]\nname = "${n}"\npath = "/${n}?user={{ USER }}"\nweight = ${k + 1}\nheaders = { X-Vu = "{{ vu }}", X-It = "{{ iteration }}", X-Seg = "{{ env.SEG }}" }\n`).join('');

/** The scenario text aimed at url; USER is a data column or a constant. */
function scenarioText(url: string, body: string, user = '"-"'): string {
  const vars = user.startsWith('"') ? `[vars]\nuser = ${user}\n` : '';
  return `[target]\nbase_url = "${url}"\n${body}\n${vars}${REQUESTS.replaceAll('USER', user.startsWith('"') ? 'user' : user)}`;
}

/** Runs segments 0..n-1 of one scenario at once, in this process; what the server saw, by segment. */
async function runSegments(body: string, n: number, user?: string): Promise<{ results: Results[]; seen: Seen[][]; scenario: Scenario }> {
  const server = await recorder();
  try {
    const scenario = scenarioFrom(scenarioText(server.url, body, user), join(dir, 'scenario.z6.toml'));
    const results = await Promise.all(Array.from({ length: n }, (_, index) => {
      const segment: Segment = { index, count: n };
      return runScenario(scenario, { segment, env: { SEG: String(index) } });
    }));
    return { results, seen: Array.from({ length: n }, (_, i) => server.seen.filter((x) => x.segment === i)), scenario };
  } finally {
    await server.close();
  }
}

describe('segments in real runs', () => {
  test('closed model, 7 VUs in 3 segments (3 + 2 + 2): each VU in one segment, sending the whole plan\'s requests', async () => {
    const body = '[runtime]\nvus = 7\niterations = 6\nprng_seed = 4242';
    const { results, seen, scenario } = await runSegments(body, 3);
    const tables = new PlanTables(scenario);
    const byVu = new Map<number, { segment: number; requests: string[] }>();
    seen.forEach((list, segment) => {
      for (const s of list) {
        const v = byVu.get(s.vu) ?? { segment, requests: [] };
        assert.equal(v.segment, segment, `VU ${s.vu} sent from segments ${v.segment} and ${segment}`);
        v.requests[s.it] = s.request;
        byVu.set(s.vu, v);
      }
    });
    assert.deepEqual([...byVu.keys()].sort(), [0, 1, 2, 3, 4, 5, 6], 'every VU of the plan, once');
    for (const [vu, v] of byVu) {
      assert.equal(v.segment, vu % 3, `VU ${vu} runs in segment ${vu % 3}`);
      const want = [...streamDecisions(tables, 4242, vu, 6)].filter((_, j) => j % 2 === 0).map((q) => scenario.requests[q]!.name);
      assert.deepEqual(v.requests, want, `VU ${vu}: the whole plan's requests, in order`);
    }
    assert.deepEqual(results.map((r) => r.totals.issued), [18, 12, 12]);
    assert.deepEqual(results.map((r) => r.schedule.peakVus), [3, 2, 2]);
    assert.deepEqual(results.map((r) => r.segment), [{ index: 0, count: 3 }, { index: 1, count: 3 }, { index: 2, count: 3 }]);
    results.forEach(assertAccounted);
  });

  test('open model, 3 segments: every arrival once, in the segment that owns it, making the whole plan\'s choice', async () => {
    const body = '[runtime]\nduration_seconds = 1\nprng_seed = 99\n[schedule]\ntype = "arrival_rate"\nrate = 150\nmax_in_flight = 300';
    const { results, seen, scenario } = await runSegments(body, 3);
    const whole = new SegmentArrivals(new ArrivalCurve(scenario.schedule), new VuPlan(new PlanTables(scenario), 99, 0), WHOLE);
    const planned: string[] = [];
    for (; whole.at < 1; whole.advance()) planned.push(scenario.requests[whole.req]!.name);
    assert.equal(planned.length, 150);
    const got = new Map<number, string>();
    seen.forEach((list, segment) => {
      for (const s of list) {
        assert.equal(s.it % 3, segment, `arrival ${s.it} came from segment ${segment}`);
        assert.ok(!got.has(s.it), `arrival ${s.it} sent twice`);
        got.set(s.it, s.request);
      }
    });
    // Nothing may be dropped here (100 slots each for 50/s of 1 ms responses), or the comparison would have holes.
    assert.deepEqual(results.map((r) => r.totals.dropped), [0, 0, 0]);
    assert.deepEqual([...got.keys()].sort((a, b) => a - b), planned.map((_, k) => k), 'arrivals 0..149, each once');
    for (const [k, name] of got) assert.equal(name, planned[k], `arrival ${k}`);
    assert.deepEqual(results.map((r) => r.totals.issued), [50, 50, 50]);
    results.forEach(assertAccounted);

    // Merged, the latency and the scheduling lag are the pooled samples' percentiles: computed here
    // from every segment's recorded values by rank, without hdr-histogram-js's add().
    const inputs = results.map((r, i) => ({ file: `segment ${i}`, results: r }));
    const merged = mergeSegments(inputs, scenario, checkSegments(inputs, false));
    for (const [figure, of] of [['latency', (r: Results) => r.histograms.latency], ['schedulingLag', (r: Results) => r.histograms.schedulingLag!]] as const) {
      const pooled = results.map((r) => decode(of(r)));
      const m = figure === 'latency' ? merged.latency : merged.schedulingLag!;
      for (const [p, key] of [[50, 'p50'], [99, 'p99']] as const) {
        if (figure === 'schedulingLag' && key === 'p50') continue;
        assert.equal(m[key as 'p99'], pooledPercentile(pooled, p), `${figure} ${key}`);
      }
      assert.equal(m.max, Math.max(...pooled.map((h) => Math.round(h.maxValue) / 1000)), `${figure} max`);
    }
  });

  test('a unique data file: the segments take disjoint rows (i, i+n, …), together each row once', async () => {
    const rows = Array.from({ length: 24 }, (_, i) => `user${i}`);
    writeFileSync(join(dir, 'users.csv'), `username\n${rows.join('\n')}\n`);
    // 5 VUs × 4 iterations = 20 rows of 24; uneven over 2 segments (3 VUs and 2).
    const body = '[runtime]\nvus = 5\niterations = 4\nprng_seed = 3\n[[data]]\nfile = "users.csv"\nmode = "unique"\non_exhausted = "stop_run"';
    const { results, seen } = await runSegments(body, 2, 'username');
    const users = seen.map((list) => list.map((s) => Number(s.user.slice(4))));
    for (const [i, u] of users.entries()) for (const row of u) assert.equal(row % 2, i, `segment ${i} drew row ${row}`);
    const all = users.flat().sort((a, b) => a - b);
    assert.equal(new Set(all).size, all.length, `a row used twice: ${all.join(',')}`);
    assert.equal(all.length, 20);
    assert.deepEqual(results.map((r) => r.data![0]!.drawn), [12, 8]);
  });

  test('z6 plan --segment previews the segment\'s own VUs, with its streams and its stripe of the rows', () => {
    writeFileSync(join(dir, 'users.csv'), `username\n${Array.from({ length: 24 }, (_, i) => `user${i}`).join('\n')}\n`);
    const body = '[runtime]\nvus = 5\niterations = 4\nprng_seed = 3\n[[data]]\nfile = "users.csv"\nmode = "unique"';
    const s = scenarioFrom(scenarioText('http://127.0.0.1:9', body, 'username'), join(dir, 'scenario.z6.toml'));
    const rendered = buildPlan(s, 3, { segment: { index: 1, count: 2 }, env: { SEG: '1' } }).rendered!;
    // VU 1, then VU 3 (the segment's first two), three iterations each; the segment's draws are 1, 3, 5, ….
    assert.deepEqual(rendered.map((r) => r.vu), [1, 1, 1, 3, 3, 3]);
    assert.deepEqual(rendered.map((r) => r.path.replace(/^.*user=/, '')), ['user1', 'user3', 'user5', 'user7', 'user9', 'user11']);
    const tables = new PlanTables(s);
    const want = [1, 3].flatMap((vu) => [...streamDecisions(tables, 3, vu, 3)].filter((_, j) => j % 2 === 0).map((q) => s.requests[q]!.name));
    assert.deepEqual(rendered.map((r) => r.name), want);
  });
});
