/**
 * Reports from an event log (engine/events/log-results.ts through engine/cli/commands/run-input.ts):
 * `z6 run --events LOG --out DIR` against a loopback server, then `z6 report LOG --json` must give
 * the run's own results.json figure for figure — counts per request, statuses, failures by kind
 * (4xx, 5xx, timeouts), checks, redirects, bytes, connections, queue wait, every histogram, the
 * per-second series, the assertions — except what the log does not hold and the report says it
 * lacks: the generator's load, the failure messages, and the active VUs of each second (the
 * runner reads them at its tick; the replay counts them from the log). `z6 diff` of the results against
 * the log finds no change; a log that is not whole, or a scenario that is not the one that ran,
 * is refused with exit 2.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import type { Results } from '../../engine/metrics/results-types';
import { footerHashed } from '../../engine/events/format';
import { resultsFromLog } from '../../engine/events/log-results';
import { EventLogReader } from '../../engine/events/reader';
import { EventRecorder, eventLogHeader } from '../../engine/events/recorder';
import { EventLogWriter } from '../../engine/events/writer';
import { parseFilters, recordFilter } from '../../engine/report/filter';
import { ensureBuilt, httpServer, runZ6, scenarioFrom, type Listening } from './helpers';

let tmp: string;
let server: Listening;
let hits = 0;

function onRequest(req: IncomingMessage, res: ServerResponse): void {
  hits++;
  req.resume();
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/b') {
    // Every third a 503, every seventh a 404: failures of two kinds, checks that fail.
    res.statusCode = hits % 3 === 0 ? 503 : hits % 7 === 0 ? 404 : 200;
    return void res.end('b'.repeat(hits % 50));
  }
  if (path === '/r') {
    res.statusCode = 302;
    res.setHeader('location', '/a');
    return void res.end();
  }
  // Every fifth never answers: a timeout with its latency.
  if (path === '/hang') return void (hits % 5 === 0 ? undefined : setTimeout(() => res.end('late'), 5));
  res.end('ok');
}

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-log-report-'));
  server = await httpServer(onRequest);
});
after(() => server.close());

const z6 = (...args: string[]) => runZ6(args, { cwd: tmp });
const read = (file: string) => JSON.parse(readFileSync(join(tmp, file), 'utf8')) as Results;

/** The VUs share 2 connections: queue wait is recorded. */
function scenario(name: string, body: string): string {
  const f = join(tmp, name);
  writeFileSync(f, `[target]\nbase_url = "${server.url}"\nmax_connections = 2\n${body}`);
  return f;
}

const CLOSED = `[runtime]\nvus = 4\niterations = 400\nprng_seed = 31\n` +
  `[[requests]]\nname = "a"\npath = "/a"\nweight = 3\n[requests.checks]\n"is 200" = { status = 200 }\n` +
  `[[requests]]\nname = "b"\npath = "/b"\nweight = 2\n[requests.checks]\n"is 200" = { status = 200 }\n"small" = { max_ms = 2000 }\n` +
  `[[requests]]\nname = "r"\npath = "/r"\n` +
  `[[requests]]\nname = "hang"\npath = "/hang"\ntimeout_ms = 150\n` +
  `[think_time]\ntype = "random"\nmin_ms = 0\nmax_ms = 4\n` +
  `[assertions]\nerror_rate_max = 0.5\np99_latency_ms = 1000\n`;

const OPEN = `[runtime]\nduration_seconds = 2\nprng_seed = 9\n[schedule]\ntype = "ramp_arrival_rate"\nstart_rate = 50\nend_rate = 400\nramp_duration_seconds = 2\nmax_in_flight = 3\n` +
  `[[requests]]\nname = "a"\npath = "/a"\n[[requests]]\nname = "hang"\npath = "/hang"\ntimeout_ms = 100\n`;

/** The results without what a log cannot hold (said by the report: see the test below). */
function comparable(r: Results): Record<string, unknown> {
  const x = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
  delete x.generator;
  delete x.failureSamples;
  x.timeseries = r.timeseries.map(({ activeVus: _, ...sample }) => sample);
  return x;
}

/** Every top-level figure equal, each named when it is not. */
function assertSameFigures(run: Results, fromLog: Results): void {
  const a = comparable(run);
  const b = comparable(fromLog);
  assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
  for (const k of Object.keys(a)) assert.deepEqual(b[k], a[k], `${k} differs`);
}

