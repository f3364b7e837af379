/**
 * The event log and `z6 replay --verify` (issue 11), as a user runs them: `z6 run --events`
 * against loopback servers, then `z6 replay` on the log — as written, and with records changed,
 * removed, reordered or forged so that only the plan (not the checks) can tell.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import type { Results } from '../../engine/metrics/results-types';
import { NONE, checkOf, checkText, footerHashed, type EventLogFooter, type EventLogHeader } from '../../engine/events/format';
import { EventLogReader, parseRecord } from '../../engine/events/reader';
import { EventLogWriter, LIMIT_RESERVE } from '../../engine/events/writer';
import { runScenario } from '../../engine/run';
import { assertAccounted, ensureBuilt, httpServer, runZ6, scenarioFrom, type Listening } from './helpers';

let tmp: string;
let server: Listening;
/** Requests the server received, and the Authorization headers it saw. */
let hits = 0;
const auth: string[] = [];
/** Requests to /hold waiting for an answer that never comes (the interrupt test). */
let holding = 0;
const waiters: (() => void)[] = [];
const TOKEN = 'TOKENSECRET-8d1f';

function onRequest(req: IncomingMessage, res: import('node:http').ServerResponse): void {
  hits++;
  const path = (req.url ?? '/').split('?')[0];
  if (req.headers.authorization) auth.push(req.headers.authorization);
  req.resume();
  if (path === '/login') return void res.end(JSON.stringify({ token: TOKEN }));
  if (path === '/b') {
    // Every third is a 503: failures by kind, checks that fail.
    res.statusCode = hits % 3 === 0 ? 503 : 200;
    return void res.end('bbbbbbbbbbbbbbbbbbbb');
  }
  if (path === '/r') {
    res.statusCode = 302;
    res.setHeader('location', '/a');
    return void res.end();
  }
  if (path === '/slow') return void setTimeout(() => res.end('slow'), 20);
  if (path === '/hold') {
    holding++;
    waiters.splice(0).forEach((w) => w());
    return;
  }
  res.end('ok');
}

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-events-'));
  server = await httpServer(onRequest);
});
after(() => server.close());

const z6 = (args: string[], started?: Parameters<typeof runZ6>[1]['started'], env?: NodeJS.ProcessEnv) => runZ6(args, { cwd: tmp, started, env });

/** target: more [target] keys. */
function scenario(name: string, body: string, target = ''): string {
  const f = join(tmp, name);
  writeFileSync(f, `[target]\nbase_url = "${server.url}"\n${target}${body}`);
  return f;
}

/** Three requests (a success, a sometimes-503 and a redirect), checks, random think time; 3 VUs × 40 iterations on 2 shared connections. */
const MIX_TARGET = 'max_connections = 2\n';
const MIX = `[runtime]\nvus = 3\niterations = 40\nprng_seed = 21\n` +
  `[[requests]]\nname = "a"\npath = "/a"\nweight = 2\n[requests.checks]\n"status ok" = { status = 200 }\n"fast" = { max_ms = 5000 }\n` +
  `[[requests]]\nname = "b"\npath = "/b"\n[requests.checks]\n"is 200" = { status = 200 }\n` +
  `[[requests]]\nname = "r"\npath = "/r"\n` +
  `[think_time]\ntype = "random"\nmin_ms = 0\nmax_ms = 3\n`;

const lines = (file: string) => gunzipSync(readFileSync(file)).toString('utf8').replace(/\n$/, '').split('\n');
const writeLines = (file: string, l: string[]) => writeFileSync(file, gzipSync(l.join('\n') + '\n'));

/** A record line with new values and the check it would have at its place: only the plan can tell. */
function forged(line: string, seq: number, change: (fields: string[]) => void, nFiles = 0): string {
  const f = line.split('\t');
  change(f);
  const parsed = parseRecord(f.join('\t'), nFiles);
  assert.ok(typeof parsed !== 'string', String(parsed));
  f[f.length - 1] = checkText(checkOf(parsed.hash(seq)));
  return f.join('\t');
}

/** Index in `l` of the first line matching `re` after line 1 (the header). */
const find = (l: string[], re: RegExp, from = 1) => {
  const i = l.findIndex((x, k) => k >= from && re.test(x));
  assert.ok(i > 0, `no line matches ${re}`);
  return i;
};

