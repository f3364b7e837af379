/**
 * Data files in real runs, proven on the server side: a loopback server records which row
 * (user) every request carried, so the tests count rows as the target saw them — each mode,
 * unique across 20 VUs with each on_exhausted, random reproducible with the seed and equal to
 * what `z6 plan` previews, per_vu, one row per iteration shared by the steps of a sequence.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runScenario } from '../../engine/run';
import { randomRow } from '../../engine/data/draw';
import { buildPlan, formatPlan } from '../../engine/plan/plan';
import { assertAccounted, httpServer, scenarioFrom, type Listening } from './helpers';

interface Seen {
  path: string;
  vu: string;
  it: string;
  user: string;
}

const seen: Seen[] = [];
let server: Listening;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'z6-data-'));
  server = await httpServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    seen.push({ path: u.pathname, vu: String(req.headers['x-vu']), it: String(req.headers['x-it']), user: u.searchParams.get('user') ?? '' });
    res.writeHead(200, { 'content-length': 2 });
    res.end('ok');
  });
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** users.csv with n rows: user0..user{n-1}. */
function users(n: number, name = 'users.csv'): string {
  const rows = Array.from({ length: n }, (_, i) => `user${i},pw${i}`);
  writeFileSync(join(dir, name), `username,password\n${rows.join('\n')}\n`);
  return name;
}

function scenario(body: string): ReturnType<typeof scenarioFrom> {
  const file = join(dir, 'scenario.z6.toml');
  const text = `[target]\nbase_url = "${server.url}"\n${body}`;
  writeFileSync(file, text);
  return scenarioFrom(text, file);
}

const REQ = `[[requests]]\nname = "r"\npath = "/r?user={{ username }}"\nheaders = { X-Vu = "{{ vu }}", X-It = "{{ iteration }}" }\n`;

function counts(list: Seen[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of list) m.set(s.user, (m.get(s.user) ?? 0) + 1);
  return m;
}

describe('sequential', () => {
  test('one cursor shared by all VUs, wrapping: 12 draws over 5 rows give rows 0-1 three times and 2-4 twice', async () => {
    seen.length = 0;
    const f = users(5);
    const r = await runScenario(scenario(`[runtime]\nvus = 3\niterations = 4\nprng_seed = 1\n[[data]]\nfile = "${f}"\n${REQ}`));
    assertAccounted(r);
    assert.equal(r.totals.succeeded, 12);
    assert.deepEqual([...counts(seen)].sort(), [['user0', 3], ['user1', 3], ['user2', 2], ['user3', 2], ['user4', 2]]);
    assert.deepEqual(r.data, [{ file: f, mode: 'sequential', rows: 5, drawn: 12 }]);
  });

  test('with [sequence], every request of an iteration sees the same row, and each iteration a new one', async () => {
    seen.length = 0;
    const f = users(100);
    const r = await runScenario(scenario(`[runtime]\nvus = 4\niterations = 5\n[[data]]\nfile = "${f}"\n${REQ}` +
      `[[requests]]\nname = "s"\npath = "/s?user={{ username }}"\nheaders = { X-Vu = "{{ vu }}", X-It = "{{ iteration }}" }\n` +
      `[[requests]]\nname = "plain"\npath = "/plain"\n` +
      `[sequence]\n[[sequence.steps]]\nrequest = "plain"\n[[sequence.steps]]\nrequest = "r"\n[[sequence.steps]]\nrequest = "s"\nrepeat = 2\n`));
    assertAccounted(r);
    assert.equal(r.totals.failed, 0);
    const byIteration = new Map<string, Set<string>>();
    for (const s of seen.filter((x) => x.path !== '/plain')) {
      const k = `${s.vu}/${s.it}`;
      byIteration.set(k, (byIteration.get(k) ?? new Set()).add(s.user));
    }
    assert.equal(byIteration.size, 20);
    for (const [k, u] of byIteration) assert.equal(u.size, 1, `iteration ${k} saw ${[...u].join(', ')}`);
    // 20 iterations drew 20 distinct rows of the shared cursor: rows 0..19.
    assert.deepEqual([...byIteration.values()].map((u) => [...u][0]).sort(), Array.from({ length: 20 }, (_, i) => `user${i}`).sort());
    assert.equal(r.data![0]!.drawn, 20);
  });
});

