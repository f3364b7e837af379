/**
 * `z6 run --workers N`: the load in N worker threads, one run for the user. Against loopback
 * servers that record what arrives: each VU comes from one worker with the whole plan's requests,
 * the counts are the server's, setup and teardown run once, the merged assertions decide the exit
 * code, a Ctrl-C or one worker's abort stops them all, live progress is the whole run's, and
 * --workers composes with --segment.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Results, SecondSample } from '../../engine/metrics/results-types';
import { PlanTables } from '../../engine/plan/choice';
import { streamDecisions } from '../../engine/plan/plan';
import type { ProgressTotals } from '../../engine/run';
import { runInWorkers } from '../../engine/workers/pool';
import { workersFor } from '../../engine/workers/count';
import { assertAccounted, ensureBuilt, httpServer, runZ6, scenarioFrom, type Listening } from './helpers';

let dir: string;
before(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'z6-workers-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Seen {
  path: string;
  vu: number;
  it: number;
  auth: string;
}

/** A server recording every request; `delayMs(vu)` decides how long each waits for its answer. */
async function recorder(delayMs: (vu: number) => number = () => 0): Promise<Listening & { seen: Seen[] }> {
  const seen: Seen[] = [];
  const l = await httpServer((req, res) => {
    const vu = Number(req.headers['x-vu'] ?? -1);
    seen.push({ path: req.url!.split('?')[0]!, vu, it: Number(req.headers['x-it'] ?? -1), auth: String(req.headers.authorization ?? '') });
    if (req.url === '/login') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"token":"tk-77"}');
      return;
    }
    const t = setTimeout(() => res.end('ok'), delayMs(vu));
    res.on('close', () => clearTimeout(t));
  });
  return { ...l, seen };
}

const REQUESTS = ['a', 'b', 'c'].map((n, k) => `[[requests]]\nname = "${n}"\npath = "/${n}"\nweight = ${k + 1}\nheaders = { X-Vu = "{{ vu }}", X-It = "{{ iteration }}" }\n`).join('');

