/**
 * `z6 merge`: two segments of a run, run as two processes started together at a barrier against
 * one loopback server that counts what it receives, merged into the whole run.
 *
 * What is compared, and why: the merged counts against the server's own count (the truth of what
 * was sent); the merged histograms against the segments' histograms added here with
 * hdr-histogram-js directly (a histogram of all samples is exactly the bucket-wise sum); the
 * per-second series against the totals. Latencies are not compared with a separate one-process run:
 * two runs over a real network never see the same latencies, only the same plan — and that
 * the segments' plan is the whole plan is shown request by request in segments.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as hdr from 'hdr-histogram-js';
import type { Results } from '../../engine/metrics/results-types';
import { ensureBuilt, httpServer, type Listening } from './helpers';

const cli = join(__dirname, '../../dist/cli.js');
let tmp: string;
let server: Listening;
let received = 0;

function z6(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => resolve({ code, out }));
  });
}

const read = (file: string) => JSON.parse(readFileSync(join(tmp, file), 'utf8')) as Results;
const decode = (b64: string) => hdr.decodeFromCompressedBase64(b64, 32, false);
/**
 * The segments' histograms added bucket by bucket with hdr's own add, into one that grows: a
 * decoded histogram keeps its encoded range, so adding a wider one into it throws (CI met it when
 * one segment's slowest request was above the other's range).
 */
function sum(...b64: string[]): hdr.Histogram {
  const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 2, autoResize: true, numberOfSignificantValueDigits: 3, bitBucketSize: 32 });
  for (const x of b64) h.add(decode(x));
  return h;
}

function scenario(name: string, slowP99: number): string {
  const f = join(tmp, name);
  writeFileSync(f, `[runtime]\nduration_seconds = 2\nvus = 5\nprng_seed = 17\n[target]\nbase_url = "${server.url}"\n` +
    `[[requests]]\nname = "home"\npath = "/"\nweight = 3\n[[requests]]\nname = "slow"\npath = "/slow"\n[requests.assertions]\np99_latency_ms = ${slowP99}\n` +
    `[assertions]\nerror_rate_max = 0.01\n`);
  return f;
}

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-merge-'));
  server = await httpServer((req, res) => {
    received++;
    const t = setTimeout(() => res.end('ok'), req.url === '/slow' ? 30 : 0);
    res.on('close', () => clearTimeout(t));
  });
});
after(() => server.close());