describe('unique across 20 VUs', () => {
  const body = (f: string, onExhausted: string) =>
    `[runtime]\nvus = 20\nduration_seconds = 60\n[[data]]\nfile = "${f}"\nmode = "unique"\non_exhausted = "${onExhausted}"\n${REQ}`;

  test('stop_run: every row is used exactly once (the server counts), then the run ends early, status completed, with the reason', async () => {
    seen.length = 0;
    const f = users(500);
    const t0 = Date.now();
    const r = await runScenario(scenario(body(f, 'stop_run')));
    assert.ok(Date.now() - t0 < 30_000, 'ended by the rows, not the 60 s duration');
    assertAccounted(r);
    assert.equal(r.status, 'completed');
    assert.equal(r.totals.issued, 500, 'the iteration that found no row sent nothing and counted nothing');
    assert.equal(r.totals.succeeded, 500);
    const c = counts(seen);
    assert.equal(c.size, 500);
    for (let i = 0; i < 500; i++) assert.equal(c.get(`user${i}`), 1, `user${i}`);
    assert.equal(new Set(seen.map((s) => s.vu)).size, 20, 'all 20 VUs drew rows');
    assert.match(r.endReason!, /data file users\.csv: all 500 rows used \(mode = "unique", on_exhausted = "stop_run"\): the run stopped/);
    assert.deepEqual(r.data, [{ file: f, mode: 'unique', onExhausted: 'stop_run', rows: 500, drawn: 500, exhausted: true }]);
  });

  test('stop_vu: each VU stops when it finds no row; the others finish what they send; the run ends once every VU stopped', async () => {
    seen.length = 0;
    const f = users(300);
    const t0 = Date.now();
    const r = await runScenario(scenario(body(f, 'stop_vu')));
    assert.ok(Date.now() - t0 < 30_000, 'ended when every VU stopped, not by the 60 s duration');
    assertAccounted(r);
    assert.equal(r.status, 'completed');
    assert.equal(r.totals.interrupted, 0, 'nothing in flight was cut off');
    assert.equal(r.totals.succeeded, 300);
    const c = counts(seen);
    assert.equal(c.size, 300);
    for (const n of c.values()) assert.equal(n, 1);
    assert.match(r.endReason!, /all 300 rows used .*on_exhausted = "stop_vu"\): every VU has stopped/);
  });

  test('wrap: rows start over, each used once per round (20 VUs × 3 iterations over 30 rows: each exactly twice)', async () => {
    seen.length = 0;
    const f = users(30);
    const r = await runScenario(scenario(`[runtime]\nvus = 20\niterations = 3\n[[data]]\nfile = "${f}"\nmode = "unique"\non_exhausted = "wrap"\n${REQ}`));
    assertAccounted(r);
    assert.equal(r.totals.succeeded, 60);
    const c = counts(seen);
    assert.equal(c.size, 30);
    for (const n of c.values()) assert.equal(n, 2);
    assert.equal(r.endReason, undefined);
    assert.equal(r.data![0]!.exhausted, false);
  });

  test('open model: the arrival that finds no row ends the run (stop_vu acts as stop_run)', async () => {
    seen.length = 0;
    const f = users(40);
    const r = await runScenario(scenario(`[runtime]\nduration_seconds = 30\n[schedule]\ntype = "arrival_rate"\nrate = 200\nmax_in_flight = 10\n` +
      `[[data]]\nfile = "${f}"\nmode = "unique"\non_exhausted = "stop_vu"\n${REQ}`));
    assertAccounted(r);
    assert.equal(r.totals.issued, 40);
    assert.equal(counts(seen).size, 40);
    assert.match(r.endReason!, /the run stopped/);
  });
});

