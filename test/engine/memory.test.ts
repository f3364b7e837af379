/**
 * Histogram memory: a scenario of 1,000 requests must not pay for 1,000 full-range histograms
 * (≈ 94 KB of Int32 buckets each, ≈ 94 MB) up front. Measured as ArrayBuffer memory
 * (process.memoryUsage().arrayBuffers, where typed-array buckets live) while the Recorder is alive.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Recorder } from '../../engine/metrics/recorder';
import { decode } from '../../engine/metrics/histogram';
import { runScenario } from '../../engine/run';
import { assertAccounted, httpServer, scenarioFrom, type Listening } from './helpers';

const MB = 1024 * 1024;
const buffers = () => process.memoryUsage().arrayBuffers;
let server: Listening;
/** Kept alive on purpose: a collected Recorder would hide the next test's growth. */
const kept: Recorder[] = [];

before(async () => {
  server = await httpServer((_req, res) => res.end('ok'));
});
after(() => server.close());

test('building a Recorder for 1,000 requests allocates no per-request histogram', () => {
  const before = buffers();
  const rec = new Recorder(1000, performance.now(), true, () => 0);
  kept.push(rec);
  const grown = buffers() - before;
  assert.ok(grown < 2 * MB, `a 1,000-request Recorder took ${(grown / MB).toFixed(1)} MB of buffers`);
  assert.equal(rec.histogramOf(999), undefined);
});

test('a short run of a 1,000-request scenario stays within a few MB of histogram buffers', async () => {
  const reqs = Array.from({ length: 1000 }, (_, i) => `[[requests]]\nname = "r${i}"\npath = "/r${i}"\n`).join('');
  const s = scenarioFrom(`[runtime]\niterations = 100\nvus = 4\nprng_seed = 9\n[target]\nbase_url = "${server.url}"\n${reqs}`);
  const start = buffers();
  let peak = 0;
  const look = () => (peak = Math.max(peak, buffers() - start));
  // onStart runs once the Recorder exists; the last progress call comes from its final second,
  // with every histogram the run allocated still alive.
  const r = await runScenario(s, { onStart: look, onProgress: look });
  assertAccounted(r);
  assert.equal(r.totals.succeeded, 400);
  const seen = r.requests.filter((q) => q.issued > 0).length;
  assert.ok(seen > 250, `${seen} distinct requests were sent`);
  assert.ok(peak < 16 * MB, `peak ${(peak / MB).toFixed(1)} MB of buffers for ${seen} requests seen`);
  // Every request's histogram is in the results (an empty one for a request never sent) and
  // agrees with its counts.
  for (const q of r.requests) assert.equal(decode(q.histogram).totalCount, q.latency.count, q.name);
});
