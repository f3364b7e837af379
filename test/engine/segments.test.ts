/**
 * Segments (engine/segments/): for random scenarios of every schedule type and every n from 1 to
 * 7, the n segments' plans add up to exactly the one-process plan — the same VUs with the same
 * streams running at the same moments (closed model), the same arrivals at the same times making
 * the same choices (open model) — no unit is in two segments, every segment's share stays even
 * along the schedule, and the segments' hash parts combine to the whole plan's hash.
 *
 * The scenarios come from a seeded generator (so a failure names the case that reproduces it)
 * and go through the real validator; the arrivals are walked with SegmentArrivals, the class the
 * runner's pump uses, and the VUs with the functions the runner's adjust() uses. Then real runs
 * against a loopback server show the runner keeps to it: each VU's requests, and the open model's
 * request counts, are the whole run's (more in segments-run.test.ts: one server per segment).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PlanTables, VuPlan } from '../../engine/plan/choice';
import { buildPlan, combinePlanHash, planHash, planHashParts, streamDecisions } from '../../engine/plan/plan';
import { Rng } from '../../engine/plan/prng';
import { ArrivalCurve, breakpoints, modelOf, ownLength, peakOf, targetVus } from '../../engine/plan/schedule';
import { SCHEDULE_TYPES } from '../../engine/scenario/schema';
import type { Scenario } from '../../engine/scenario/model';
import { SegmentArrivals } from '../../engine/segments/arrivals';
import { globalIndex, ownedCount, owns, parseSegment, SegmentError, segmentOf, shareOf, WHOLE, type Segment } from '../../engine/segments/segment';
import type { Results } from '../../engine/metrics/results-types';
import { ensureBuilt, httpServer, scenarioFrom, type Listening } from './helpers';

const SEGMENT_COUNTS = [1, 2, 3, 4, 5, 6, 7];
/** Decisions compared per VU (the hash takes 64; the first ones are where a wrong stream shows). */
const DECISIONS = 16;
/** Arrivals walked per open scenario: enough for several laps of every n, quick for 7 segments. */
const MAX_ARRIVALS = 3000;

const segmentsOf = (n: number): Segment[] => Array.from({ length: n }, (_, index) => ({ index, count: n }));

/** A random scenario of the given schedule type, as TOML through the real validator. */
function randomScenario(r: Rng, type: string): { toml: string; scenario: Scenario } {
  const int = (lo: number, hi: number) => lo + Math.floor(r.next() * (hi - lo + 1));
  const requests = int(1, 4);
  const lines = ['[target]', 'base_url = "http://127.0.0.1:9"', '[runtime]'];
  const ownLength = type === 'ramp' || type === 'spike' || type === 'steps' || type === 'ramp_arrival_rate';
  // A schedule with its own length may leave the duration out; one given cuts it or holds its last level.
  if (!ownLength || r.next() < 0.5) lines.push(`duration_seconds = ${int(1, 40)}`);
  lines.push('[schedule]', `type = "${type}"`);
  switch (type) {
    case 'constant':
      lines.push(`vus = ${int(0, 40)}`);
      break;
    case 'ramp':
      lines.push(`start_vus = ${int(0, 30)}`, `end_vus = ${int(0, 30)}`, `ramp_duration_seconds = ${int(1, 20)}`, `hold_duration_seconds = ${int(0, 10)}`);
      break;
    case 'spike':
      lines.push(`baseline_vus = ${int(0, 10)}`, `spike_vus = ${int(0, 40)}`, `spike_start_seconds = ${int(0, 10)}`, `spike_duration_seconds = ${int(1, 10)}`);
      break;
    case 'steps':
      // Rising and falling levels, zeros included.
      for (let k = int(1, 5); k > 0; k--) lines.push('[[schedule.steps]]', `vus = ${int(0, 25)}`, `duration_seconds = ${int(1, 8)}`);
      break;
    case 'arrival_rate':
      lines.push(`rate = ${(r.next() * 300 + 0.5).toFixed(2)}`, `max_in_flight = ${int(1, 60)}`);
      break;
    case 'ramp_arrival_rate':
      lines.push(`start_rate = ${int(0, 100)}`, `end_rate = ${int(0, 300)}`, `ramp_duration_seconds = ${int(1, 20)}`, `hold_duration_seconds = ${int(0, 10)}`, `max_in_flight = ${int(1, 60)}`);
      break;
  }
  const think = r.next();
  if (think < 0.3) lines.push('[think_time]', 'type = "random"', 'min_ms = 0', `max_ms = ${int(1, 500)}`);
  else if (think < 0.5) lines.push('[think_time]', 'type = "constant"', `duration_ms = ${int(0, 200)}`);
  for (let k = 0; k < requests; k++) lines.push('[[requests]]', `name = "r${k}"`, `path = "/r${k}"`, `weight = ${int(1, 9)}`);
  if (requests > 1 && r.next() < 0.25) {
    lines.push('[sequence]', 'type = "ordered"');
    for (let k = 0; k < requests; k++) lines.push('[[sequence.steps]]', `request = "r${k}"`, `repeat = ${int(1, 3)}`);
  }
  const toml = lines.join('\n') + '\n';
  return { toml, scenario: scenarioFrom(toml) };
}