describe('z6 run --events, then z6 replay --verify', () => {
  let log: string;
  let out: string;
  let results: Results;

  before(async () => {
    const f = scenario('mix.z6.toml', MIX, MIX_TARGET);
    log = join(tmp, 'mix.events.gz');
    out = join(tmp, 'out-mix');
    const r = await z6(['run', f, '--events', log, '--out', out, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
  });

  test('the log verifies against the scenario, the seed and the results (exit 0)', async () => {
    assertAccounted(results);
    assert.equal(results.totals.issued, 120);
    assert.ok(results.totals.failed > 0 && results.totals.redirects! > 0 && results.totals.checks!.failed > 0, 'the run has failures, redirects and failed checks to account for');
    assert.ok(results.queueWait!.count === 120 && results.queueWait!.max > 0, 'and requests that waited for a connection');
    const r = await z6(['replay', log, '--verify']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /log +ok/);
    assert.match(r.stdout, /plan +ok/);
    assert.match(r.stdout, /figures +ok: \d+ figures equal/);
    assert.match(r.stdout, /^VERIFIED$/m);
  });

  test('the log holds what the run did: header, one issue and one outcome per request, a footer', () => {
    const l = lines(log);
    const header = JSON.parse(l[0]!) as EventLogHeader;
    assert.equal(header.seed, 21);
    assert.equal(header.startedAt, results.startedAt);
    assert.equal(header.scenario.hash, results.scenario.hash);
    assert.deepEqual(header.requests, ['a', 'b', 'r']);
    assert.deepEqual(header.checks, [['status ok', 'fast'], ['is 200'], []]);
    assert.equal(header.results, join(out, 'results.json'));
    const footer = JSON.parse(l[l.length - 1]!) as EventLogFooter;
    assert.equal(footer.truncated, false);
    assert.equal(footer.records, l.length - 2);
    assert.equal(footer.counts.I, 120);
    assert.equal(footer.counts.O, 120);
    assert.equal(footer.counts.S, 3);
    assert.equal(footer.counts.E, 3);
    assert.equal(footer.counts.C, results.totals.connectionsOpened);
    // An outcome of b that failed carries its kind's status and its check result.
    assert.ok(l.some((x) => /^O\t-?\d+\t\d\t503\t\d+\t\d+\t20\t0\t0\t-\t[0-9a-f]{4}$/.test(x)), 'a 503 of b, 20 bytes, check failed');
    assert.ok(l.some((x) => /^O\t-?\d+\t\d\t200\t\d+\t\d+\t2\t1\t-\t-\t[0-9a-f]{4}$/.test(x)), 'r: a 200 after one redirect hop');
  });

  test('a record changed: exit 1, the message names its line', async () => {
    const l = lines(log);
    const i = find(l, /^O\t-?\d+\t\d\t200\t/, 20);
    l[i] = l[i]!.replace('\t200\t', '\t500\t');
    const bad = join(tmp, 'changed.events.gz');
    writeLines(bad, l);
    const r = await z6(['replay', bad, '--verify', '--results', join(out, 'results.json')]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`line ${i + 1}: changed`));
    assert.match(r.stdout, /statusCodes: the log gives/);
    assert.match(r.stdout, /NOT VERIFIED/);
  });

  test('how the run ended changed in the footer: the sha256 covers it (verify exit 1, report exit 2)', async () => {
    const l = lines(log);
    const footer = JSON.parse(l[l.length - 1]!) as EventLogFooter;
    assert.equal(footer.end?.status, 'completed');
    l[l.length - 1] = JSON.stringify({ ...footer, end: { ...footer.end, status: 'cancelled' } });
    const bad = join(tmp, 'end-changed.events.gz');
    writeLines(bad, l);
    const r = await z6(['replay', bad, '--verify', '--results', join(out, 'results.json')]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`line ${l.length}: footer: the sha256 of the header, records, truncated and end is [0-9a-f]{64}; the footer says ${footer.sha256}`));
    const rep = await z6(['report', bad]);
    assert.equal(rep.code, 2, rep.stdout + rep.stderr);
    assert.match(rep.stderr, /footer: the sha256/);
  });

  test('a record removed: exit 1, the message names where it is missing', async () => {
    const l = lines(log);
    const i = find(l, /^I\t/, 30);
    l.splice(i, 1);
    const bad = join(tmp, 'removed.events.gz');
    writeLines(bad, l);
    const r = await z6(['replay', bad, '--verify', '--results', join(out, 'results.json')]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`record #${i - 1} is missing before line ${i + 1}`));
    assert.match(r.stdout, /footer: it counts 120 I records; the log holds 119/);
  });

  test('two records reordered: exit 1, the message names both lines', async () => {
    const l = lines(log);
    const i = find(l, /^O\t/, 40);
    [l[i], l[i + 1]] = [l[i + 1]!, l[i]!];
    const bad = join(tmp, 'swapped.events.gz');
    writeLines(bad, l);
    const r = await z6(['replay', bad, '--verify', '--results', join(out, 'results.json')]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`line ${i + 2}: out of order: this is record #${i - 1}, which belongs before line ${i + 1}`));
  });

  test('a request changed with a valid check: the plan names the line, the VU and the plan index', async () => {
    const l = lines(log);
    const i = find(l, /^I\t-?\d+\t\d\t0\t/, 30);
    const [, , vu, , k] = l[i]!.split('\t');
    l[i] = forged(l[i]!, i - 1, (f) => (f[3] = '1'));
    const bad = join(tmp, 'forged.events.gz');
    writeLines(bad, l);
    const r = await z6(['replay', bad, '--verify', '--results', join(out, 'results.json')]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /changed: the record/, 'its check matches');
    assert.match(r.stdout, new RegExp(`line ${i + 1} \\(VU ${vu}, plan index ${k}\\): request "b", but the plan has "a" here`));
  });

  test('a think time changed with a valid check: the plan says which record', async () => {
    const l = lines(log);
    // The VU's second request or later: its intended start follows from the last response and the plan's think time.
    const i = find(l, /^I\t-?\d+\t\d\t\d\t[1-9]\d*\t/, 30);
    const [, , vu, , k] = l[i]!.split('\t');
    l[i] = forged(l[i]!, i - 1, (f) => (f[5] = String(Number(f[5]) + 1000)));
    const bad = join(tmp, 'late.events.gz');
    writeLines(bad, l);
    const r = await z6(['replay', bad, '--verify', '--results', join(out, 'results.json')]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`line ${i + 1} \\(VU ${vu}, plan index ${k}\\): intended start -?\\d+ µs; the last response ended at \\d+ µs and the plan's think time is \\d+ ms`));
  });

  test('a latency changed with a valid check: the record and the figures differ', async () => {
    const l = lines(log);
    const i = find(l, /^O\t-?\d+\t\d\t200\t/, 30);
    l[i] = forged(l[i]!, i - 1, (f) => (f[4] = String(Number(f[4]) + 10_000_000)));
    const bad = join(tmp, 'slower.events.gz');
    writeLines(bad, l);
    const r = await z6(['replay', bad, '--verify', '--results', join(out, 'results.json')]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`line ${i + 1} \\(VU \\d, plan index \\d+, request "\\w"\\): latency \\d+ µs, but the outcome comes \\d+ µs after its request`));
    assert.match(r.stdout, /latency\.max: the log gives/);
  });

  test('results of another run: exit 1, said as such', async () => {
    const other = join(tmp, 'other.json');
    writeFileSync(other, JSON.stringify({ ...results, startedAt: '2020-01-01T00:00:00.000Z' }));
    const r = await z6(['replay', log, '--verify', '--results', other]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /these results are of another run/);
  });

  test('a second of the series changed in the results: exit 1, the second named', async () => {
    assert.ok(results.timeseries.length >= 1 && results.timeseries[0]!.requests > 0);
    const series = results.timeseries.map((s, i) => (i === 0 ? { ...s, requests: s.requests + 1 } : s));
    const other = join(tmp, 'series.json');
    writeFileSync(other, JSON.stringify({ ...results, timeseries: series }));
    const r = await z6(['replay', log, '--verify', '--results', other]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`timeseries\\[0\\]: the log gives \\{"requests":${results.timeseries[0]!.requests},.*the results say \\{"requests":${results.timeseries[0]!.requests + 1},`));
    assert.match(r.stdout, /NOT VERIFIED/);
  });

  test('a time far beyond any run, changed or forged with a valid check: named at once, never a hang', async () => {
    for (const [name, valid] of [['far-changed', false], ['far-forged', true]] as const) {
      const l = lines(log);
      const i = find(l, /^O\t/, 30);
      const far = (f: string[]) => (f[1] = String(8 * 86_400e6));
      l[i] = valid ? forged(l[i]!, i - 1, far) : l[i]!.split('\t').map((x, k) => (k === 1 ? String(8 * 86_400e6) : x)).join('\t');
      const bad = join(tmp, `${name}.events.gz`);
      writeLines(bad, l);
      // Before, a report filled every second up to it, and verify every second of its series: out of memory.
      const v = await z6(['replay', bad, '--verify', '--results', join(out, 'results.json')]);
      assert.equal(v.code, 1, v.stdout + v.stderr);
      assert.match(v.stdout, valid ? new RegExp(`line ${i + 1}: the record's time, \\d+ µs from the start, is outside what z6 reads from a log \\(0 to 7 days\\)`) : new RegExp(`line ${i + 1}: changed`));
      const rep = await z6(['report', bad, '--json', join(tmp, `${name}.json`)]);
      assert.equal(rep.code, 2, rep.stdout + rep.stderr);
      assert.match(rep.stderr, new RegExp(`${name}\\.events\\.gz:${i + 1}: ${valid ? 'the record\'s time' : 'changed'}`));
    }
    // The footer's end, forged with its hash: the report would fill every second up to it.
    const l = lines(log);
    const footer = JSON.parse(l.at(-1)!) as EventLogFooter;
    const end = { ...footer.end!, us: 1e15 };
    const body = l.slice(0, -1).map((x) => x + '\n').join('');
    const sha256 = createHash('sha256').update(body).update(footerHashed({ truncated: false, end })).digest('hex');
    const bad = join(tmp, 'far-end.events.gz');
    writeFileSync(bad, gzipSync(body + JSON.stringify({ ...footer, end, sha256 }) + '\n'));
    const rep = await z6(['report', bad]);
    assert.equal(rep.code, 2, rep.stdout + rep.stderr);
    assert.match(rep.stderr, /the footer's end, 1000000000000000 µs from the start, is outside what z6 reads from a log/);
  });

  test('inputs that cannot be read: exit 2 with what and where', async () => {
    const missing = await z6(['replay', join(tmp, 'nothing.gz'), '--verify']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nothing\.gz: no such file/);
    const text = join(tmp, 'text.gz');
    writeFileSync(text, 'not gzip\n');
    const notGzip = await z6(['replay', text, '--verify']);
    assert.equal(notGzip.code, 2);
    assert.match(notGzip.stderr, /cannot read it as a gzip file/);
    const plain = join(tmp, 'plain.gz');
    writeFileSync(plain, gzipSync('{"hello": 1}\n'));
    const notLog = await z6(['replay', plain, '--verify']);
    assert.equal(notLog.code, 2);
    assert.match(notLog.stderr, /not a z6 event log/);
    const noResults = await z6(['replay', log, '--verify', '--results', join(tmp, 'none.json')]);
    assert.equal(noResults.code, 2);
    assert.match(noResults.stderr, /no results JSON at .*none\.json: give --results FILE/);
    const noFlag = await z6(['replay', log]);
    assert.equal(noFlag.code, 2);
    assert.match(noFlag.stderr, /say --verify/);
  });
});

