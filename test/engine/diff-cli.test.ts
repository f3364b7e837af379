/**
 * `z6 diff`, `z6 report` and `z6 run --baseline` as a user runs them (the built CLI in a child
 * process), on results of real runs against a loopback server whose /slow answer the test can
 * slow down: run A as it is, run B with /slow 50 ms slower and nothing else changed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Comparison } from '../../engine/compare/compare';
import type { LatencySummary, Results } from '../../engine/metrics/results-types';
import { ensureBuilt, httpServer, runZ6, type Listening } from './helpers';

let tmp: string;
let server: Listening;
/** Added to /slow's 30 ms while run B goes. */
let slowExtraMs = 0;
let a: Results;
let b: Results;
let runB: { code: number | null; stdout: string; stderr: string };

const z6 = (args: string[]) => runZ6(args, { cwd: tmp });
const read = (file: string) => JSON.parse(readFileSync(join(tmp, file), 'utf8'));

/**
 * Latency recomputed from stored histograms: every figure within HDR's 0.1 % of the run's own
 * (the encoding keeps buckets, so the exact extremes the run tracked come back as bucket edges).
 */
function assertSameLatency(actual: LatencySummary, expected: LatencySummary): void {
  for (const k of Object.keys(expected) as (keyof LatencySummary)[]) {
    assert.ok(Math.abs(actual[k] - expected[k]) <= expected[k] * 0.001 + 0.001, `${k}: ${actual[k]} vs ${expected[k]}`);
  }
}

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-diff-cli-'));
  server = await httpServer((req, res) => {
    const t = setTimeout(() => res.end('ok'), req.url === '/slow' ? 30 + slowExtraMs : 0);
    res.on('close', () => clearTimeout(t));
  });
  writeFileSync(join(tmp, 's.z6.toml'), `[metadata]\nname = "diff"\n[runtime]\nduration_seconds = 2\nvus = 4\nprng_seed = 11\n[target]\nbase_url = "${server.url}"\n` +
    '[[requests]]\nname = "home"\npath = "/"\nweight = 3\n[[requests]]\nname = "slow"\npath = "/slow"\n');
  const ranA = await z6(['run', 's.z6.toml', '--out', 'a', '--quiet']);
  assert.equal(ranA.code, 0, ranA.stderr);
  slowExtraMs = 50;
  runB = await z6(['run', 's.z6.toml', '--out', 'b', '--html', '--baseline', 'a/results.json']);
  assert.equal(runB.code, 0, `the run's exit code stays the assertions' (none here): ${runB.stderr}`);
  a = read('a/results.json');
  b = read('b/results.json');
});
after(() => server.close());

