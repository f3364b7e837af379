/**
 * Extraction, checks and scoped assertions through the built CLI, as CI runs them: an extracted
 * secret reaches the server but no file or stream of the run; a failing per-request assertion
 * exits 1 and is shown with its request; abort_on_fail stops a lost run early, says why in the
 * summary and the results, and exits 1.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Results } from '../../engine/metrics/results-types';
import { ensureBuilt, httpServer, type Listening } from './helpers';

const cli = join(__dirname, '../../dist/cli.js');
const TOKEN = 'extracted-secret-4be91c07d2';
let tmp: string;
let server: Listening;
const authSeen: string[] = [];
const bodies: string[] = [];

function z6(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t0 }));
  });
}

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-flow-cli-'));
  server = await httpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/body') {
        bodies.push(body);
        return res.end('ok');
      }
      if (req.url === '/login') {
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `sid=${TOKEN}-cookie; Path=/` });
        return res.end(JSON.stringify({ token: TOKEN }));
      }
      if (req.url === '/boom') {
        res.writeHead(500);
        return res.end('down');
      }
      authSeen.push(req.headers.authorization ?? '');
      res.end('{"ok": true}');
    });
  });
});
after(() => server.close());

function scenario(name: string, body: string): string {
  const f = join(tmp, name);
  writeFileSync(f, `[target]\nbase_url = "${server.url}"\n${body}`);
  return f;
}

const LOGIN = `
[[requests]]
name = "login"
method = "POST"
path = "/login"
[requests.extract]
token = { json = "$.token", secret = true }
[requests.checks]
"has token" = { json = "$.token" }

[[requests]]
name = "me"
path = "/me"
headers = { Authorization = "Bearer {{ token }}" }
[requests.checks]
"ok" = { json = "$.ok", equals = true }
[requests.assertions]
p99_latency_ms = 0.001

[sequence]
[[sequence.steps]]
request = "login"
[[sequence.steps]]
request = "me"
`;

describe('a journey through the CLI', () => {
  test('an extracted secret is sent but never written; a failing per-request assertion exits 1', async () => {
    authSeen.length = 0;
    const f = scenario('journey.z6.toml', `[runtime]\nvus = 2\niterations = 3\n${LOGIN}`);
    const out = join(tmp, 'out');
    const run = await z6(['run', f, '--out', out, '--html', '--csv']);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(authSeen.length, 6);
    for (const a of authSeen) assert.equal(a, `Bearer ${TOKEN}`);
    // The summary shows the checks and the scoped assertion with its request.
    assert.match(run.stdout, /checks\s+12 passed, 0 failed \(100\.0 % passed\)/);
    assert.match(run.stdout, /FAIL\s+me: p99_latency_ms/);
    const files = readdirSync(out).sort();
    assert.deepEqual(files, ['report.html', 'results.json', 'timeseries.csv']);
    for (const [where, text] of [...files.map((n) => [n, readFileSync(join(out, n), 'utf8')]), ['stdout', run.stdout], ['stderr', run.stderr]]) {
      assert.ok(!text!.includes(TOKEN), `${where} contains the extracted secret`);
    }
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    assert.deepEqual(r.checks!.map((c) => [c.request, c.name, c.passed, c.failed]), [['login', 'has token', 6, 0], ['me', 'ok', 6, 0]]);
    // The CSV has the checks per second; they add up to the totals.
    const csv = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const col = (name: string) => csv[0]!.indexOf(name);
    const sum = (name: string) => csv.slice(1).reduce((a, row) => a + Number(row[col(name)] || 0), 0);
    assert.deepEqual([sum('checks_passed'), sum('checks_failed')], [12, 0]);
  });

  test('abort_on_fail stops a lost run early, with the reason in the summary and the results', async () => {
    const f = scenario('abort.z6.toml', `[runtime]\nvus = 2\nduration_seconds = 60\n` +
      `[[requests]]\nname = "boom"\npath = "/boom"\n[requests.assertions]\nerror_rate_max = 0.5\n` +
      `[assertions]\nabort_on_fail = true\nabort_delay_seconds = 1\n`);
    const out = join(tmp, 'abort');
    const run = await z6(['run', f, '--out', out]);
    assert.equal(run.code, 1, run.stderr);
    assert.ok(run.ms < 20_000, `took ${run.ms} ms of a 60 s run`);
    assert.match(run.stdout, /ABORTED \(abort_on_fail\)/);
    assert.match(run.stdout, /RESULT: FAIL — ABORTED: abort_on_fail after \d+ s: request "boom": error_rate_max = 1 \(must be <= 0\.5\)/);
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    assert.equal(r.status, 'aborted');
    assert.match(r.abortReason!, /error_rate_max/);
    assert.ok(r.loadSeconds >= 1 && r.loadSeconds < 15, `load ${r.loadSeconds} s`);
  });

  test('body_file_templates renders the file like an inline body; without it the bytes go as they are; an unknown name in it stops the run', async () => {
    bodies.length = 0;
    writeFileSync(join(tmp, 'order.json'), '{"user": "{{ user }}",\n "n": {{ iteration }}}');
    const scenarioWith = (flag: string) => scenario('body.z6.toml', `[runtime]\nvus = 1\niterations = 2\n[vars]\nuser = "ann"\n` +
      `[[requests]]\nname = "post"\nmethod = "POST"\npath = "/body"\nbody_file = "order.json"\n${flag}`);
    const rendered = await z6(['run', scenarioWith('body_file_templates = true\n'), '--quiet']);
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.deepEqual(bodies, ['{"user": "ann",\n "n": 0}', '{"user": "ann",\n "n": 1}']);
    bodies.length = 0;
    const raw = await z6(['run', scenarioWith(''), '--quiet']);
    assert.equal(raw.code, 0, raw.stderr);
    assert.deepEqual(bodies, ['{"user": "{{ user }}",\n "n": {{ iteration }}}', '{"user": "{{ user }}",\n "n": {{ iteration }}}']);
    bodies.length = 0;
    writeFileSync(join(tmp, 'order.json'), '{"user": "{{ usr }}"}');
    const bad = await z6(['run', scenarioWith('body_file_templates = true\n'), '--quiet']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /order\.json:1:14: error: unknown name 'usr'; did you mean 'user'\?.*\[template\]/);
    assert.deepEqual(bodies, [], 'nothing sent');
  });
});