describe('the event log in other runs', () => {
  test('open model with dropped arrivals: each arrival is the plan\'s choice at its intended time', async () => {
    const f = scenario('open.z6.toml', '[runtime]\nduration_seconds = 1\nprng_seed = 4\n[schedule]\ntype = "arrival_rate"\nrate = 200\nmax_in_flight = 2\n' +
      '[[requests]]\nname = "slow"\npath = "/slow"\n[[requests]]\nname = "a"\npath = "/a"\n');
    const log = join(tmp, 'open.events.gz');
    const r = await z6(['run', f, '--events', log, '--out', join(tmp, 'out-open'), '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(readFileSync(join(tmp, 'out-open/results.json'), 'utf8')) as Results;
    assert.ok(res.totals.dropped > 0, 'some arrivals were dropped');
    const l = lines(log);
    assert.equal(l.filter((x) => x.startsWith('D\t')).length, res.totals.dropped);
    const v = await z6(['replay', log, '--verify']);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /VERIFIED/);
  });

  test('a schedule that stops VUs, one of them after its iterations: each stop logged once, and the log verifies', async () => {
    // VU 0 finishes its 12 iterations (≥ 1.2 s of think time) during the second step; at 2 s the
    // schedule stops VU 1 in the middle of its own, and VU 0, which had already stopped.
    const f = scenario('steps.z6.toml', '[runtime]\nduration_seconds = 3\niterations = 12\nprng_seed = 6\n[schedule]\ntype = "steps"\n' +
      '[[schedule.steps]]\nvus = 1\nduration_seconds = 1\n[[schedule.steps]]\nvus = 2\nduration_seconds = 1\n[[schedule.steps]]\nvus = 0\nduration_seconds = 1\n' +
      '[think_time]\ntype = "constant"\nduration_ms = 100\n[[requests]]\nname = "a"\npath = "/a"\n');
    const log = join(tmp, 'steps.events.gz');
    const r = await z6(['run', f, '--events', log, '--out', join(tmp, 'out-steps'), '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const l = lines(log);
    const stops = (vu: number) => l.filter((x) => new RegExp(`^E\t-?\\d+\t${vu}\t`).test(x)).length;
    assert.equal(l.filter((x) => /^I\t-?\d+\t0\t/.test(x)).length, 12, 'VU 0 did its 12 iterations');
    assert.ok(l.filter((x) => /^I\t-?\d+\t1\t/.test(x)).length < 12, 'VU 1 was stopped before its 12');
    assert.equal(stops(0), 1);
    assert.equal(stops(1), 1);
    const v = await z6(['replay', log, '--verify']);
    assert.equal(v.code, 0, v.stdout + v.stderr);
  });

  test('data rows: sequential in declared order across VUs; a forged row is named', async () => {
    const csv = join(tmp, 'users.csv');
    writeFileSync(csv, 'user\n' + Array.from({ length: 7 }, (_, i) => `u${i}`).join('\n') + '\n');
    const f = scenario('data.z6.toml', '[runtime]\nvus = 3\niterations = 6\nprng_seed = 9\n[[data]]\nfile = "users.csv"\n' +
      '[[requests]]\nname = "a"\npath = "/a?u={{ user }}"\n');
    const log = join(tmp, 'data.events.gz');
    const r = await z6(['run', f, '--events', log, '--out', join(tmp, 'out-data'), '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const l = lines(log);
    const rows = l.filter((x) => x.startsWith('I\t')).map((x) => Number(x.split('\t')[6]));
    assert.deepEqual(rows, Array.from({ length: 18 }, (_, i) => i % 7), 'one cursor for all VUs, in order, wrapping');
    const ok = await z6(['replay', log, '--verify']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const i = find(l, /^I\t/, 8);
    const row = Number(l[i]!.split('\t')[6]);
    l[i] = forged(l[i]!, i - 1, (fl) => (fl[6] = String((row + 1) % 7)), 1);
    const bad = join(tmp, 'data-forged.events.gz');
    writeLines(bad, l);
    const v = await z6(['replay', bad, '--verify', '--results', join(tmp, 'out-data/results.json')]);
    assert.equal(v.code, 1, v.stdout + v.stderr);
    assert.match(v.stdout, new RegExp(`line ${i + 1} \\(VU \\d, plan index \\d\\): data file users\\.csv \\(sequential\\): row ${(row + 1) % 7}, but the sequential draw gives row ${row}`));
  });

  test('cancelled with requests in flight: they are logged as interrupted and the log still verifies', async () => {
    const f = scenario('hold.z6.toml', '[runtime]\nvus = 3\nduration_seconds = 30\nprng_seed = 2\n[[requests]]\nname = "hold"\npath = "/hold"\n');
    const log = join(tmp, 'hold.events.gz');
    holding = 0;
    const held = new Promise<void>((resolve) => {
      const check = () => (holding >= 3 ? resolve() : waiters.push(check));
      check();
    });
    const r = await z6(['run', f, '--events', log, '--out', join(tmp, 'out-hold'), '--quiet'], (child) => void held.then(() => child.kill('SIGINT')));
    assert.equal(r.code, 130, r.stderr);
    const l = lines(log);
    assert.equal(l.filter((x) => /^O\t-?\d+\t\d\tinterrupted\t-\t/.test(x)).length, 3);
    const v = await z6(['replay', log, '--verify']);
    assert.equal(v.code, 0, v.stdout + v.stderr);
  });

  test('secrets never appear: an extracted secret, a secret var and an env value sent in headers and a body', async () => {
    const f = scenario('secret.z6.toml', '[runtime]\nvus = 2\niterations = 3\nprng_seed = 5\n[vars]\nkey = { value = "VARSECRET-51c2", secret = true }\n' +
      '[[requests]]\nname = "login"\npath = "/login"\n[requests.extract]\ntoken = { json = "$.token", secret = true }\n' +
      '[[requests]]\nname = "use"\nmethod = "POST"\npath = "/a"\nbody = "{{ token }} {{ key }}"\n' +
      'headers = { Authorization = "Bearer {{ token }}", X-Key = "{{ key }}", X-Env = "{{ env.Z6_EVENTS_SECRET }}" }\n' +
      '[sequence]\n[[sequence.steps]]\nrequest = "login"\n[[sequence.steps]]\nrequest = "use"\n');
    const log = join(tmp, 'secret.events.gz');
    auth.length = 0;
    const r = await z6(['run', f, '--events', log, '--quiet', '--env', 'Z6_EVENTS_SECRET=ENVSECRET-77aa']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(auth.includes(`Bearer ${TOKEN}`), 'the token was extracted and sent');
    const text = gunzipSync(readFileSync(log)).toString('utf8');
    for (const secret of [TOKEN, 'VARSECRET', 'ENVSECRET', 'Bearer']) assert.ok(!text.includes(secret), `${secret} is not in the log`);
  });

  test('the size limit ends the log cleanly; the run and its results are whole', async () => {
    // 12,000 requests, ≈ 350 KB of compressed log: three times the limit.
    const f = scenario('many.z6.toml', '[runtime]\nvus = 6\niterations = 2000\nprng_seed = 8\n[[requests]]\nname = "a"\npath = "/a"\n');
    const log = join(tmp, 'many.events.gz');
    const before = hits;
    const r = await z6(['run', f, '--events', log, '--events-max-mb', '0.1', '--out', join(tmp, 'out-many')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: the event log .*many\.events\.gz reached its size limit \(0\.1 MiB\)/);
    const res = JSON.parse(readFileSync(join(tmp, 'out-many/results.json'), 'utf8')) as Results;
    assertAccounted(res);
    assert.equal(res.totals.issued, 12_000);
    assert.equal(res.totals.succeeded, 12_000);
    assert.equal(hits - before, 12_000, 'every request reached the server');
    const size = statSync(log).size;
    assert.ok(size <= 0.1 * 1048576, `the file (${size} bytes) is within its limit`);
    // It stops near the limit less the room kept for what deflate holds (LIMIT_RESERVE), not long before.
    assert.ok(size >= 0.1 * 1048576 - LIMIT_RESERVE - 16 * 1024, `the file (${size} bytes) used its room`);
    const l = lines(log);
    const footer = JSON.parse(l[l.length - 1]!) as EventLogFooter;
    assert.equal(footer.truncated, true);
    assert.equal(footer.records, l.length - 2);
    assert.ok(footer.counts.I! > 100 && footer.counts.I! < 12_000, `${footer.counts.I} requests logged`);
    const v = await z6(['replay', log, '--verify']);
    assert.equal(v.code, 1, v.stdout + v.stderr);
    assert.match(v.stdout, /log +ok/, 'what the log holds is intact');
    assert.match(v.stdout, /plan +ok/);
    assert.match(v.stdout, /note: the log was truncated by its size limit \(0\.1 MiB\) after \d+ records/);
  });

  test('the writer keeps any log within its limit, however much is written, and the reader reads it whole', async () => {
    const file = join(tmp, 'bound.events.gz');
    const maxBytes = 300 * 1024;
    const w = new EventLogWriter({ file, maxBytes, options: {} });
    w.start({ z6events: 1, engine: { name: 'z6', version: 'test' }, scenario: { hash: 'h' }, seed: 1, planHash: 'p', segment: null, startedAt: new Date().toISOString(), model: 'closed', options: {}, requests: ['a'], checks: [[]], data: [], maxBytes });
    // Hard-to-compress numbers, as real latencies are: ≈ 5 MB of text, ≈ 20 times the limit.
    let t = 0;
    let x = 1;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 100_000; i++) {
      t += next() % 100;
      w.issued(t, i % 50, 0, i, next() % 1000, null);
      t += next() % 3000;
      w.outcome(t, i % 50, 200, next() % 100_000, NONE, next() % 10_000, 0);
      // Let zlib work between batches, as the event loop does in a run (≈ 2 MB/s of text here; a run at 40,000 requests/s writes ≈ 2 MB/s).
      if (i % 250 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await w.finish();
    const size = statSync(file).size;
    assert.ok(w.truncated);
    assert.ok(size <= maxBytes, `${size} bytes within ${maxBytes}`);
    assert.ok(size >= maxBytes - LIMIT_RESERVE - 16 * 1024, `${size} bytes: the log used its room`);
    const log = await EventLogReader.open(file);
    let n = 0;
    for await (const r of log.records()) if (r) n++;
    assert.deepEqual(log.problems, []);
    assert.equal(log.footer?.truncated, true);
    assert.equal(log.footer?.records, n);
  });

  test('[output] events writes the log beside the scenario; --events wins over it', async () => {
    const dir = join(tmp, 'keyed');
    mkdirSync(dir, { recursive: true });
    const f = join(dir, 'k.z6.toml');
    writeFileSync(f, `[target]\nbase_url = "${server.url}"\n[runtime]\nvus = 1\niterations = 3\nprng_seed = 1\n[[requests]]\npath = "/a"\n[output]\nevents = "logs/k.events.gz"\nevents_max_mb = 64\n`);
    const r = await z6(['run', f, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const keyed = join(dir, 'logs/k.events.gz');
    const header = JSON.parse(lines(keyed)[0]!) as EventLogHeader;
    assert.equal(header.maxBytes, 64 * 1048576);
    const flag = join(tmp, 'flag.events.gz');
    const again = await z6(['run', f, '--quiet', '--events', flag, '--events-max-mb', '2']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(lines(flag)[0]!) as EventLogHeader).maxBytes, 2 * 1048576);
  });

  test('a log file that cannot be created stops z6 run before any load (exit 3)', async () => {
    const blocker = join(tmp, 'a-file');
    writeFileSync(blocker, '');
    const f = scenario('blocked.z6.toml', '[runtime]\nvus = 1\niterations = 1\n[[requests]]\npath = "/a"\n');
    const before = hits;
    const r = await z6(['run', f, '--events', join(blocker, 'x.events.gz')]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /cannot write the event log/);
    assert.equal(hits, before);
  });

  test('a run without an event log writes none and counts the same', async () => {
    const s = scenarioFrom(`[target]\nbase_url = "${server.url}"\n${MIX_TARGET}${MIX}`);
    const dir = mkdtempSync(join(tmpdir(), 'z6-events-none-'));
    const plain = await runScenario(s);
    assert.deepEqual(readdirSync(dir), []);
    const writer = new EventLogWriter({ file: join(dir, 'x.events.gz'), maxBytes: 1048576, options: {} });
    const logged = await runScenario(s, { events: writer });
    assert.ok(existsSync(join(dir, 'x.events.gz')));
    // The server answers by position (every third /b is a 503), so compare what does not depend on it.
    for (const r of [plain, logged]) assertAccounted(r);
    assert.equal(logged.totals.issued, plain.totals.issued);
    assert.deepEqual(logged.requests.map((q) => q.issued), plain.requests.map((q) => q.issued));
    assert.equal(logged.totals.redirects, plain.totals.redirects);
  });
});