/** The moments where a VU can start or stop, and both sides of each, plus a grid in between. */
function sampleTimes(s: Scenario): number[] {
  const span = s.runtime.durationSeconds ?? ownLength(s.schedule)!;
  const ts = new Set<number>();
  for (const b of breakpoints(s.schedule, span)) for (const d of [-1e-6, 0, 1e-6]) if (b + d >= 0 && b + d < span) ts.add(b + d);
  for (let t = 0; t < span; t += 0.05) ts.add(t);
  return [...ts].sort((a, b) => a - b);
}

/** The global VUs segment seg runs at t: its local VUs 0..ownedCount-1, as the runner's adjust() starts them. */
function runningVus(seg: Segment, s: Scenario, t: number): number[] {
  return Array.from({ length: ownedCount(seg, targetVus(s.schedule, t)) }, (_, local) => globalIndex(seg, local));
}

interface Arrival {
  k: number;
  at: number;
  req: number;
}

/** The arrivals segment seg issues before the end of the run, among the plan's first MAX_ARRIVALS. */
function arrivalsOf(s: Scenario, seed: number, seg: Segment): Arrival[] {
  const end = s.runtime.durationSeconds ?? ownLength(s.schedule)!;
  const out: Arrival[] = [];
  const a = new SegmentArrivals(new ArrivalCurve(s.schedule), new VuPlan(new PlanTables(s), seed, 0), seg);
  for (; a.at < end && a.k < MAX_ARRIVALS; a.advance()) out.push({ k: a.k, at: a.at, req: a.req });
  return out;
}

/** Every segment's hash part combines (with the shared header) into the whole plan's hash. */
function assertHashesCombine(s: Scenario, seed: number, n: number, label: string): void {
  const whole = planHash(s, seed);
  const parts = segmentsOf(n).map((seg) => planHashParts(s, seed, seg));
  for (const p of parts) assert.equal(p.header, parts[0]!.header, `${label}: one header for every segment`);
  assert.equal(combinePlanHash(parts[0]!.header, parts.map((p) => p.part)), whole, `${label}: the parts combine to the whole plan's hash`);
  // In any order (each segment's part is written by its own process).
  assert.equal(combinePlanHash(parts[0]!.header, [...parts].reverse().map((p) => p.part)), whole, `${label}: order does not matter`);
  for (const seg of segmentsOf(n)) assert.equal(buildPlan(s, seed, { segment: seg }).hash, whole, `${label}: segment ${seg.index} shows the whole plan's hash`);
  if (n >= 2 && parts[1]!.part !== parts[0]!.part) {
    // A segment counted twice, or one left out, is not the whole plan.
    assert.notEqual(combinePlanHash(parts[0]!.header, [parts[0]!.part, parts[0]!.part, ...parts.slice(2).map((p) => p.part)]), whole, `${label}: a part twice`);
    assert.notEqual(combinePlanHash(parts[0]!.header, parts.slice(1).map((p) => p.part)), whole, `${label}: a part missing`);
  }
}