describe('z6 report from an event log', () => {
  test('closed model: the report of the log is the run\'s results, figure for figure', async () => {
    const f = scenario('closed.z6.toml', CLOSED);
    const r = await z6('run', f, '--events', 'closed.log', '--out', 'closed', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    const run = read('closed/results.json');
    // The run has what the comparison should cover.
    assert.ok(run.failures.http_5xx! > 0 && run.failures.http_4xx! > 0 && run.failures.timeout! > 0, JSON.stringify(run.failures));
    assert.ok(run.totals.redirects! > 0 && run.totals.checks!.failed > 0 && run.queueWait!.count > 0 && run.timeseries.length >= 3);

    const rep = await z6('report', 'closed.log', '--json', 'closed-from-log.json');
    assert.equal(rep.code, 0, rep.stderr);
    assertSameFigures(run, read('closed-from-log.json'));
    assert.match(rep.stdout, /RESULT: PASS/);
    // What the log cannot give is said, not shown as zero.
    assert.match(rep.stdout, /from the event log closed\.log; not in it:\n {2}- generator CPU and event-loop load/);
    assert.match(rep.stdout, /- failure messages/);

    const d = await z6('diff', 'closed/results.json', 'closed.log');
    assert.equal(d.code, 0, d.stdout + d.stderr);
    assert.match(d.stdout, /NO REGRESSION/);
  });

  test('--filter on a log selects single requests: by status, failure kind, request and time, each checked against the run', async () => {
    const f = scenario('filtered.z6.toml', CLOSED);
    assert.equal((await z6('run', f, '--events', 'filtered.log', '--out', 'filtered', '--quiet')).code, 0);
    const run = read('filtered/results.json');
    const report = async (out: string, ...filters: string[]) => {
      const r = await z6('report', 'filtered.log', '--json', out, ...filters.flatMap((x) => ['--filter', x]));
      assert.equal(r.code, 0, r.stderr);
      return read(out);
    };
    // Status 503: exactly the run's 503 responses, all of them of request b, all failed.
    const s503 = await report('f-503.json', 'status=503');
    assert.ok(run.statusCodes['503']! > 0);
    assert.deepEqual(s503.statusCodes, { 503: run.statusCodes['503'] });
    assert.equal(s503.totals.failed, run.statusCodes['503']);
    assert.deepEqual(s503.requests.filter((q) => q.issued > 0).map((q) => q.name), ['b']);
    assert.match(s503.filter!.applied, /status 503/);
    // Timeouts: the run's timeouts, with the latency samples of those that were sent (one that
    // timed out waiting for a shared connection has none: on a slow machine there are some).
    const timeouts = await report('f-timeout.json', 'failure=timeout');
    assert.deepEqual(timeouts.failures, { timeout: run.failures.timeout });
    const sentTimeouts = gunzipSync(readFileSync(join(tmp, 'filtered.log'))).toString('utf8').split('\n').filter((l) => /^O\t-?\d+\t\d+\ttimeout\t\d/.test(l)).length;
    assert.ok(sentTimeouts > 0);
    assert.equal(timeouts.latency.count, sentTimeouts);
    assert.ok(timeouts.latency.min >= 150, `a timeout's latency is at least its timeout_ms: ${timeouts.latency.min}`);
    // One request: its figures are the run's for that request, its histogram bucket for bucket.
    const a = await report('f-a.json', 'request=a');
    const runA = run.requests.find((q) => q.name === 'a')!;
    const onlyA = a.requests.find((q) => q.name === 'a')!;
    assert.deepEqual({ ...onlyA }, { ...runA });
    assert.equal(a.totals.issued, runA.issued);
    assert.deepEqual(a.latency, runA.latency, 'the whole (selected) run\'s latency is request a\'s');
    // The second second: the outcomes the run counted in it.
    const second = await report('f-time.json', 'time=1..2');
    assert.equal(second.totals.succeeded + second.totals.failed, run.timeseries[1]!.requests);
    assert.deepEqual(second.timeseries.map((x) => x.t), [1]);
    // A results JSON cannot: it has no status per request.
    const refused = await z6('report', 'filtered/results.json', '--filter', 'status=503');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /filtering by status needs the event log/);
  });

  test('open model with dropped arrivals and timeouts: the same, lag and latency from the intended start included', async () => {
    const f = scenario('open.z6.toml', OPEN);
    const r = await z6('run', f, '--events', 'open.log', '--out', 'open', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    const run = read('open/results.json');
    assert.ok(run.totals.dropped > 0 && run.failures.timeout! > 0 && run.latencyFromIntended !== undefined, JSON.stringify(run.totals));
    const rep = await z6('report', 'open.log', '--json', 'open-from-log.json');
    assert.equal(rep.code, 0, rep.stderr);
    assertSameFigures(run, read('open-from-log.json'));
  });

  for (const [model, body] of [['closed', CLOSED], ['open', OPEN]] as const) {
    test(`${model} model in 2 segments: each segment's log verifies, and z6 merge of the logs equals z6 merge of the results`, async () => {
      // Shared connections and a timed end: the run this test once caught ending inside a request's
      // hand-off of its connection, before that request's outcome was counted (Vu.handOff).
      const f = scenario(`seg-${model}.z6.toml`, body);
      const runs = await Promise.all([0, 1].map((i) => z6('run', f, '--segment', `${i}/2`, '--events', `seg-${model}-${i}.log`, '--out', `seg-${model}-${i}`, '--quiet')));
      for (const r of runs) assert.equal(r.code, 0, r.stderr);
      for (const i of [0, 1]) {
        const v = await z6('replay', `seg-${model}-${i}.log`, '--verify');
        assert.equal(v.code, 0, v.stdout + v.stderr);
      }
      const fromResults = await z6('merge', `seg-${model}-0/results.json`, `seg-${model}-1/results.json`, '--out', `merged-${model}-results`);
      const fromLogs = await z6('merge', `seg-${model}-0.log`, `seg-${model}-1.log`, '--out', `merged-${model}-logs`);
      assert.equal(fromLogs.code, fromResults.code, fromLogs.stdout + fromLogs.stderr);
      assertSameFigures(read(`merged-${model}-results/results.json`), read(`merged-${model}-logs/results.json`));
    });
  }

  test('--scenario when the file moved; refused: another scenario, a truncated log, a log without its footer', async () => {
    const f = scenario('moved.z6.toml', CLOSED.replace('iterations = 400', 'iterations = 100'));
    assert.equal((await z6('run', f, '--events', 'moved.log', '--out', 'moved', '--quiet')).code, 0);
    renameSync(f, join(tmp, 'elsewhere.z6.toml'));
    let rep = await z6('report', 'moved.log');
    assert.equal(rep.code, 2);
    assert.match(rep.stderr, /moved\.z6\.toml.*give --scenario FILE/s);
    rep = await z6('report', 'moved.log', '--scenario', 'elsewhere.z6.toml', '--json', 'moved-from-log.json');
    assert.equal(rep.code, 0, rep.stderr);
    assertSameFigures(read('moved/results.json'), read('moved-from-log.json'));
    // z6 diff and z6 merge take the same option.
    const d = await z6('diff', 'moved/results.json', 'moved.log');
    assert.equal(d.code, 2);
    assert.match(d.stderr, /give --scenario FILE/);
    const d2 = await z6('diff', 'moved/results.json', 'moved.log', '--scenario', 'elsewhere.z6.toml');
    assert.equal(d2.code, 0, d2.stdout + d2.stderr);
    assert.match(d2.stdout, /NO REGRESSION/);
    // z6 merge reads the log with it, and only then finds it is not a segment's.
    assert.match((await z6('merge', 'moved.log')).stderr, /give --scenario FILE/);
    const m = await z6('merge', 'moved.log', '--scenario', 'elsewhere.z6.toml');
    assert.equal(m.code, 2);
    assert.match(m.stderr, /moved\.log is not a segment's results/);

    // The same requests with other assertions: not the scenario that ran.
    writeFileSync(join(tmp, 'other.z6.toml'), readFileSync(join(tmp, 'elsewhere.z6.toml'), 'utf8').replace('p99_latency_ms = 1000', 'p99_latency_ms = 999'));
    rep = await z6('report', 'moved.log', '--scenario', 'other.z6.toml');
    assert.equal(rep.code, 2);
    assert.match(rep.stderr, /moved\.log: the scenario .*other\.z6\.toml is not the one that ran/);

    // Without its footer (a run killed while writing), and with a footer that says truncated.
    const lines = gunzipSync(readFileSync(join(tmp, 'moved.log'))).toString('utf8').replace(/\n$/, '').split('\n');
    writeFileSync(join(tmp, 'cut.log'), gzipSync(lines.slice(0, -1).join('\n') + '\n'));
    rep = await z6('report', 'cut.log', '--scenario', 'elsewhere.z6.toml');
    assert.equal(rep.code, 2);
    assert.match(rep.stderr, /cut\.log:\d+: no footer/);
    const footer = JSON.parse(lines.at(-1)!);
    // As the writer ends a log at its size limit: no end, and the sha256 says truncated.
    const { end: _end, ...cut } = footer;
    const body = lines.slice(0, -1).map((l) => l + '\n').join('');
    const sha256 = createHash('sha256').update(body).update(footerHashed({ truncated: true })).digest('hex');
    writeFileSync(join(tmp, 'truncated.log'), gzipSync(body + JSON.stringify({ ...cut, truncated: true, sha256 }) + '\n'));
    // Said truncated without its hash: a changed footer.
    writeFileSync(join(tmp, 'said-truncated.log'), gzipSync(body + JSON.stringify({ ...footer, truncated: true }) + '\n'));
    rep = await z6('report', 'said-truncated.log', '--scenario', 'elsewhere.z6.toml');
    assert.equal(rep.code, 2);
    assert.match(rep.stderr, /said-truncated\.log:\d+: footer: the sha256 of the header, records, truncated and end/);
    rep = await z6('report', 'truncated.log', '--scenario', 'elsewhere.z6.toml');
    assert.equal(rep.code, 2);
    assert.match(rep.stderr, /truncated\.log: the log was truncated by its size limit/);
  });
});

describe('an outcome stamped before its second closed', () => {
  // The runner's deadline sweep stamps a request that expired in the queue with the time the sweep
  // began; a request it aborted first may have been recorded after that time and closed the
  // second (undici calls the handler's onError inside abort). The run counts the late-stamped one
  // in the new second (seconds never reopen); the log must put it there too, or a report's time
  // filter and replay --verify's series disagree with the run's.
  test('is logged in the second the run counted it in: the time filter and the series agree with the run', async () => {
    const s = scenarioFrom(`[target]\nbase_url = "http://127.0.0.1:9"\n[runtime]\nvus = 2\niterations = 1\n[[requests]]\nname = "a"\npath = "/a"\n`);
    const file = join(tmp, 'late-stamp.log');
    const writer = new EventLogWriter({ file, maxBytes: 1 << 20, options: {} });
    const header = eventLogHeader(writer, { scenario: s, seed: 1, model: 'closed', startedAt: new Date(), checks: [], segment: null });
    const start = 1_000;
    const rec = new EventRecorder(writer, header, { requests: 1, peak: 2, open: false, checks: 0, startMs: start, activeNow: () => 2 });
    const vu = (index: number, startedAt: number) => ({ index, req: 0, startedAt, intendedAt: -1, arrival: -1, rows: null, plan: { thinkMs: 0 }, backoffMs: 0 });
    const aborted = vu(0, start + 800);
    const queued = vu(1, start + 849.5);
    rec.recordIssued(0, aborted);
    rec.recordIssued(0, queued);
    // The sweep begins at 999.9 ms: the abort's outcome comes at 1,000.2 ms and closes second 0,
    // then the queued request's timeout is recorded with the sweep's time.
    rec.recordFailure(0, 'timeout', 200_200, 'timeout', start + 1000.2, aborted);
    rec.recordFailure(0, 'timeout', -1, 'timeout', start + 999.9, queued);
    rec.endLoad(start + 1000.3);
    rec.finish(start + 1000.3);
    assert.deepEqual(rec.timeseries.map((x) => x.requests), [0, 2], 'the run counts both in second 1');
    await writer.finish({ us: 1_000_300, status: 'completed' });

    const replay = async (filters: string[]) => (await resultsFromLog(await EventLogReader.open(file), s, recordFilter(parseFilters(filters)))).results;
    assert.deepEqual((await replay([])).timeseries.map((x) => x.requests), [0, 2]);
    const second1 = await replay(['time=1..2']);
    assert.equal(second1.totals.failed, 2, 'time=1..2 selects what the run counted in second 1');
    assert.equal((await replay(['time=0..1'])).totals.failed, 0);
    // The late-stamped outcome is logged at the second's start, after the other.
    const outcomes: number[] = [];
    for await (const r of (await EventLogReader.open(file)).records()) if (r.type === 'O') outcomes.push(r.t);
    assert.deepEqual(outcomes, [1_000_200, 1_000_000]);
  });
});