describe('random and per_vu', () => {
  const body = (f: string, seed: number, mode: string) =>
    `[runtime]\nvus = 4\niterations = 10\nprng_seed = ${seed}\n[[data]]\nfile = "${f}"\nmode = "${mode}"\n${REQ}`;

  async function rowsBy(f: string, seed: number, mode: string): Promise<Map<string, string>> {
    seen.length = 0;
    const r = await runScenario(scenario(body(f, seed, mode)));
    assertAccounted(r);
    assert.equal(r.totals.succeeded, 40);
    return new Map(seen.map((s) => [`${s.vu}/${s.it}`, s.user]));
  }

  test('random: the row of (VU, iteration) is a pure function of the seed: equal in two runs, as z6 plan shows it, different with another seed', async () => {
    const f = users(1000);
    const a = await rowsBy(f, 7, 'random');
    const b = await rowsBy(f, 7, 'random');
    const c = await rowsBy(f, 8, 'random');
    assert.deepEqual([...a].sort(), [...b].sort());
    assert.notDeepEqual([...a].sort(), [...c].sort());
    // Each VU draws anew per iteration: 10 iterations over 1,000 rows repeat a row seldom.
    for (let vu = 0; vu < 4; vu++) assert.ok(new Set([...a].filter(([k]) => k.startsWith(`${vu}/`)).map(([, u]) => u)).size >= 8);
    for (const [k, user] of a) {
      const [vu, it] = k.split('/').map(Number);
      assert.equal(user, `user${randomRow(7, 0, vu!, it!, 0, 1000)}`);
    }
    // z6 plan previews the same rows for the first VUs and iterations.
    const plan = buildPlan(scenario(body(f, 7, 'random')), 7);
    assert.ok(plan.rendered!.length >= 6);
    for (const p of plan.rendered!) {
      assert.equal(p.rows![0]!.values.username, a.get(`${p.vu}/${p.iteration}`));
      assert.equal(p.path, `/r?user=${a.get(`${p.vu}/${p.iteration}`)}`);
    }
    assert.match(formatPlan(plan), /row \d+ of users\.csv: username=user\d+, password=pw\d+/);
  });

  test('random in the open model: arrival k gets the row of (seed, k), whichever slot sends it', async () => {
    seen.length = 0;
    const f = users(1000);
    const r = await runScenario(scenario(`[runtime]\nduration_seconds = 1\nprng_seed = 5\n[schedule]\ntype = "arrival_rate"\nrate = 40\nmax_in_flight = 4\n` +
      `[[data]]\nfile = "${f}"\nmode = "random"\n${REQ}`));
    assertAccounted(r);
    assert.ok(seen.length >= 20, `${seen.length} arrivals`);
    for (const s of seen) assert.equal(s.user, `user${randomRow(5, 0, 0, Number(s.it), 0, 1000)}`, `arrival ${s.it}`);
    assert.ok(new Set(seen.map((s) => s.user)).size > seen.length / 2);
  });

  test('per_vu: VU i always gets row i modulo the rows', async () => {
    const f = users(3);
    const a = await rowsBy(f, 1, 'per_vu');
    for (const [k, user] of a) assert.equal(user, `user${Number(k.split('/')[0]) % 3}`, k);
  });
});

describe('values and failures', () => {
  test('a secret file is masked in z6 plan; NDJSON types become text; a missing key fails only the requests that use it, as kind template', async () => {
    seen.length = 0;
    writeFileSync(join(dir, 'u.ndjson'), '{"username": "ann", "n": 1, "tags": ["a"]}\n\n{"username": "bob", "n": 2.5, "tags": null}\n');
    writeFileSync(join(dir, 'k.json'), '[{"key": "s3cr3t-value"}]');
    const s = scenario(`[runtime]\nvus = 1\niterations = 2\n[[data]]\nfile = "u.ndjson"\n[[data]]\nfile = "k.json"\nsecret = true\n` +
      `[[requests]]\nname = "r"\npath = "/r?user={{ username }}&n={{ n }}&k={{ key }}"\nheaders = { X-Tags = "{{ tags }}" }\n`);
    const text = formatPlan(buildPlan(s, 1));
    assert.match(text, /row 1 of k\.json: key=\*\*\*/);
    assert.doesNotMatch(text, /s3cr3t/);
    const r = await runScenario(s);
    assertAccounted(r);
    assert.equal(r.totals.succeeded, 1);
    assert.equal(seen[0]!.user, 'ann');
    assert.equal(r.failures.template, 1);
    assert.match(r.failureSamples.template![0]!, /data file u\.ndjson: row 2 has no value for 'tags'/);
    assert.doesNotMatch(JSON.stringify(r), /s3cr3t/);
  });

  test('a column that clashes with a [vars] name is refused at run time too (here built without reading the header)', () => {
    const f = users(3);
    const s = scenario(`[vars]\nusername = "x"\n[runtime]\nvus = 1\niterations = 1\n[[data]]\nfile = "${f}"\n${REQ}`);
    assert.throws(() => runScenario(s), /data file users\.csv: column 'username' is also another variable or a built-in; leave it out with columns = \[\.\.\.\]/);
  });

  test('a data file that cannot be indexed is a clear error before any request', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'a,b\n1,2\n3\n');
    const s = scenario(`[runtime]\nvus = 1\niterations = 1\n[[data]]\nfile = "bad.csv"\n[[requests]]\npath = "/x?a={{ a }}"\n`);
    assert.throws(() => runScenario(s), /data file bad\.csv: line 3: the row has 1 cell; the header has 2/);
  });
});