function checkClosed(s: Scenario, seed: number, n: number, label: string): void {
  const segs = segmentsOf(n);
  const tables = new PlanTables(s);
  const peak = peakOf(s.schedule);
  // Every VU of the plan is in exactly one segment, under its own global index.
  const owner = new Map<number, number>();
  for (const seg of segs) {
    for (let local = 0; local < ownedCount(seg, peak); local++) {
      const g = globalIndex(seg, local);
      assert.ok(g < peak, `${label}: segment ${seg.index} has VU ${g}, the plan only ${peak}`);
      assert.equal(owner.get(g), undefined, `${label}: VU ${g} is in segments ${owner.get(g)} and ${seg.index}`);
      assert.ok(owns(seg, g), `${label}: segment ${seg.index} runs VU ${g} but does not own it`);
      owner.set(g, seg.index);
    }
  }
  assert.equal(owner.size, peak, `${label}: every VU of the plan is in a segment`);
  // Their streams: the segment's VU makes the decisions the whole plan's VU of that index makes.
  for (const seg of segs) {
    for (let local = 0; local < Math.min(ownedCount(seg, peak), 40); local++) {
      const g = globalIndex(seg, local);
      const mine = new VuPlan(tables, seed, g);
      const whole = streamDecisions(tables, seed, g, DECISIONS);
      for (let d = 0; d < DECISIONS; d++) {
        assert.equal(mine.next(), whole[2 * d], `${label}: VU ${g} decision ${d}`);
        assert.equal(mine.thinkMs, whole[2 * d + 1], `${label}: VU ${g} think time ${d}`);
      }
    }
  }
  // At every moment the segments run exactly the plan's VUs 0..T-1 between them, each an even share:
  // so each VU starts and stops when the one-process plan starts and stops it.
  for (const t of sampleTimes(s)) {
    const target = targetVus(s.schedule, t);
    const running = segs.map((seg) => runningVus(seg, s, t));
    const all = running.flat().sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: target }, (_, g) => g), `${label}: VUs running at t=${t}`);
    const sizes = running.map((r) => r.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${label}: uneven shares ${sizes.join('/')} at t=${t}`);
  }
  // z6 plan --segment: the timeline and peak of the segments add up to the whole plan's.
  const whole = buildPlan(s, seed);
  const previews = segs.map((seg) => buildPlan(s, seed, { segment: seg }));
  assert.equal(previews.reduce((a, p) => a + p.peak, 0), whole.peak, `${label}: peaks`);
  whole.timeline.forEach((pt, k) => {
    assert.equal(previews.reduce((a, p) => a + p.timeline[k]!.value, 0), pt.value, `${label}: timeline at ${pt.t}`);
  });
  for (const [i, p] of previews.entries()) {
    if (ownedCount(segs[i]!, peak) === 0) continue;
    const first = [...streamDecisions(tables, seed, i, 12)].filter((_, j) => j % 2 === 0).map((q) => s.requests[q]!.name);
    assert.deepEqual(p.firstRequests, first, `${label}: segment ${i} previews VU ${i}'s requests`);
  }
}

function checkOpen(s: Scenario, seed: number, n: number, label: string): void {
  const segs = segmentsOf(n);
  const whole = arrivalsOf(s, seed, WHOLE);
  const parts = segs.map((seg) => arrivalsOf(s, seed, seg));
  // The union, in arrival order, is the whole plan's arrivals: same numbers, times and choices.
  assert.deepEqual(parts.flat().sort((a, b) => a.k - b.k), whole, `${label}: the segments' arrivals are the whole plan's`);
  // No arrival in two segments.
  const owner = new Map<number, number>();
  for (const [i, p] of parts.entries()) {
    for (const a of p) {
      assert.equal(owner.get(a.k), undefined, `${label}: arrival ${a.k} is in segments ${owner.get(a.k)} and ${i}`);
      owner.set(a.k, i);
    }
  }
  // Even at every moment: up to any arrival of the whole plan, the segments' counts differ by at most 1.
  const counts = new Array<number>(n).fill(0);
  for (const a of whole) {
    counts[owner.get(a.k)!]!++;
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `${label}: shares ${counts.join('/')} up to arrival ${a.k} at ${a.at} s`);
  }
  // max_in_flight is shared out: the parts add up to it (each at least 1 when it is below n).
  const cap = peakOf(s.schedule);
  const shares = segs.map((seg) => shareOf(seg, cap));
  assert.equal(shares.reduce((a, b) => a + b, 0), Math.max(cap, n), `${label}: max_in_flight ${cap} shared as ${shares.join('/')}`);
  // z6 plan --segment: expected arrivals add up, and each segment's first requests are its arrivals' choices.
  const previews = segs.map((seg) => buildPlan(s, seed, { segment: seg }));
  const wholePlan = buildPlan(s, seed);
  if (wholePlan.expectedArrivals !== undefined) {
    assert.equal(previews.reduce((a, p) => a + p.expectedArrivals!, 0), wholePlan.expectedArrivals, `${label}: expected arrivals`);
  }
  for (const [i, p] of previews.entries()) {
    const mine = new SegmentArrivals(new ArrivalCurve(s.schedule), new VuPlan(new PlanTables(s), seed, 0), segs[i]!);
    const want: string[] = [];
    for (let j = 0; j < 12; j++, mine.advance()) want.push(s.requests[mine.req]!.name);
    const fromWhole = whole.filter((a) => a.k % n === i).slice(0, 12).map((a) => s.requests[a.req]!.name);
    assert.deepEqual(p.firstRequests, want, `${label}: segment ${i}'s first requests`);
    assert.deepEqual(want.slice(0, fromWhole.length), fromWhole, `${label}: segment ${i}'s first requests are the whole plan's arrivals ${i}, ${i + n}, …`);
  }
}

