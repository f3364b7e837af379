/**
 * A simulated target through the front doors: `z6 run` (every output, exit codes, byte-identical
 * files from two processes), `z6 plan`, the editor's `z6 run --ipc`, and the validator's view of
 * base_url = "sim://NAME", [simulation] and [requests.simulation].
 */
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Results } from '../../engine/metrics/results-types';
import type { EngineMessage } from '../../engine/run/protocol';
import { validateText } from '../../engine/scenario/validate';
import { assertAccounted, ensureBuilt } from './helpers';

const root = join(__dirname, '../..');
let tmp: string;

const SCENARIO = `[metadata]\nname = "sim shop"\n[target]\nbase_url = "sim://shop"\n[simulation]\nconcurrency = 10\nqueue_limit = 50\n` +
  `latency = "lognormal"\nlatency_ms = 30\nlatency_p99_ms = 200\nerror_rate = 0.01\nresponse_bytes = 300\n[runtime]\nduration_seconds = 1800\nvus = 40\nprng_seed = 11\n` +
  `[think_time]\ntype = "random"\nmin_ms = 100\nmax_ms = 900\n[[requests]]\nname = "browse"\npath = "/"\nweight = 4\n` +
  `[[requests]]\nname = "buy"\nmethod = "POST"\npath = "/buy"\n[requests.simulation]\nlatency_ms = 90\nlatency_p99_ms = 600\nerror_rate = 0.05\n`;

function write(name: string, text: string): string {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
}

function z6(...args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin/z6.js'), ...args], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
}

before(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-sim-'));
});

describe('z6 run on a simulated target', () => {
  test('two processes, same seed: byte-identical results.json and timeseries.csv; the report and summary say simulated', () => {
    const f = write('shop.z6.toml', `${SCENARIO}[assertions]\nerror_rate_max = 0.05\np99_latency_ms = 1000\n`);
    const a = z6('run', f, '--out', 'a', '--html', '--csv');
    const b = z6('run', f, '--out', 'b', '--csv');
    assert.equal(a.status, 0, a.stderr);
    assert.equal(b.status, 0, b.stderr);
    const ra = readFileSync(join(tmp, 'a/results.json'), 'utf8');
    assert.equal(ra, readFileSync(join(tmp, 'b/results.json'), 'utf8'));
    assert.equal(readFileSync(join(tmp, 'a/timeseries.csv'), 'utf8'), readFileSync(join(tmp, 'b/timeseries.csv'), 'utf8'));
    const r = JSON.parse(ra) as Results;
    assertAccounted(r);
    assert.equal(r.durationSeconds >= 1800 && r.timeseries.length >= 1800, true);
    assert.match(readFileSync(join(tmp, 'a/report.html'), 'utf8'), /sim:\/\/shop/);
    assert.match(a.stdout, /target {4}sim:\/\/shop/);
    assert.match(a.stdout, /simulated nothing was sent: the \[simulation\] model answered, in virtual time from 2000-01-01T00:00:00.000Z/);
    assert.match(a.stdout, /RESULT: PASS/);
    // Another seed, other answers.
    const c = z6('run', f, '--out', 'c', '--seed', '12', '--quiet');
    assert.equal(c.status, 0, c.stderr);
    assert.notEqual(readFileSync(join(tmp, 'c/results.json'), 'utf8'), ra);
  });

  test('two processes, same seed: byte-identical event logs, and each verifies; another seed, another log', () => {
    const f = write('logged.z6.toml', SCENARIO.replace('duration_seconds = 1800', 'duration_seconds = 300'));
    // Same arguments each time (the header names the results file): the logs are moved aside.
    const run = (name: string, ...more: string[]) => {
      const r = z6('run', f, '--out', 'logged', '--events', 'events.log', '--quiet', ...more);
      assert.equal(r.status, 0, r.stderr);
      const v = z6('replay', 'events.log', '--verify');
      assert.equal(v.status, 0, v.stdout + v.stderr);
      renameSync(join(tmp, 'events.log'), join(tmp, name));
      return readFileSync(join(tmp, name));
    };
    const a = run('a.log');
    const b = run('b.log');
    assert.ok(a.length > 10_000, `a log of ${a.length} bytes`);
    assert.ok(a.equals(b), 'the two logs differ');
    assert.ok(!run('c.log', '--seed', '12').equals(a));
  });

  test('an assertion the model cannot meet fails the run: exit 1', () => {
    const f = write('slow.z6.toml', `${SCENARIO}[assertions]\np99_latency_ms = 50\n`);
    const r = z6('run', f, '--quiet');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /RESULT: FAIL/);
  });

  test('z6 plan says the target is simulated and how each request is answered', () => {
    const r = z6('plan', write('plan.z6.toml', SCENARIO));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /target {5}sim:\/\/shop is simulated: nothing is sent/);
    assert.match(r.stdout, /capacity: 10 servers, then a queue of at most 50 \(503 beyond\)/);
    assert.match(r.stdout, /browse: lognormal, median 30 ms, p99 200 ms, 1 % answered 500, 300 bytes/);
    assert.match(r.stdout, /buy: lognormal, median 90 ms, p99 600 ms, 5 % answered 500, 300 bytes/);
  });

  test('the editor\'s run (--ipc): started, a few progress messages (not one per virtual second), finished with the same results as z6 run', async () => {
    const f = write('ipc.z6.toml', SCENARIO);
    const messages: EngineMessage[] = [];
    const code = await new Promise<number | null>((resolve) => {
      const child = fork(join(root, 'dist/cli.js'), ['run', f, '--ipc'], { cwd: tmp, execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      child.on('message', (m) => messages.push(m as EngineMessage));
      child.on('exit', (c) => resolve(c));
    });
    assert.equal(code, 0);
    assert.equal(messages[0]!.type, 'started');
    const fin = messages.at(-1)!;
    assert.equal(fin.type, 'finished');
    const progress = messages.filter((m) => m.type === 'progress');
    assert.ok(progress.length >= 1 && progress.length < 360, `${progress.length} progress messages for 1800 virtual seconds`);
    const cli = z6('run', f, '--out', 'ipc-cli', '--quiet');
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(JSON.stringify((fin as Extract<EngineMessage, { type: 'finished' }>).results, null, 2) + '\n', readFileSync(join(tmp, 'ipc-cli/results.json'), 'utf8'));
  });
});

