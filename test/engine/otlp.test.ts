/**
 * `z6 run --otlp URL`: live metrics over OTLP/HTTP to a collector started here (a loopback server
 * that decodes what the OpenTelemetry exporter sends). Exports arrive while the run is going,
 * counters only grow, the last export equals the results JSON request by request, every point
 * carries the run's attributes, and a collector that is down costs a warning, never the run.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Results } from '../../engine/metrics/results-types';
import { ensureBuilt, httpServer, refusedPort, type Listening } from './helpers';

const cli = join(__dirname, '../../dist/cli.js');
let tmp: string;
let target: Listening;

interface Attr {
  key: string;
  value: { stringValue?: string; intValue?: string | number; doubleValue?: number };
}
interface Point {
  attributes?: Attr[];
  asDouble?: number;
  asInt?: string | number;
}
interface Export {
  resource: Record<string, string>;
  metrics: Map<string, Point[]>;
  /** Whether z6 had already exited when the export arrived. */
  afterExit: boolean;
}

const attrValue = (a: Attr) => String(a.value.stringValue ?? a.value.intValue ?? a.value.doubleValue);
const pointValue = (p: Point) => Number(p.asDouble ?? p.asInt);
const labels = (p: Point) => Object.fromEntries((p.attributes ?? []).map((a) => [a.key, attrValue(a)]));

function z6(args: string[], env: Record<string, string>, onExit?: () => void): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('exit', () => onExit?.());
    child.on('close', (code) => resolve({ code, out }));
  });
}

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-otlp-'));
  target = await httpServer((req, res) => {
    if (req.url === '/hang') return; // never answers: the run interrupts it at the end
    res.statusCode = req.url === '/bad' ? 500 : 200;
    res.end('ok');
  });
});
after(() => target.close());

function scenario(name: string): string {
  const f = join(tmp, name);
  writeFileSync(f, `[metadata]\nname = "otlp demo"\n[runtime]\nduration_seconds = 3\nvus = 2\nprng_seed = 5\n[target]\nbase_url = "${target.url}"\n` +
    `[think_time]\ntype = "constant"\nduration_ms = 5\n[[requests]]\nname = "home"\npath = "/"\nweight = 3\n[[requests]]\nname = "bad"\npath = "/bad"\n`);
  return f;
}

test('exports arrive during the run, counters only grow, the last equals the results JSON', async () => {
  let exited = false;
  const exports: Export[] = [];
  const collector = await httpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      assert.equal(req.url, '/v1/metrics');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const rm of body.resourceMetrics ?? []) {
        const metrics = new Map<string, Point[]>();
        for (const sm of rm.scopeMetrics ?? []) for (const m of sm.metrics ?? []) metrics.set(m.name, (m.sum ?? m.gauge).dataPoints);
        exports.push({ resource: Object.fromEntries(rm.resource.attributes.map((a: Attr) => [a.key, attrValue(a)])), metrics, afterExit: exited });
      }
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  try {
    const out = join(tmp, 'out');
    const r = await z6(['run', scenario('live.z6.toml'), '--quiet', '--out', out, '--otlp', `${collector.url}/v1/metrics`], { Z6_RUN_ID: 'run-42' }, () => (exited = true));
    assert.equal(r.code, 0, r.out);
    assert.doesNotMatch(r.out, /warning/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;

    const withRequests = exports.filter((e) => (e.metrics.get('z6.requests') ?? []).some((p) => pointValue(p) > 0));
    // Live, not only at the end: the exports sent before z6 exited show the count growing.
    const totalsSeen = new Set(withRequests.filter((e) => !e.afterExit).map((e) => (e.metrics.get('z6.requests') ?? []).reduce((s, p) => s + pointValue(p), 0)));
    assert.ok(totalsSeen.size >= 2, `exports while the run went on, with growing counts: ${[...totalsSeen].join(', ')} (${exports.length} exports)`);
    for (const e of exports) {
      assert.equal(e.resource['z6.run.id'], 'run-42');
      assert.equal(e.resource['z6.scenario.name'], 'otlp demo');
      assert.equal(e.resource['z6.seed'], '5');
      assert.equal(e.resource['z6.scenario.hash'], results.scenario.hash);
    }
    // Cumulative counters: each series only grows from one export to the next.
    const series = (e: Export, name: string) => new Map((e.metrics.get(name) ?? []).map((p) => [JSON.stringify(labels(p)), pointValue(p)]));
    for (let i = 1; i < withRequests.length; i++) {
      for (const [k, v] of series(withRequests[i - 1]!, 'z6.requests')) assert.ok((series(withRequests[i]!, 'z6.requests').get(k) ?? -1) >= v, `${k} went down`);
    }
    const last = exports.at(-1)!;
    const requests = series(last, 'z6.requests');
    for (const q of results.requests) {
      assert.equal(requests.get(JSON.stringify({ request: q.name, outcome: 'succeeded' })), q.succeeded, q.name);
      assert.equal(requests.get(JSON.stringify({ request: q.name, outcome: 'failed' })), q.failed, q.name);
      assert.equal(series(last, 'z6.requests.issued').get(JSON.stringify({ request: q.name })), q.issued, q.name);
    }
    const bad = results.requests.find((q) => q.name === 'bad')!;
    assert.ok(bad.failed > 0 && bad.succeeded === 0, 'the 500s count as failures');
    assert.equal(series(last, 'z6.responses').get('{}'), results.totals.responses);
    assert.equal(series(last, 'z6.failures').get(JSON.stringify({ kind: 'http_5xx' })), results.failures.http_5xx);
  } finally {
    await collector.close();
  }
});