describe('segments: the union of n segments is the whole plan', () => {
  for (const type of SCHEDULE_TYPES) {
    test(`${type}: random scenarios, n = 1..7`, () => {
      const r = new Rng(0x5e9, SCHEDULE_TYPES.indexOf(type));
      for (let c = 0; c < 12; c++) {
        const { toml, scenario } = randomScenario(r, type);
        const seed = Math.floor(r.next() * 2 ** 40);
        assert.equal(modelOf(scenario.schedule) === 'open', type.includes('arrival'));
        for (const n of SEGMENT_COUNTS) {
          const label = `${type} case ${c} (seed ${seed}), n = ${n}\n${toml}`;
          if (modelOf(scenario.schedule) === 'open') checkOpen(scenario, seed, n, label);
          else checkClosed(scenario, seed, n, label);
          assertHashesCombine(scenario, seed, n, label);
        }
      }
    });
  }

  test('more segments than VUs: the extra segments run nothing, the others one VU each', () => {
    const s = scenarioFrom('[target]\nbase_url = "http://127.0.0.1:9"\n[runtime]\nduration_seconds = 5\nvus = 3\n[[requests]]\nname = "a"\npath = "/"\n');
    const segs = segmentsOf(5);
    assert.deepEqual(segs.map((seg) => ownedCount(seg, 3)), [1, 1, 1, 0, 0]);
    assert.deepEqual(segs.map((seg) => buildPlan(s, 1, { segment: seg }).peak), [1, 1, 1, 0, 0]);
    assertHashesCombine(s, 1, 5, 'n > VUs');
  });
});

describe('segments: i/n from --segment and Z6_SEGMENT', () => {
  test('0-based i/n, spaces allowed; --segment wins over the environment', () => {
    assert.deepEqual(parseSegment('0/1'), { index: 0, count: 1 });
    assert.deepEqual(parseSegment(' 6 / 7 '), { index: 6, count: 7 });
    assert.deepEqual(segmentOf(undefined, { Z6_SEGMENT: '2/3' }), { index: 2, count: 3 });
    assert.deepEqual(segmentOf('1/3', { Z6_SEGMENT: '2/3' }), { index: 1, count: 3 });
    assert.deepEqual(segmentOf(undefined, {}), WHOLE);
  });

  test('a wrong value names where it came from and what is expected', () => {
    for (const bad of ['3/3', '1/0', '-1/2', '1', 'a/b', '1/2/3', '0/10001']) {
      assert.throws(() => parseSegment(bad), (e: Error) => e instanceof SegmentError && e.message.includes(`'${bad}'`) && e.message.includes('0 <= i < n'), bad);
    }
    assert.throws(() => segmentOf(undefined, { Z6_SEGMENT: '4/4' }), /^Error: Z6_SEGMENT must be i\/n|Z6_SEGMENT must be i\/n/);
  });
});

// ---- real runs --------------------------------------------------------------------------------

const cli = join(__dirname, '../../dist/cli.js');
let tmp: string;
let server: Listening;
/** What the server saw: per VU (the x-vu header), the paths in order. */
let seen: Map<string, string[]>;