describe('the validator on simulated targets', () => {
  const problems = (text: string) => validateText(text).diagnostics.map((d) => `${d.range.start.line + 1}:${d.severity}:${d.code}:${d.message}`);
  const base = '[runtime]\nduration_seconds = 5\n[[requests]]\npath = "/"\n';

  test('sim://NAME with [simulation] and [requests.simulation] is valid; the scenario carries the merged model', () => {
    const v = validateText(`[target]\nbase_url = "sim://shop/v1"\n[simulation]\nconcurrency = 2\nerror_rate = 0.1\n${base}[requests.simulation]\nlatency_ms = 20\n`);
    assert.deepEqual(v.diagnostics, []);
    const sim = v.scenario!.simulation!;
    assert.equal(sim.name, 'shop');
    assert.equal(sim.concurrency, 2);
    assert.deepEqual([sim.requests[0]!.latencyMs, sim.requests[0]!.errorRate, sim.answers.latencyMs], [20, 0.1, 10]);
    assert.equal(v.scenario!.target.origin, 'sim://shop');
    assert.equal(v.scenario!.requests[0]!.wirePath, '/v1/');
  });

  test('what does not fit is said where it is written', () => {
    assert.deepEqual(problems(`[target]\nbase_url = "sim://"\n${base}`), ['2:error:invalid-url:\'base_url\' names no simulated target: write sim://NAME']);
    assert.deepEqual(problems(`[target]\nbase_url = "http://x"\n[simulation]\nconcurrency = 2\n${base}`),
      ['3:warning:not-applicable:[simulation] has no effect: base_url is not sim://NAME, so the target is real']);
    assert.deepEqual(problems(`[target]\nbase_url = "sim://x"\n[simulation]\nlatency = "lognormal"\n${base}`),
      ['4:error:missing-key:latency = "lognormal" needs latency_p99_ms, the 99th percentile of the service time (latency_ms is its median)']);
    assert.deepEqual(problems(`[target]\nbase_url = "sim://x"\n[simulation]\nerror_rate = 0.5\n${base}[requests.simulation]\nreset_rate = 0.6\nlatency_p99_ms = 9\n`), [
      '10:error:rates-over-one:error_rate + timeout_rate + reset_rate + connect_rate is 1.1: they are shares of the same requests and add up to at most 1',
      '11:warning:not-applicable:latency_p99_ms has no effect with latency = "fixed" (it uses latency_ms)',
    ]);
    assert.deepEqual(problems(`[target]\nbase_url = "sim://x"\n[simulation]\nqueue_limit = 5\n${base}`),
      ['4:warning:not-applicable:queue_limit has no effect without concurrency: with unlimited servers no request ever waits']);
  });
});
