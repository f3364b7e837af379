/**
 * `z6 run`, `z6 plan` and `z6 demo` as a user runs them: the built CLI (node dist/cli.js) in a
 * child process, against loopback servers started here. Exit codes per decisions §3.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Results } from '../../engine/metrics/results-types';
import { assertAccounted, ensureBuilt, httpServer, refusedPort, type Listening } from './helpers';

const root = join(__dirname, '../..');
const cli = join(root, 'dist/cli.js');
let tmp: string;
let server: Listening;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function z6(args: string[], opts: { cwd?: string; sigintAfterMs?: number; signal?: NodeJS.Signals } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: opts.cwd ?? tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    if (opts.sigintAfterMs !== undefined) setTimeout(() => child.kill(opts.signal ?? 'SIGINT'), opts.sigintAfterMs);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function scenarioFile(name: string, baseUrl: string, extra = '', seconds = 1): string {
  const f = join(tmp, name);
  writeFileSync(f, `[metadata]\nname = "${name}"\n[runtime]\nduration_seconds = ${seconds}\nvus = 2\nprng_seed = 11\n[target]\nbase_url = "${baseUrl}"\n` +
    `[[requests]]\nname = "home"\npath = "/"\nweight = 3\n[[requests]]\nname = "slow"\npath = "/slow"\ntimeout_ms = 10000\n${extra}`);
  return f;
}

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-engine-cli-'));
  server = await httpServer((req, res) => {
    const t = setTimeout(() => res.end('ok'), req.url === '/slow' ? 30 : 0);
    res.on('close', () => clearTimeout(t));
  });
});
after(() => server.close());

describe('z6 run exit codes', () => {
  test('assertions pass → 0; --out with --csv and --html writes results.json, timeseries.csv, report.html', async () => {
    const f = scenarioFile('pass.z6.toml', server.url, '[assertions]\np99_latency_ms = 5000\nerror_rate_max = 0.01\nrps_min = 1\n');
    const out = join(tmp, 'out-pass');
    const r = await z6(['run', f, '--out', out, '--csv', '--html']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /RESULT: PASS \(3 assertions\)/);
    assert.match(r.stdout, /PASS {2}p99_latency_ms +actual [\d.]+ <= 5000 expected/);
    assert.match(r.stdout, /home +\d+/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    assertAccounted(results);
    assert.equal(results.seed, 11);
    assert.ok(results.histograms.latency.length > 0);
    const csv = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 't_seconds,requests,rps,failures,p50_ms,p95_ms,p99_ms,active_vus,dropped,responses,seconds,checks_passed,checks_failed');
    assert.equal(csv.length - 1, results.timeseries.length);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /<html/i);
    assert.ok(html.includes('pass.z6.toml'));
  });

  test('an assertion fails → 1, with expected and actual', async () => {
    const f = scenarioFile('fail.z6.toml', server.url, '[assertions]\np50_latency_ms = 0.001\nerror_rate_max = 0.5\n');
    const r = await z6(['run', f]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAIL {2}p50_latency_ms +actual [\d.]+ <= 0\.001 expected/);
    assert.match(r.stdout, /PASS {2}error_rate_max/);
    assert.match(r.stdout, /RESULT: FAIL \(1 of 2 assertions failed\)/);
  });

  test('invalid scenario → 2, diagnostics as file:line:col: error: message [code]', async () => {
    const f = join(tmp, 'bad.z6.toml');
    writeFileSync(f, `[target]\nbase_url = "${server.url}"\n[[requests]]\npath = "/"\nmethod = "GETT"\n`);
    const r = await z6(['run', f]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.z6\.toml:5:10: error: .+ \[[a-z-]+\]/);
    assert.equal(r.stdout, '');
  });

  test('usage errors → 2', async () => {
    assert.equal((await z6(['run'])).code, 2);
    const f = scenarioFile('u.z6.toml', server.url);
    const r = await z6(['run', f, '--vus', 'many']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--vus must be a whole number/);
    assert.equal((await z6(['run', f, '--frobnicate'])).code, 2);
    assert.equal((await z6(['run', join(tmp, 'missing.z6.toml')])).code, 2);
  });

  test('target down → a full run of connect failures and a clear summary, not a crash', async () => {
    const port = await refusedPort();
    const f = scenarioFile('down.z6.toml', `http://127.0.0.1:${port}`, '[assertions]\nerror_rate_max = 0.1\n');
    const r = await z6(['run', f, '--json']);
    assert.equal(r.code, 1);
    const results = JSON.parse(r.stdout) as Results;
    assertAccounted(results);
    assert.equal(results.status, 'completed');
    assert.ok(results.failures.connect! > 0);
    assert.match(r.stderr, /connect +[\d,]+ +e\.g\. .*ECONNREFUSED/);
    assert.match(r.stderr, /no request succeeded — is the target up\?/);
  });

  test('SIGINT → 130 with partial results', async () => {
    const f = scenarioFile('long.z6.toml', server.url, '', 30);
    const out = join(tmp, 'out-int');
    const r = await z6(['run', f, '--out', out], { sigintAfterMs: 1500 });
    assert.equal(r.code, 130, r.stdout + r.stderr);
    assert.match(r.stdout, /CANCELLED/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    assert.equal(results.status, 'cancelled');
    assertAccounted(results);
    assert.ok(results.totals.succeeded > 0 && results.durationSeconds < 5);
  });

  test('SIGTERM stops the run the same way: 130 with partial results', async () => {
    const f = scenarioFile('term.z6.toml', server.url, '', 30);
    const out = join(tmp, 'out-term');
    const r = await z6(['run', f, '--out', out], { sigintAfterMs: 1500, signal: 'SIGTERM' });
    assert.equal(r.code, 130, r.stdout + r.stderr);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    assert.equal(results.status, 'cancelled');
    assertAccounted(results);
  });

  test('--seed, --vus, --duration override the scenario; --quiet prints only the result line', async () => {
    const f = scenarioFile('ovr.z6.toml', server.url, '', 30);
    const r = await z6(['run', f, '--seed', '99', '--vus', '3', '--duration', '1', '--json', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const results = JSON.parse(r.stdout) as Results;
    assert.equal(results.seed, 99);
    assert.equal(results.schedule.peakVus, 3);
    assert.equal(results.schedule.plannedDurationSeconds, 1);
    assert.ok(results.durationSeconds < 3);
    assert.equal(r.stderr.trim(), 'RESULT: DONE (no assertions)');
  });
});

describe('z6 run --smoke', () => {
  test('one VU sends each request once, in order, with no think time and no assertions', async () => {
    const f = join(tmp, 'smoke.z6.toml');
    writeFileSync(f, `[target]\nbase_url = "${server.url}"\n[runtime]\nduration_seconds = 60\nvus = 20\n` +
      `[[requests]]\nname = "a"\npath = "/"\nweight = 9\n[[requests]]\nname = "b"\npath = "/slow"\nweight = 0\n[[requests]]\nname = "c"\npath = "/"\n` +
      `[think_time]\ntype = "constant"\nduration_ms = 5000\n[assertions]\np99_latency_ms = 0.001\n`);
    const r = await z6(['run', f, '--smoke', '--out', 'smoke-out']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const results = JSON.parse(readFileSync(join(tmp, 'smoke-out/results.json'), 'utf8')) as Results;
    assert.deepEqual(results.requests.map((q) => [q.name, q.issued, q.succeeded]), [['a', 1, 1], ['b', 1, 1], ['c', 1, 1]]);
    assert.deepEqual(results.assertions, []);
    assert.ok(results.durationSeconds < 5, `took ${results.durationSeconds} s: no think time, no 60 s duration`);
  });
});

describe('z6 plan', () => {
  const hashOf = (s: string) => /plan hash {2}([0-9a-f]{64})/.exec(s)?.[1];

  test('same seed → same plan hash, different seed → different; no traffic', async () => {
    const port = await refusedPort();
    const f = scenarioFile('plan.z6.toml', `http://127.0.0.1:${port}`, '[think_time]\ntype = "random"\nmin_ms = 1\nmax_ms = 500\n');
    const a = await z6(['plan', f, '--seed', '1']);
    const b = await z6(['plan', f, '--seed', '1']);
    const c = await z6(['plan', f, '--seed', '2']);
    assert.equal(a.code, 0, a.stderr);
    assert.ok(hashOf(a.stdout));
    assert.equal(hashOf(a.stdout), hashOf(b.stdout));
    assert.notEqual(hashOf(a.stdout), hashOf(c.stdout));
    assert.match(a.stdout, /home\s+75\.0 %/);
    assert.match(a.stdout, /duration {3}1 s/);
    const json = JSON.parse((await z6(['plan', f, '--seed', '1', '--json'])).stdout);
    assert.equal(json.hash, hashOf(a.stdout));
  });
});

describe('z6 demo', () => {
  test('runs the demo scenario against the embedded target and writes results.json + report.html', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'z6-demo-'));
    const r = await z6(['demo'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Z6 demo shop: completed/);
    assert.match(r.stdout, /RESULT: PASS/);
    const results = JSON.parse(readFileSync(join(dir, 'z6-results/results.json'), 'utf8')) as Results;
    assertAccounted(results);
    assert.deepEqual(results.timeseries.slice(0, 12).map((s) => s.activeVus), [5, 5, 5, 5, 15, 15, 15, 15, 30, 30, 30, 30]);
    assert.ok(results.requests.length === 5 && results.requests.every((q) => q.issued > 0));
    assert.ok(existsSync(join(dir, 'z6-results/report.html')));
  });

  test('target.demo = true: z6 run starts the embedded target itself (base_url\'s host is not used, its path is kept)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'z6-demo-key-'));
    const f = join(dir, 'demo-key.z6.toml');
    // A port nothing listens on: the run can only succeed on the embedded target.
    writeFileSync(f, `[target]\nbase_url = "http://127.0.0.1:${await refusedPort()}/status"\ndemo = true\n[runtime]\nvus = 2\niterations = 3\n` +
      `[[requests]]\npath = "/201"\n`);
    const r = await z6(['run', f, '--out', 'out'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const results = JSON.parse(readFileSync(join(dir, 'out/results.json'), 'utf8')) as Results;
    assert.equal(results.totals.succeeded, 6);
    assert.deepEqual(results.statusCodes, { 201: 6 });
    assert.match(results.target.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/status$/);
  });
});

test('names with control characters are printed escaped, never raw (no screen clearing, no overwrite)', async () => {
  const f = join(tmp, 'ctl.z6.toml');
  writeFileSync(f, `[metadata]\nname = "evil\\u001b[2J\\rname"\n[runtime]\niterations = 1\nvus = 1\n[target]\nbase_url = "${server.url}"\n` +
    `[[requests]]\nname = "r\\u001b[31mred"\npath = "/"\n[assertions]\np99_latency_ms = 0.001\n`);
  const run = await z6(['run', f]);
  const all = run.stdout + run.stderr;
  assert.ok(!all.includes('\x1b[2J') && !all.includes('\x1b[31m') && !all.includes('\rname'), JSON.stringify(all.slice(0, 300)));
  assert.match(run.stdout, /evil\\x1B\[2J\\rname/);
  assert.match(run.stdout, /r\\x1B\[31mred/);
  const plan = await z6(['plan', f]);
  assert.ok(!plan.stdout.includes('\x1b[31m'), 'plan output escaped');
});
