/**
 * Segments (engine/segments/): for random scenarios of every schedule type and every n from 1 to
 * 7, the segments' plans add up to exactly the whole plan — at every moment the VUs running across
 * the segments are the whole plan's, each in one segment; the arrivals likewise; the hash parts
 * combine into the whole plan's hash. Then real runs against a loopback server show the runner
 * keeps to it: each VU's requests, and the open model's request counts, are the whole run's.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { combinePlanHash, planHash, planHashParts } from '../../engine/plan/plan';
import { ArrivalCurve, modelOf, peakOf, targetVus } from '../../engine/plan/schedule';
import { Rng } from '../../engine/plan/prng';
import { globalIndex, ownedCount, owns, parseSegment, shareOf, type Segment } from '../../engine/segments/segment';
import type { Results } from '../../engine/metrics/results-types';
import { ensureBuilt, httpServer, scenarioFrom, type Listening } from './helpers';

/** A random scenario text of the given schedule type (seeded, so a failure can be replayed). */
function randomScenario(type: string, rnd: () => number): string {
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const schedule: Record<string, string> = {
    constant: `type = "constant"\nvus = ${int(0, 40)}`,
    ramp: `type = "ramp"\nstart_vus = ${int(0, 20)}\nend_vus = ${int(0, 40)}\nramp_duration_seconds = ${int(1, 30)}\nhold_duration_seconds = ${int(0, 10)}`,
    spike: `type = "spike"\nbaseline_vus = ${int(0, 10)}\nspike_vus = ${int(1, 50)}\nspike_start_seconds = ${int(0, 10)}\nspike_duration_seconds = ${int(1, 10)}`,
    steps: `type = "steps"\n` + Array.from({ length: int(1, 4) }, () => `[[schedule.steps]]\nvus = ${int(0, 30)}\nduration_seconds = ${int(1, 8)}`).join('\n'),
    arrival_rate: `type = "arrival_rate"\nrate = ${int(1, 500)}\nmax_in_flight = ${int(1, 50)}`,
    ramp_arrival_rate: `type = "ramp_arrival_rate"\nstart_rate = ${int(0, 100)}\nend_rate = ${int(1, 400)}\nramp_duration_seconds = ${int(1, 20)}\nmax_in_flight = ${int(1, 50)}`,
  };
  const weights = Array.from({ length: int(1, 4) }, (_, k) => `[[requests]]\nname = "r${k}"\npath = "/r${k}"\nweight = ${int(1, 9)}`).join('\n');
  return `[runtime]\nduration_seconds = 40\nprng_seed = ${int(0, 1e6)}\n[target]\nbase_url = "http://127.0.0.1:9"\n${weights}\n` +
    `[think_time]\ntype = "random"\nmin_ms = 0\nmax_ms = ${int(1, 50)}\n[schedule]\n${schedule[type]}\n`;
}

const TYPES = ['constant', 'ramp', 'spike', 'steps', 'arrival_rate', 'ramp_arrival_rate'];
const segmentsOf = (n: number): Segment[] => Array.from({ length: n }, (_, index) => ({ index, count: n }));

describe('segments add up to the whole plan (property tests)', () => {
  const rng = new Rng(20261203, 0);
  const rnd = () => rng.next();
  for (const type of TYPES) {
    test(`${type}: 8 random scenarios × n = 1..7`, () => {
      for (let trial = 0; trial < 8; trial++) {
        const text = randomScenario(type, rnd);
        const s = scenarioFrom(text);
        const seed = s.runtime.seed!;
        for (let n = 1; n <= 7; n++) {
          const segs = segmentsOf(n);
          if (modelOf(s.schedule) === 'closed') {
            // At every moment (each tenth of a second) the VUs running in the segments are exactly
            // the whole plan's VUs 0..T-1, each in one segment, under its own global index.
            for (let t = 0; t <= 40; t += 0.1) {
              const whole = targetVus(s.schedule, t);
              const running = segs.flatMap((g) => Array.from({ length: ownedCount(g, whole) }, (_, j) => globalIndex(g, j)));
              assert.equal(running.length, whole, `${type} n=${n} t=${t}: ${running.length} VUs for ${whole}\n${text}`);
              assert.deepEqual([...running].sort((a, b) => a - b), Array.from({ length: whole }, (_, v) => v));
              for (const g of segs) assert.ok(Math.abs(ownedCount(g, whole) - whole / n) < 1, 'an even share at every moment');
            }
            assert.equal(segs.reduce((a, g) => a + ownedCount(g, peakOf(s.schedule)), 0), peakOf(s.schedule));
          } else {
            // Arrival k (at its time on the curve) belongs to exactly one segment.
            const curve = new ArrivalCurve(s.schedule);
            const total = Math.ceil(curve.count(40));
            const owned = segs.map((g) => Array.from({ length: ownedCount(g, total) }, (_, j) => globalIndex(g, j)));
            for (const [i, ks] of owned.entries()) for (const k of ks) assert.ok(owns(segs[i]!, k) && !segs.some((g, o) => o !== i && owns(g, k)));
            assert.deepEqual(owned.flat().sort((a, b) => a - b), Array.from({ length: total }, (_, k) => k));
            // max_in_flight is shared out: the parts add up to the cap (each at least 1).
            const cap = peakOf(s.schedule);
            if (cap >= n) assert.equal(segs.reduce((a, g) => a + shareOf(g, cap), 0), cap);
          }
          // The hash parts of all segments combine into the whole plan's hash; n-1 of them do not.
          const parts = segs.map((g) => planHashParts(s, seed, g));
          assert.equal(combinePlanHash(parts[0]!.header, parts.map((p) => p.part)), planHash(s, seed), `${type} n=${n}`);
          if (n > 1) assert.notEqual(combinePlanHash(parts[0]!.header, parts.slice(1).map((p) => p.part)), planHash(s, seed));
        }
      }
    });
  }

  test('i/n is 0-based and checked', () => {
    assert.deepEqual(parseSegment('0/4'), { index: 0, count: 4 });
    assert.deepEqual(parseSegment(' 3 / 4 '), { index: 3, count: 4 });
    assert.throws(() => parseSegment('4/4'), /0 <= i < n/);
    assert.throws(() => parseSegment('1/0'), /0 <= i < n/);
    assert.throws(() => parseSegment('a/b'), /i\/n/);
  });
});