test('two segments merged: counts equal the server\'s, histograms equal the sum of all samples, the merge judges', async () => {
  // /slow takes 30 ms: its p99 cannot be 5 ms — each segment's slice fails it, yet exits 0.
  const f = scenario('run.z6.toml', 5);
  received = 0;
  const segs = await Promise.all([0, 1].map((i) => z6(['run', f, '--segment', `${i}/2`, '--barrier', 'barrier', '--out', `s${i}`, '--quiet'])));
  for (const s of segs) {
    assert.equal(s.code, 0, s.out);
    assert.match(s.out, /RESULT: SEGMENT \d\/2 DONE \(1 of 2 assertions fail on this slice alone/);
  }
  const [a, b] = [read('s0/results.json'), read('s1/results.json')];
  assert.ok(Math.abs(Date.parse(a.startedAt) - Date.parse(b.startedAt)) < 500, `started together at the barrier: ${a.startedAt}, ${b.startedAt}`);

  const m = await z6(['merge', 's0/results.json', 's1/results.json', '--out', 'm', '--junit', 'm/junit.xml']);
  assert.equal(m.code, 1, m.out);
  assert.match(m.out, /merged 2 of 2 segments/);
  const r = read('m/results.json');
  assert.equal(r.totals.interrupted, 0);
  assert.equal(r.totals.issued, received, 'every request the server received, once');
  assert.equal(r.totals.issued, a.totals.issued + b.totals.issued);
  assert.equal(r.totals.responses, received);
  assert.equal(r.schedule.peakVus, 5);
  assert.equal(r.segment, undefined);

  // The whole run's histogram is the bucket-wise sum of the segments'.
  const all = sum(a.histograms.latency, b.histograms.latency);
  const merged = decode(r.histograms.latency);
  assert.equal(merged.totalCount, all.totalCount);
  assert.equal(merged.totalCount, r.totals.succeeded + r.totals.failed);
  for (const p of [1, 10, 50, 90, 99, 99.9, 100]) assert.equal(merged.getValueAtPercentile(p), all.getValueAtPercentile(p), `p${p}`);
  assert.equal(r.latency.p99, Math.round(Math.min(all.getValueAtPercentile(99), all.maxValue)) / 1000);
  for (const [k, q] of r.requests.entries()) {
    const h = sum(a.requests[k]!.histogram, b.requests[k]!.histogram);
    assert.equal(q.latency.count, h.totalCount, q.name);
    assert.equal(q.latency.p99, Math.round(Math.min(h.getValueAtPercentile(99), h.maxValue)) / 1000, q.name);
    assert.equal(q.issued, a.requests[k]!.issued + b.requests[k]!.issued);
  }
  // Each second of the merge holds both segments' second; the seconds add up to the totals.
  assert.equal(r.timeseries.reduce((s, x) => s + x.requests, 0), r.totals.succeeded + r.totals.failed);
  assert.equal(r.timeseries[0]!.requests, a.timeseries[0]!.requests + b.timeseries[0]!.requests);
  const sec0 = sum(a.histograms.perSecond![0]!, b.histograms.perSecond![0]!);
  assert.equal(r.timeseries[0]!.p99, Math.round(Math.min(sec0.getValueAtPercentile(99), sec0.maxValue)) / 1000);

  // The merge's verdict: the whole run fails slow's p99 and passes the error rate.
  const slow = r.assertions.find((x) => x.scope?.request === 'slow')!;
  assert.equal(slow.pass, false);
  assert.ok(slow.actual! >= 30);
  assert.equal(r.assertions.find((x) => x.key === 'error_rate_max')!.pass, true);
  assert.match(readFileSync(join(tmp, 'm/junit.xml'), 'utf8'), /failures="1"/);

  // Another scenario (here: other assertions) is not the one the segments ran: refused.
  const m2 = await z6(['merge', 's0/results.json', 's1/results.json', '--scenario', scenario('other.z6.toml', 5000)]);
  assert.equal(m2.code, 2);
  assert.match(m2.out, /is not the one the segments ran/);
});

test('refusals: a segment twice, one missing, another seed, a whole run; --allow-partial says what is missing', async () => {
  const f = scenario('refuse.z6.toml', 5000);
  await Promise.all([0, 1, 2].map((i) => z6(['run', f, '--segment', `${i}/3`, '--out', `r${i}`, '--quiet'])));
  await z6(['run', f, '--segment', '2/3', '--seed', '18', '--out', 'r2-other-seed', '--quiet']);
  await z6(['run', f, '--out', 'whole', '--quiet']);

  let m = await z6(['merge', 'r0/results.json', 'r1/results.json', 'r1/results.json']);
  assert.equal(m.code, 2);
  assert.match(m.out, /segment 1\/3 is given twice/);
  m = await z6(['merge', 'r0/results.json', 'r2/results.json']);
  assert.equal(m.code, 2);
  assert.match(m.out, /segment 1\/3 missing/);
  m = await z6(['merge', 'r0/results.json', 'r1/results.json', 'r2-other-seed/results.json']);
  assert.equal(m.code, 2);
  assert.match(m.out, /ran with seed 18, .* with 17/);
  m = await z6(['merge', 'r0/results.json', 'whole/results.json']);
  assert.equal(m.code, 2);
  assert.match(m.out, /is not a segment's results/);

  m = await z6(['merge', 'r0/results.json', 'r2/results.json', '--allow-partial', '--out', 'partial']);
  assert.equal(m.code, 0, m.out);
  assert.match(m.out, /segments 1\/3 are missing/);
  const partial = read('partial/results.json');
  assert.deepEqual(partial.merged, { segments: 2, count: 3, missing: [1] });

  m = await z6(['merge', 'r0/results.json', 'r1/results.json', 'r2/results.json']);
  assert.equal(m.code, 0, m.out);
  assert.match(m.out, /RESULT: PASS/);
});

test('segments that started apart are placed on one clock: second T holds what each did at T', async () => {
  const f = scenario('apart.z6.toml', 5000);
  assert.equal((await z6(['run', f, '--segment', '0/2', '--out', 'q0', '--quiet'])).code, 0);
  assert.equal((await z6(['run', f, '--segment', '1/2', '--out', 'q1', '--quiet'])).code, 0);
  const [q0, q1] = [read('q0/results.json'), read('q1/results.json')];
  const offset = Math.round((Date.parse(q1.startedAt) - Date.parse(q0.startedAt)) / 1000);
  assert.ok(offset >= 2, `the second segment started after the first ended (${offset} s)`);
  assert.equal((await z6(['merge', 'q0/results.json', 'q1/results.json', '--out', 'qm'])).code, 0);
  const m = read('qm/results.json');
  const at = (r: Results, t: number) => r.timeseries.find((x) => x.t === t)?.requests ?? 0;
  for (let t = 0; t < offset + q1.timeseries.length; t++) assert.equal(at(m, t), at(q0, t) + at(q1, t - offset), `second ${t}`);
  const apart = (Date.parse(q1.startedAt) - Date.parse(q0.startedAt)) / 1000;
  assert.ok(Math.abs(m.loadSeconds - (apart + q1.loadSeconds)) < 0.002, `the load window runs from the first start to the last end of load: ${m.loadSeconds}`);
});