function z6(args: string[]): Promise<{ code: number | null; out: string; stdout: string }> {
  return new Promise((resolve) => {
    // Bounded: a segment stuck at a barrier must fail this test, not hold the suite for 10 minutes.
    const child = spawn(process.execPath, [cli, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let out = '';
    let stdout = '';
    child.stdout.on('data', (c) => ((out += c), (stdout += c)));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => resolve({ code, out, stdout }));
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
        const res = JSON.parse(r.stdout) as Results;
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

describe('[[setup]] once in a distributed run', () => {
  let api: Listening;
  const calls = new Map<string, number>();
  const tokens = new Set<string>();
  before(async () => {
    tmp ??= mkdtempSync(join(tmpdir(), 'z6-segments-'));
    api = await httpServer((req, res) => {
      const key = `${req.method} ${req.url!.replace(/\/\d+$/, '/N')}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
      if (req.url === '/login') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ token: `t-${Math.random().toString(36).slice(2)}` }));
        return;
      }
      if (req.headers['x-token']) tokens.add(String(req.headers['x-token']));
      res.end('ok');
    });
  });
  after(() => api.close());

  test('segment 0 logs in once, every segment uses its token, teardown runs once; without --barrier it is refused', async () => {
    const f = join(tmp, 'setup.z6.toml');
    writeFileSync(f, `[runtime]\nvus = 6\niterations = 4\nprng_seed = 8\n[target]\nbase_url = "${api.url}"\n` +
      `[[setup]]\nname = "login"\nmethod = "POST"\npath = "/login"\n[setup.extract]\ntoken = { json = "$.token", secret = true }\n` +
      `[[requests]]\nname = "item"\npath = "/item/{{ vu }}"\nheaders = { x-token = "{{ token }}" }\n` +
      `[[teardown]]\nname = "logout"\nmethod = "DELETE"\npath = "/session"\nheaders = { x-token = "{{ token }}" }\n`);
    const refused = await z6(['run', f, '--segment', '1/3']);
    assert.equal(refused.code, 2);
    assert.match(refused.out, /has \[\[setup\]\], which runs once, in segment 0, .* give --barrier DIR/);

    calls.clear();
    tokens.clear();
    // Segment 0 first, alone: it runs setup and shares its values before anyone else made the
    // barrier folder (CI found it writing into a folder that did not exist yet).
    const seg = (i: number) => z6(['run', f, '--segment', `${i}/3`, '--barrier', 'setup-barrier', '--out', `setup-${i}`, '--quiet']);
    let leadDone = false;
    const lead = seg(0).finally(() => (leadDone = true));
    while (!existsSync(join(tmp, 'setup-barrier/setup.json')) && !leadDone) await sleep(20);
    const runs = [await Promise.all([lead, seg(1), seg(2)])].flat();
    for (const r of runs) assert.equal(r.code, 0, r.out);
    assert.equal(calls.get('POST /login'), 1, 'one login for the whole run');
    assert.equal(calls.get('DELETE /session'), 1, 'one teardown for the whole run');
    assert.equal(calls.get('GET /item/N'), 6 * 4, 'every VU of every segment sent its iterations');
    assert.equal(tokens.size, 1, 'all segments used the one token');
    assert.equal((await z6(['merge', 'setup-0/results.json', 'setup-1/results.json', 'setup-2/results.json', '--out', 'setup-merged'])).code, 0);
    const merged = JSON.parse(readFileSync(join(tmp, 'setup-merged/results.json'), 'utf8')) as Results;
    assert.equal(merged.setup?.[0]?.name, 'login');
    assert.equal(merged.totals.succeeded, 24);
  });
});

describe('a distributed run with a segment that cannot start', () => {
  let api: Listening;
  before(async () => {
    tmp ??= mkdtempSync(join(tmpdir(), 'z6-segments-'));
    api = await httpServer((_req, res) => res.end('ok'));
  });
  after(() => api.close());

  test('the others stop at the barrier at once, with its reason, not after the timeout', async () => {
    const f = join(tmp, 'fails.z6.toml');
    writeFileSync(f, `[runtime]\nvus = 3\niterations = 2\nprng_seed = 4\n[target]\nbase_url = "${api.url}"\n[[requests]]\nname = "a"\npath = "/a"\n`);
    const t0 = Date.now();
    const runs = await Promise.all([0, 1, 2].map((i) => z6(['run', f, '--segment', `${i}/3`, '--barrier', 'fail-barrier', '--quiet',
      // Segment 2's event log would go inside a regular file: it cannot start.
      ...(i === 2 ? ['--events', 'fails.z6.toml/events.log'] : [])])));
    assert.equal(runs[2]!.code, 3, runs[2]!.out);
    assert.match(runs[2]!.out, /cannot write the event log/);
    for (const r of runs.slice(0, 2)) {
      assert.equal(r.code, 3, r.out);
      assert.match(r.out, /segment 2\/3 stopped before the start: cannot write the event log/);
    }
    assert.ok(Date.now() - t0 < 30_000, 'stopped by the failed segment, not the barrier timeout');
  });
});