// ---- real runs --------------------------------------------------------------------------------

const cli = join(__dirname, '../../dist/cli.js');
let tmp: string;
let server: Listening;
/** What the server saw: per VU (the x-vu header), the paths in order. */
let seen: Map<string, string[]>;

function z6(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('the runner keeps to the segment', () => {
  before(async () => {
    ensureBuilt();
    tmp = mkdtempSync(join(tmpdir(), 'z6-segments-'));
    server = await httpServer((req, res) => {
      const vu = String(req.headers['x-vu']);
      seen.set(vu, [...(seen.get(vu) ?? []), req.url!]);
      res.end('ok');
    });
  });
  after(() => server.close());

  test('closed model: each VU sends the same requests in the same order as in the whole run', async () => {
    // Iterations, not time: the whole plan is then a fixed list of requests per VU.
    const f = join(tmp, 'closed.z6.toml');
    writeFileSync(f, `[runtime]\nvus = 7\niterations = 12\nprng_seed = 99\n[target]\nbase_url = "${server.url}"\n` +
      `[[requests]]\nname = "a"\npath = "/a"\nweight = 5\nheaders = { "x-vu" = "{{ vu }}" }\n[[requests]]\nname = "b"\npath = "/b"\nweight = 3\nheaders = { "x-vu" = "{{ vu }}" }\n` +
      `[[requests]]\nname = "c"\npath = "/c"\nweight = 1\nheaders = { "x-vu" = "{{ vu }}" }\n`);
    seen = new Map();
    assert.equal((await z6(['run', f, '--quiet'])).code, 0);
    const whole = new Map(seen);
    assert.equal(whole.size, 7);
    seen = new Map();
    const codes = await Promise.all([0, 1, 2].map((i) => z6(['run', f, '--quiet', '--segment', `${i}/3`])));
    for (const c of codes) assert.equal(c.code, 0, c.out);
    assert.deepEqual(new Map([...seen].sort()), new Map([...whole].sort()));
  });

  test('open model: the segments together send what the whole run sends, request by request', async () => {
    const f = join(tmp, 'open.z6.toml');
    writeFileSync(f, `[runtime]\nduration_seconds = 2\nprng_seed = 5\n[target]\nbase_url = "${server.url}"\n[schedule]\ntype = "ramp_arrival_rate"\nstart_rate = 20\nend_rate = 120\nramp_duration_seconds = 2\nmax_in_flight = 60\n` +
      `[[requests]]\nname = "a"\npath = "/a"\nweight = 5\n[[requests]]\nname = "b"\npath = "/b"\nweight = 2\n[[requests]]\nname = "c"\npath = "/c"\nweight = 1\n`);
    const counts = async (args: string[][]) => {
      const per = new Map<string, number>();
      const runs = await Promise.all(args.map((a) => z6(['run', f, '--json', '--quiet', ...a])));
      for (const r of runs) {
        const res = JSON.parse(r.out.slice(0, r.out.lastIndexOf('}') + 1)) as Results;
        assert.equal(res.totals.dropped, 0, 'nothing dropped, so every arrival was sent');
        for (const q of res.requests) per.set(q.name, (per.get(q.name) ?? 0) + q.issued);
      }
      return per;
    };
    const whole = await counts([[]]);
    const split = await counts([['--segment', '0/3'], ['--segment', '1/3'], ['--segment', '2/3']]);
    assert.deepEqual(split, whole);
    // 2 s of a 20→120/s ramp: 140 arrivals.
    assert.equal([...whole.values()].reduce((a, b) => a + b, 0), 140);
  });

  test('a segment needs the shared seed; Z6_SEGMENT is read; a bad segment is a usage error', async () => {
    const f = join(tmp, 'unseeded.z6.toml');
    writeFileSync(f, `[runtime]\nduration_seconds = 1\nvus = 2\n[target]\nbase_url = "${server.url}"\n[[requests]]\nname = "a"\npath = "/a"\n`);
    let r = await z6(['run', f, '--segment', '0/2']);
    assert.equal(r.code, 2);
    assert.match(r.out, /segment 0\/2 needs the seed all segments share/);
    r = await z6(['run', f, '--segment', '2/2', '--seed', '1']);
    assert.equal(r.code, 2);
    assert.match(r.out, /--segment must be i\/n with 0 <= i < n/);
    const plan = JSON.parse(readFileSync(f, 'utf8') && (await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [cli, 'plan', f, '--seed', '3', '--json'], { cwd: tmp, env: { ...process.env, Z6_SEGMENT: '1/2' } });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.on('close', () => resolve(out));
    })));
    assert.deepEqual({ index: plan.segment.index, count: plan.segment.count }, { index: 1, count: 2 });
    assert.equal(plan.peak, 1);
  });
});