test('requests interrupted at the end are in the last export, as in the results', async () => {
  // Every request hangs: nothing completes, so no progress second carries the interruptions;
  // only the final export from the results can.
  const exports: Map<string, Point[]>[] = [];
  const collector = await httpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      for (const rm of JSON.parse(Buffer.concat(chunks).toString('utf8')).resourceMetrics ?? []) {
        const metrics = new Map<string, Point[]>();
        for (const sm of rm.scopeMetrics ?? []) for (const m of sm.metrics ?? []) metrics.set(m.name, (m.sum ?? m.gauge).dataPoints);
        exports.push(metrics);
      }
      res.end('{}');
    });
  });
  const f = join(tmp, 'hang.z6.toml');
  writeFileSync(f, `[runtime]\nduration_seconds = 1\nvus = 2\nprng_seed = 5\n[target]\nbase_url = "${target.url}"\n[[requests]]\nname = "hang"\npath = "/hang"\ntimeout_ms = 60000\n`);
  try {
    const out = join(tmp, 'out-hang');
    const r = await z6(['run', f, '--quiet', '--out', out, '--graceful-stop', '0', '--otlp', `${collector.url}/v1/metrics`], {});
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    assert.equal(results.totals.interrupted, 2, r.out);
    const last = exports.filter((m) => m.has('z6.requests')).at(-1)!;
    const interrupted = last.get('z6.requests')!.find((p) => labels(p).outcome === 'interrupted');
    assert.equal(interrupted && pointValue(interrupted), 2);
  } finally {
    await collector.close();
  }
});

test('a collector that is down: one warning, the run and its exit code unchanged', async () => {
  const r = await z6(['run', scenario('down.z6.toml'), '--quiet', '--otlp', `http://127.0.0.1:${await refusedPort()}/v1/metrics`], {});
  assert.equal(r.code, 0, r.out);
  assert.equal(r.out.match(/warning: OTLP export to .* failed/g)?.length, 1, r.out);
  assert.match(r.out, /RESULT: PASS|RESULT: NO ASSERTIONS|RESULT/);
});

test('--otlp takes an http(s) URL', async () => {
  const r = await z6(['run', scenario('usage.z6.toml'), '--otlp', 'collector:4318'], {});
  assert.equal(r.code, 2);
  assert.match(r.out, /--otlp: 'collector:4318' is not an http:\/\/ or https:\/\/ URL|is not a URL/);
});