describe('z6 diff', () => {
  test('a run against itself: no change, exit 0', async () => {
    const r = await z6(['diff', 'a/results.json', 'a/results.json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^RESULT: NO REGRESSION beyond 5 %$/m);
    assert.doesNotMatch(r.stdout, /REGRESSED|improved/);
    assert.match(r.stdout, /^request "home": unchanged$/m);
    const j = await z6(['diff', 'a/results.json', 'a/results.json', '--json']);
    assert.equal(j.code, 0);
    const c = JSON.parse(j.stdout) as Comparison;
    assert.equal(c.regressed, false);
    assert.deepEqual(c.warnings, []);
    for (const f of [...c.figures, ...c.requests.flatMap((q) => q.figures)]) assert.equal(f.verdict, 'unchanged', f.id);
    assert.equal(c.a.label, 'a/results.json');
  });

  test('/slow 50 ms slower: that request regressed, home did not, exit 1', async () => {
    assert.ok(b.requests[1]!.latency.p50 > a.requests[1]!.latency.p50 + 40, `the server did slow /slow down: ${a.requests[1]!.latency.p50} → ${b.requests[1]!.latency.p50} ms`);
    const j = await z6(['diff', 'a/results.json', 'b/results.json', '--json']);
    assert.equal(j.code, 1, j.stderr);
    const c = JSON.parse(j.stdout) as Comparison;
    const slow = c.requests.find((q) => q.name === 'slow')!;
    const home = c.requests.find((q) => q.name === 'home')!;
    assert.equal(slow.verdict, 'regressed');
    assert.equal(slow.figures.find((f) => f.id === 'latency.p50')!.verdict, 'regressed');
    assert.notEqual(home.verdict, 'regressed', JSON.stringify(home.figures.filter((f) => f.verdict === 'regressed')));
    assert.equal(c.regressed, true);
    const t = await z6(['diff', 'a/results.json', 'b/results.json']);
    assert.equal(t.code, 1);
    assert.match(t.stdout, /^request "slow": REGRESSED$/m);
    assert.match(t.stdout, /^ {2}p50 latency +[\d.]+ ms +[\d.]+ ms +\+\d+ % +REGRESSED$/m);
    assert.match(t.stdout, /^RESULT: REGRESSED beyond 5 % \(\d+\): .*"slow" p50 latency \+\d+ %/m);
    assert.doesNotMatch(t.stdout, /^request "home": REGRESSED/m);
    // Swapped, the same change is an improvement: A is the baseline.
    const back = await z6(['diff', 'b/results.json', 'a/results.json', '--json']);
    const cb = JSON.parse(back.stdout) as Comparison;
    assert.equal(cb.requests.find((q) => q.name === 'slow')!.verdict, 'improved');
  });

  test('--threshold 10: the +160 % of /slow is within 1000 %, and the threshold is in the output', async () => {
    const r = await z6(['diff', 'a/results.json', 'b/results.json', '--threshold', '10', '--json']);
    const c = JSON.parse(r.stdout) as Comparison;
    const p50 = c.requests.find((q) => q.name === 'slow')!.figures.find((f) => f.id === 'latency.p50')!;
    assert.equal(p50.verdict, 'unchanged');
    assert.equal(p50.why, 'within 1000 %');
    // Whatever else moved (a stalled second on a busy machine), only moves past 1000 % count.
    const regressed = [...c.figures, ...c.requests.flatMap((q) => q.figures)].filter((f) => f.verdict === 'regressed');
    for (const f of regressed) assert.ok(f.relative === null || Math.abs(f.relative) > 10, JSON.stringify(f));
    assert.equal(r.code, regressed.length ? 1 : 0);
    const text = await z6(['diff', 'a/results.json', 'b/results.json', '--threshold', '10']);
    assert.match(text.stdout, /RESULT: (NO REGRESSION|REGRESSED) beyond 1000 %/);
  });

  test('names from the scenario reach the terminal with their control characters escaped', async () => {
    const evil = 'home\x1b[2J\rgone';
    mkdirSync(join(tmp, 'evil'), { recursive: true });
    for (const [name, r] of [['a', a], ['b', b]] as const) {
      writeFileSync(join(tmp, `evil/${name}.json`), JSON.stringify({ ...r, requests: r.requests.map((q) => (q.name === 'home' ? { ...q, name: evil } : q)) }));
    }
    const r = await z6(['diff', 'evil/a.json', 'evil/b.json']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^request "home\\x1B\[2J\\rgone": /m);
    assert.doesNotMatch(r.stdout, /[\x1b\r]/);
  });

  test('bad inputs: exit 2 with a message that names the file and what is wrong', async () => {
    mkdirSync(join(tmp, 'bad'), { recursive: true });
    const put = (name: string, text: string) => writeFileSync(join(tmp, 'bad', name), text);
    put('text.json', 'hello');
    put('array.json', '[1, 2]');
    put('other.json', '{"name": "package"}');
    put('v2.json', JSON.stringify({ ...a, version: 2 }));
    put('v0.json', JSON.stringify({ ...a, version: 0 }));
    const { totals: _t, ...noTotals } = a;
    put('partial.json', JSON.stringify(noTotals));
    put('empty.json', '');
    const cases: [string[], RegExp][] = [
      [['bad/missing.json', 'a/results.json'], /^z6 diff: bad\/missing\.json: no such file$/m],
      [['bad/text.json', 'a/results.json'], /^z6 diff: bad\/text\.json: is not JSON \(.+\)$/m],
      [['a/results.json', 'bad/array.json'], /^z6 diff: bad\/array\.json: is not a Z6 results file \(the JSON is an array, not an object\)$/m],
      [['a/results.json', 'bad/other.json'], /^z6 diff: bad\/other\.json: is not a Z6 results file \(it has no "tool": \{ "name": "z6" \}\)$/m],
      [['a/results.json', 'bad/v2.json'], /^z6 diff: bad\/v2\.json: has results version 2, newer than this z6 reads \(version 1\): update z6$/m],
      [['a/results.json', 'bad/v0.json'], /^z6 diff: bad\/v0\.json: has an unsupported results version \(0; this z6 reads version 1\)$/m],
      [['a/results.json', 'bad/partial.json'], /^z6 diff: bad\/partial\.json: is not a complete Z6 results file: "totals" is missing$/m],
      [['bad/empty.json', 'a/results.json'], /^z6 diff: bad\/empty\.json: is empty, not a results JSON$/m],
      [['bad', 'a/results.json'], /^z6 diff: bad: is a directory, not a results file or an event log$/m],
      [['a/results.json'], /^z6 diff: give two results files or event logs, A \(the baseline\) and B; got 1$/m],
      [['a/results.json', 'a/results.json', '--threshold', 'lots'], /--threshold must be a number from 0 to 10, got 'lots'/],
    ];
    for (const [args, message] of cases) {
      const r = await z6(['diff', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '');
    }
    // Both files wrong: both are named.
    const both = await z6(['diff', 'bad/text.json', 'bad/v2.json']);
    assert.match(both.stderr, /bad\/text\.json: is not JSON[\s\S]*bad\/v2\.json: has results version 2/);
  });
});

describe('z6 run --baseline', () => {
  test('a line after the summary, and the comparison in report.html', () => {
    assert.match(runB.stdout, /^baseline a\/results\.json: REGRESSED beyond 5 % \(\d+\): .*"slow" p50 latency/m);
    const html = readFileSync(join(tmp, 'b/report.html'), 'utf8');
    const embedded = /<script type="application\/json" id="z6-comparison-data">(.*?)<\/script>/.exec(html);
    assert.ok(embedded, 'report.html embeds the comparison');
    const c = JSON.parse(embedded[1]!) as Comparison;
    assert.equal(c.b.label, 'this run');
    assert.equal(c.requests.find((q) => q.name === 'slow')!.verdict, 'regressed');
  });

  test('an unreadable baseline stops before any load: exit 2', async () => {
    const r = await z6(['run', 's.z6.toml', '--baseline', 'nothing.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^z6 run: --baseline nothing\.json: no such file$/m);
    assert.doesNotMatch(r.stderr, /running/);
  });
});

describe('z6 report', () => {
  test('from a results JSON: the summary, and HTML, CSV and JSON as z6 run writes them', async () => {
    const r = await z6(['report', 'a/results.json', '--html', 'out/r.html', '--csv', 'out/r.csv', '--json', 'out/r.json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^diff: completed in [\d.]+ s, seed 11$/m);
    assert.match(r.stdout, new RegExp(`requests {2}${a.totals.issued.toLocaleString('en-US')} issued`));
    assert.match(r.stdout, /^RESULT: DONE \(no assertions\)$/m);
    assert.deepEqual(read('out/r.json'), a);
    assert.equal(readFileSync(join(tmp, 'out/r.csv'), 'utf8').trim().split('\n').length, a.timeseries.length + 1);
    const html = readFileSync(join(tmp, 'out/r.html'), 'utf8');
    assert.match(html, /<script type="application\/json" id="z6-results">/);
    assert.doesNotMatch(html, /id="z6-comparison-data"/);
    assert.match(r.stderr, /^wrote out\/r\.html, out\/r\.csv, out\/r\.json$/m);
  });

  test('--filter request=slow: totals and latency are that request\'s, and the output says what was filtered', async () => {
    const r = await z6(['report', 'b/results.json', '--filter', 'request=slow', '--json', 'out/slow.json']);
    assert.equal(r.code, 0, r.stderr);
    const f = read('out/slow.json') as Results;
    const slow = b.requests.find((q) => q.name === 'slow')!;
    assert.deepEqual(f.requests.map((q) => q.name), ['slow']);
    assert.equal(f.totals.issued, slow.issued);
    assert.equal(f.totals.succeeded, slow.succeeded);
    assertSameLatency(f.latency, slow.latency);
    assert.equal(f.totals.responses, slow.responses);
    assert.deepEqual(f.statusCodes, {});
    assert.equal(f.filter!.applied, 'request "slow"');
    assert.match(r.stdout, /filtered {2}request "slow"\. Totals, latency, failures and checks are recomputed from the 1 selected request\./);
    // Two requests: their histograms merged give the whole run's latency back.
    const both = await z6(['report', 'b/results.json', '--filter', 'request=slow', '--filter', 'request=home', '--json', 'out/both.json']);
    assert.equal(both.code, 0);
    assertSameLatency((read('out/both.json') as Results).latency, b.latency);
    // A filtered file is still a results file: diff reads it.
    await z6(['report', 'a/results.json', '--filter', 'request=slow', '--json', 'out/slow-a.json']);
    const d = await z6(['diff', 'out/slow-a.json', 'out/slow.json', '--json']);
    assert.equal(d.code, 1);
    assert.deepEqual((JSON.parse(d.stdout) as Comparison).requests.map((q) => [q.name, q.verdict]), [['slow', 'regressed']]);
  });

  test('--filter time=0..1 keeps those seconds of the per-second series', async () => {
    const r = await z6(['report', 'a/results.json', '--filter', 'time=0..1', '--csv', 'out/t.csv', '--json', 'out/t.json']);
    assert.equal(r.code, 0, r.stderr);
    const rows = readFileSync(join(tmp, 'out/t.csv'), 'utf8').trim().split('\n').slice(1);
    assert.deepEqual(rows.map((l) => l.split(',')[0]), ['0']);
    const t = read('out/t.json') as Results;
    assert.deepEqual(t.totals, a.totals, 'totals stay the whole run\'s');
    assert.match(t.filter!.notes.join(' '), /applies to the per-second series/);
  });

  test('filters a results JSON cannot apply: exit 2, saying why', async () => {
    const cases: [string, RegExp][] = [
      ['request=nope', /^z6 report: a\/results\.json: --filter request=nope: no request of that name in the results \("home", "slow"\)$/m],
      ['status=500', /--filter status=500: a results JSON counts status codes for the whole run only, not per request; filtering by status needs the event log/],
      ['failure=slowness', /unknown failure kind 'slowness' \(one of http_4xx, /],
      ['time=5', /write the window as time=FROM\.\.TO/],
      ['time=5..2', /TO must be after FROM/],
      ['colour=red', /unknown filter; use request=NAME, failure=KIND, status=CODE or time=FROM\.\.TO/],
    ];
    for (const [filter, message] of cases) {
      const r = await z6(['report', 'a/results.json', '--filter', filter]);
      assert.equal(r.code, 2, filter);
      assert.match(r.stderr, message, filter);
    }
    mkdirSync(join(tmp, 'bad'), { recursive: true });
    writeFileSync(join(tmp, 'bad/hist.json'), JSON.stringify({ ...a, requests: a.requests.map((q) => ({ ...q, histogram: 'garbage' })) }));
    const hist = await z6(['report', 'bad/hist.json', '--filter', 'request=slow']);
    assert.equal(hist.code, 2);
    assert.match(hist.stderr, /^z6 report: bad\/hist\.json: the latency histogram of request "slow" cannot be read \(.+\): its latency cannot be recomputed$/m);
    const help = await z6(['report', '--help']);
    assert.match(help.stdout, /--filter status=CODE\s+only responses with this HTTP status \(an event log only\)/);
  });

  test('--baseline: the comparison after the summary and in the HTML', async () => {
    const r = await z6(['report', 'b/results.json', '--baseline', 'a/results.json', '--html', 'out/cmp.html']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /compared with the baseline\nA \(baseline\): a\/results\.json/);
    assert.match(r.stdout, /^request "slow": REGRESSED$/m);
    assert.match(readFileSync(join(tmp, 'out/cmp.html'), 'utf8'), /id="z6-comparison-data"/);
    const missing = await z6(['report', 'b/results.json', '--baseline', 'nope.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^z6 report: nope\.json: no such file$/m);
  });
});