function write(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Results;

describe('z6 run --workers', { timeout: 120_000 }, () => {
  test('3 workers: every VU from one worker with the whole plan\'s requests; counts are the server\'s', async () => {
    const server = await recorder();
    try {
      const text = `[target]\nbase_url = "${server.url}"\n[runtime]\nvus = 7\niterations = 20\nprng_seed = 31\n${REQUESTS}`;
      const f = write('three.z6.toml', text);
      const r = await runZ6(['run', f, '--workers', '3', '--out', join(dir, 'three')], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /3 workers/);
      const res = read(join(dir, 'three/results.json'));
      assert.equal(res.workers, 3);
      assert.equal(res.segment, undefined);
      assert.equal(res.merged, undefined);
      assert.equal(res.histograms.perSecond, undefined, 'a whole run looks like any other');
      assert.equal(res.totals.issued, server.seen.length);
      assert.equal(res.totals.responses, server.seen.length);
      assert.equal(res.latency.count, 140);
      assert.equal(res.schedule.peakVus, 7);
      assertAccounted(res);
      const s = scenarioFrom(text);
      const tables = new PlanTables(s);
      for (let vu = 0; vu < 7; vu++) {
        const mine = server.seen.filter((x) => x.vu === vu).sort((a, b) => a.it - b.it);
        const want = [...streamDecisions(tables, 31, vu, 20)].filter((_, j) => j % 2 === 0).map((q) => `/${s.requests[q]!.name}`);
        assert.deepEqual(mine.map((x) => x.path), want, `VU ${vu}`);
      }
    } finally {
      await server.close();
    }
  });

  test('the merged assertions decide: the slow worker\'s slice alone would fail p50, the run passes it and fails p99', async () => {
    // Even VUs (worker 1 of 2) wait 30 ms, odd ones (worker 2) are answered at once: the merge has
    // mostly fast samples (p50 fast) and more than 1 % slow ones (p99 slow).
    const server = await recorder((vu) => (vu % 2 === 0 ? 30 : 0));
    try {
      const f = write('judge.z6.toml', `[target]\nbase_url = "${server.url}"\n[runtime]\nduration_seconds = 2\nvus = 4\nprng_seed = 5\n${REQUESTS}` +
        '[assertions]\np50_latency_ms = 20\np99_latency_ms = 20\n');
      const r = await runZ6(['run', f, '--workers', '2', '--out', join(dir, 'judge')], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      const res = read(join(dir, 'judge/results.json'));
      const slow = server.seen.filter((x) => x.vu % 2 === 0).length;
      assert.ok(slow / server.seen.length > 0.01 && slow / server.seen.length < 0.5, `slow share ${slow} of ${server.seen.length}`);
      const [p50, p99] = ['p50_latency_ms', 'p99_latency_ms'].map((k) => res.assertions.find((a) => a.key === k)!);
      assert.equal(p50!.pass, true, `p50 ${p50!.actual}`);
      assert.equal(p99!.pass, false);
      assert.ok(p99!.actual! >= 30, `p99 ${p99!.actual} is a slow sample (the server held them 30 ms)`);
    } finally {
      await server.close();
    }
  });

  test('setup and teardown run once, in the parent; what setup extracted reaches every worker', async () => {
    const server = await recorder();
    try {
      const f = write('phases.z6.toml', `[target]\nbase_url = "${server.url}"\n[runtime]\nvus = 4\niterations = 5\nprng_seed = 2\n` +
        '[[setup]]\nname = "login"\npath = "/login"\n[setup.extract]\ntoken = { json = "$.token" }\n' +
        '[[teardown]]\nname = "bye"\nmethod = "DELETE"\npath = "/bye"\n' +
        '[[requests]]\nname = "a"\npath = "/a"\nheaders = { Authorization = "Bearer {{ token }}", X-Vu = "{{ vu }}" }\n');
      const r = await runZ6(['run', f, '--workers', '2', '--out', join(dir, 'phases')], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(server.seen.filter((x) => x.path === '/login').length, 1);
      assert.equal(server.seen.filter((x) => x.path === '/bye').length, 1);
      const load = server.seen.filter((x) => x.path === '/a');
      assert.equal(load.length, 20);
      assert.ok(load.every((x) => x.auth === 'Bearer tk-77'), 'every worker has the token');
      assert.deepEqual(new Set(load.map((x) => x.vu)), new Set([0, 1, 2, 3]));
      const res = read(join(dir, 'phases/results.json'));
      assert.deepEqual(res.setup?.map((p) => p.ok), [true]);
      assert.deepEqual(res.teardown?.map((p) => p.ok), [true]);
    } finally {
      await server.close();
    }
  });

  test('Ctrl-C stops every worker: partial results of all of them, exit 130', async () => {
    const server = await recorder(() => 5);
    try {
      const f = write('cancel.z6.toml', `[target]\nbase_url = "${server.url}"\n[runtime]\nduration_seconds = 60\nvus = 4\nprng_seed = 9\n${REQUESTS}`);
      const child = spawn(process.execPath, [join(__dirname, '../../dist/cli.js'), 'run', f, '--workers', '2', '--out', join(dir, 'cancel')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      // Wait for both workers' VUs (even and odd) to be sending, then interrupt.
      while (!(server.seen.some((x) => x.vu % 2 === 0) && server.seen.some((x) => x.vu % 2 === 1))) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGINT');
      const code = await exited;
      assert.equal(code, 130, stderr);
      const res = read(join(dir, 'cancel/results.json'));
      assert.equal(res.status, 'cancelled');
      assert.ok(res.durationSeconds < 30, `stopped at once (${res.durationSeconds} s)`);
      // Every request that reached the server is counted; an interrupted one may not have reached it.
      assert.ok(server.seen.length <= res.totals.issued, `the server saw ${server.seen.length}, z6 issued ${res.totals.issued}`);
      assert.ok(server.seen.length >= res.totals.succeeded + res.totals.failed, 'every completed request reached the server');
      assert.ok(res.totals.interrupted > 0);
      assertAccounted(res);
      const after = server.seen.length;
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(server.seen.length, after, 'no worker is still sending');
    } finally {
      await server.close();
    }
  });

  test('abort_on_fail in one worker\'s slice stops the run in every worker (status aborted, exit 1)', async () => {
    const server = await recorder((vu) => (vu % 2 === 0 ? 40 : 0));
    try {
      const f = write('abort.z6.toml', `[target]\nbase_url = "${server.url}"\n[runtime]\nduration_seconds = 60\nvus = 4\nprng_seed = 4\n${REQUESTS}` +
        '[assertions]\np50_latency_ms = 20\nabort_on_fail = true\nabort_delay_seconds = 1\n');
      const r = await runZ6(['run', f, '--workers', '2', '--out', join(dir, 'abort')], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      const res = read(join(dir, 'abort/results.json'));
      assert.equal(res.status, 'aborted');
      assert.match(res.abortReason!, /p50_latency_ms/);
      assert.ok(res.durationSeconds < 20, `the fast worker stopped too (${res.durationSeconds} s)`);
      assertAccounted(res);
    } finally {
      await server.close();
    }
  });

  test('--workers with --segment splits that segment: z6 merge then adds it to the others', async () => {
    const server = await recorder();
    try {
      const f = write('seg.z6.toml', `[target]\nbase_url = "${server.url}"\n[runtime]\nvus = 6\niterations = 10\nprng_seed = 8\n${REQUESTS}`);
      const one = await runZ6(['run', f, '--segment', '1/2', '--workers', '2', '--out', join(dir, 'seg1')], { cwd: dir });
      assert.equal(one.code, 0, one.stderr);
      const s1 = read(join(dir, 'seg1/results.json'));
      assert.deepEqual(s1.segment, { index: 1, count: 2 });
      assert.equal(s1.workers, 2);
      assert.deepEqual(new Set(server.seen.map((x) => x.vu)), new Set([1, 3, 5]), 'the odd VUs, as segment 1/2 runs them');
      assert.ok(s1.histograms.perSecond?.length, 'what z6 merge needs');
      assert.equal((await runZ6(['run', f, '--segment', '0/2', '--out', join(dir, 'seg0')], { cwd: dir })).code, 0);
      const m = await runZ6(['merge', join(dir, 'seg0/results.json'), join(dir, 'seg1/results.json'), '--out', join(dir, 'segm')], { cwd: dir });
      assert.equal(m.code, 0, m.stderr);
      const merged = read(join(dir, 'segm/results.json'));
      assert.equal(merged.totals.issued, 60);
      assert.equal(merged.totals.issued, server.seen.length);
    } finally {
      await server.close();
    }
  });

  test('bad --workers is a usage error; runtime.workers is read and checked; auto keeps small runs in one worker', async () => {
    const bad = await runZ6(['run', write('w.z6.toml', '[target]\nbase_url = "http://127.0.0.1:9"\n[[requests]]\nname = "a"\npath = "/"\n[runtime]\nduration_seconds = 1\n'), '--workers', '0'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--workers must be an integer from 1 to 256 or auto, got '0'/);
    const invalid = await runZ6(['validate', write('v.z6.toml', '[target]\nbase_url = "http://127.0.0.1:9"\n[[requests]]\nname = "a"\npath = "/"\n[runtime]\nduration_seconds = 1\nworkers = "lots"\n')], { cwd: dir });
    assert.equal(invalid.code, 2);
    assert.match(invalid.stdout, /'workers' must be an integer or "auto", found/);
    const s = (vus: number, workers: string) => scenarioFrom(`[target]\nbase_url = "http://127.0.0.1:9"\n[[requests]]\nname = "a"\npath = "/"\n[runtime]\nduration_seconds = 1\nvus = ${vus}\nworkers = ${workers}\n`);
    assert.equal(workersFor(s(4, '"auto"').runtime.workers, s(4, '"auto"'), 8), 1, 'small: one worker');
    assert.equal(workersFor(s(100, '"auto"').runtime.workers, s(100, '"auto"'), 8), 8, 'big: a worker per core');
    assert.equal(workersFor(s(3, '6').runtime.workers, s(3, '6'), 8), 3, 'never more workers than VUs');
    assert.equal(workersFor(undefined, s(100, '1'), 8), 1, 'default: one');
    const sim = scenarioFrom('[target]\nbase_url = "sim://shop"\n[simulation]\nconcurrency = 10\n[[requests]]\nname = "a"\npath = "/"\n[runtime]\nduration_seconds = 1\nvus = 100\n');
    assert.equal(workersFor(4, sim, 8), 1, 'a simulated target runs in one process\'s virtual time');
    // The event log is one event loop's: asking for both is refused before anything is written.
    const log = join(dir, 'never.z6events');
    const both = await runZ6(['run', write('ev.z6.toml', '[target]\nbase_url = "http://127.0.0.1:9"\n[[requests]]\nname = "a"\npath = "/"\n[runtime]\nduration_seconds = 1\nvus = 4\n'), '--workers', '2', '--events', log], { cwd: dir });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /use --workers 1 with it/);
    assert.equal(existsSync(log), false);
  });
});

describe('live progress of workers', { timeout: 60_000 }, () => {
  test('each second shown is the whole run\'s: the workers\' seconds added, percentiles of the added histograms', async () => {
    const server = await recorder((vu) => (vu % 2 === 0 ? 8 : 1));
    try {
      const text = `[target]\nbase_url = "${server.url}"\n[runtime]\nduration_seconds = 3\nvus = 6\nprng_seed = 12\n${REQUESTS}`;
      const f = write('live.z6.toml', text);
      const shown: { sample: SecondSample; totals: ProgressTotals }[] = [];
      let peak = 0;
      const res = await runInWorkers(scenarioFrom(text, f), { onProgress: (sample, totals) => shown.push({ sample, totals }), onStart: (i) => (peak = i.peak) }, { workers: 2, file: f, overrides: {} });
      assert.equal(peak, 6);
      assert.deepEqual(shown.map((x) => x.sample.t), res.timeseries.map((x) => x.t), 'every second, in order');
      for (const [k, x] of shown.entries()) {
        const final = res.timeseries[k]!;
        assert.equal(x.sample.requests, final.requests, `second ${k}: requests`);
        assert.equal(x.sample.p99, final.p99, `second ${k}: p99 of both workers' samples`);
        if (final.seconds === undefined) assert.equal(x.sample.activeVus, 6, `second ${k}: both workers' VUs`);
      }
      const last = shown.at(-1)!.totals;
      assert.equal(last.issued, res.totals.issued);
      assert.equal(last.requests.reduce((a, q) => a + q.issued, 0), res.totals.issued);
      assert.equal(res.totals.issued, server.seen.length);
    } finally {
      await server.close();
    }
  });
});
