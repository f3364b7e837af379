/**
 * The history view's reading of results folders (client/history/run-history.ts), on folders laid
 * out as the editor and the CLI write them, with results of real runs against a loopback server:
 * runs grouped by scenario, newest first; files that are not complete results (empty, cut off
 * while written, not JSON, another version, a field missing, not a file) skipped with the reason,
 * never a crash; the limits; a changed file read again, an unchanged one not.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Results } from '../../engine/metrics/results-types';
import { runScenario } from '../../engine/run';
import { Baselines } from '../../client/history/baselines';
import { readResultsFile, runDescription, RunHistoryReader, type HistoryRoot } from '../../client/history/run-history';
import { runDirName } from '../../client/run/storage';
import { httpServer, scenarioFrom, type Listening } from '../engine/helpers';

function scenario(url: string, name: string): string {
  return `[metadata]\nname = "${name}"\n\n[target]\nbase_url = "${url}"\n\n[runtime]\nduration_seconds = 1\nvus = 1\nprng_seed = 1\n\n[[requests]]\npath = "/"\n\n[assertions]\np99_latency_ms = 10000\n`;
}

describe('run history from results folders', () => {
  let server: Listening;
  let workspace: string;
  let root: HistoryRoot;
  const checkout = () => join(workspace, 'checkout.z6.toml');
  const runs: { file: string; results: Results }[] = [];

  /** A real run, written where the editor writes it (storage.ts's folder name from its start time). */
  async function runInto(file: string, name: string): Promise<string> {
    const results = await runScenario(scenarioFrom(scenario(server.url, name), file));
    const dir = join(root.dir, runDirName(file, new Date(results.startedAt)));
    mkdirSync(dir, { recursive: true });
    const out = join(dir, 'results.json');
    writeFileSync(out, JSON.stringify(results));
    runs.push({ file: out, results });
    return out;
  }

  before(async () => {
    server = await httpServer((_req, res) => res.end('ok'));
    workspace = mkdtempSync(join(tmpdir(), 'z6-history-'));
    root = { dir: join(workspace, 'z6-results'), base: workspace };
    await runInto(checkout(), 'Checkout');
    await runInto(join(workspace, 'api', 'browse.z6.toml'), 'Browse');
    await runInto(checkout(), 'Checkout');
  });
  after(async () => {
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('runs are grouped by scenario, the most recently run scenario first, each newest first', async () => {
    const h = await new RunHistoryReader().read([root]);
    assert.deepEqual(h.skipped, []);
    assert.deepEqual(h.scenarios.map((g) => [g.key, g.name, g.runs.length]), [
      [checkout(), 'Checkout', 2],
      [join(workspace, 'api', 'browse.z6.toml'), 'Browse', 1],
    ]);
    const [newer, older] = h.scenarios[0]!.runs;
    assert.equal(newer!.file, runs[2]!.file);
    assert.equal(older!.file, runs[0]!.file);
    // The summary is the run's own figures.
    const r = runs[2]!.results;
    assert.equal(newer!.startedAt, r.startedAt);
    assert.equal(newer!.p99, r.latency.p99);
    assert.ok(Math.abs(newer!.rps - r.totals.rps) < 0.01, `${newer!.rps} vs ${r.totals.rps}`);
    assert.equal(newer!.failedAssertions, 0);
    assert.match(runDescription(newer!), /^passed · p99 [\d.]+ ms · [\d.,]+ req\/s$/);
  });

  test('corrupt, partial and foreign files are skipped with the reason; the good runs are still listed', async () => {
    const bad = join(workspace, 'bad-results');
    const good = readFileSync(runs[0]!.file, 'utf8');
    const put = (dir: string, text: string) => {
      mkdirSync(join(bad, dir), { recursive: true });
      writeFileSync(join(bad, dir, 'results.json'), text);
    };
    put('empty', '');
    put('cut-off', good.slice(0, Math.floor(good.length / 2)));
    put('not-json', 'hello');
    put('array', '[1, 2]');
    put('other-tool', JSON.stringify({ tool: { name: 'k6' } }));
    put('newer', JSON.stringify({ ...JSON.parse(good), version: 99 }));
    put('no-totals', JSON.stringify({ ...JSON.parse(good), totals: undefined }));
    put('bad-date', JSON.stringify({ ...JSON.parse(good), startedAt: 'yesterday' }));
    // Not a file: a folder named results.json; and a run folder with no results yet.
    mkdirSync(join(bad, 'folder', 'results.json'), { recursive: true });
    mkdirSync(join(bad, 'running'), { recursive: true });
    // The CLI's default layout: results.json directly in the results folder.
    writeFileSync(join(bad, 'results.json'), good);

    const h = await new RunHistoryReader().read([{ dir: bad, base: workspace }, root]);
    const reasons = Object.fromEntries(h.skipped.map((s) => [s.file.slice(bad.length + 1).replace(/\/results\.json$/, ''), s.reason]));
    assert.deepEqual(Object.keys(reasons).sort(), ['array', 'bad-date', 'cut-off', 'empty', 'newer', 'no-totals', 'not-json', 'other-tool']);
    assert.equal(reasons.empty, 'is empty, not a results JSON');
    assert.match(reasons['cut-off']!, /^is not JSON \(/);
    assert.match(reasons['not-json']!, /^is not JSON \(/);
    assert.match(reasons.array!, /not a Z6 results file/);
    assert.match(reasons['other-tool']!, /not a Z6 results file/);
    assert.match(reasons.newer!, /version 99, newer than this z6 reads/);
    assert.match(reasons['no-totals']!, /"totals" is missing/);
    assert.match(reasons['bad-date']!, /"startedAt" that is not a date/);
    // The good runs: the three, plus the CLI-layout copy of the first run (same scenario).
    assert.equal(h.scenarios.flatMap((g) => g.runs).length, 4);
    assert.ok(h.scenarios[0]!.runs.some((r) => r.file === join(bad, 'results.json')));
  });

  test('limits: runs per scenario (the rest counted as older), and files read (the rest counted as unread)', async () => {
    const h = await new RunHistoryReader().read([root], { perScenario: 1 });
    assert.deepEqual(h.scenarios.map((g) => [g.runs.length, g.older]), [[1, 1], [1, 0]]);
    assert.equal(h.scenarios[0]!.runs[0]!.file, runs[2]!.file, 'the newest is the one kept');
    const few = await new RunHistoryReader().read([root], { maxFiles: 2 });
    assert.equal(few.unread, 1);
    assert.equal(few.scenarios.flatMap((g) => g.runs).length, 2);
  });

  test('a refresh reads a changed file again and a gone file no more', async () => {
    const reader = new RunHistoryReader();
    const first = await reader.read([root]);
    assert.equal(first.scenarios[0]!.runs.length, 2);
    const target = runs[0]!.file;
    writeFileSync(target, '{"half": ');
    const second = await reader.read([root]);
    assert.deepEqual(second.skipped.map((s) => s.file), [target]);
    assert.equal(second.scenarios[0]!.runs.length, 1);
    writeFileSync(target, JSON.stringify(runs[0]!.results));
    const third = await reader.read([root]);
    assert.deepEqual(third.skipped, []);
    assert.equal(third.scenarios[0]!.runs.length, 2);
    rmSync(target);
    assert.equal((await reader.read([root])).scenarios[0]!.runs.length, 1);
    writeFileSync(target, JSON.stringify(runs[0]!.results));
  });

  test('no results folder is an empty history; a whole file reads back as the run', async () => {
    const h = await new RunHistoryReader().read([{ dir: join(workspace, 'nothing-here') }]);
    assert.deepEqual(h, { scenarios: [], skipped: [], unread: 0 });
    const back = await readResultsFile(runs[1]!.file);
    assert.ok(back.ok);
    assert.deepEqual(back.results, runs[1]!.results);
    const gone = await readResultsFile(join(workspace, 'nope.json'));
    assert.deepEqual(gone, { ok: false, problem: 'could not be read (ENOENT)' });
  });

  test('baselines: one per scenario, kept in a Memento-like store, whatever was stored before', async () => {
    const store = new Map<string, unknown>([['z6.history.baselines', { '/a.z6.toml': 42, '/b.z6.toml': '/r/b.json' }]]);
    const memento = { get: <T>(k: string) => store.get(k) as T | undefined, update: async (k: string, v: unknown) => void store.set(k, v) };
    const b = new Baselines(memento);
    assert.equal(b.get('/a.z6.toml'), undefined, 'a value of another shape is no baseline');
    assert.equal(b.get('/b.z6.toml'), '/r/b.json');
    await b.set('/a.z6.toml', '/r/a1.json');
    await b.set('/a.z6.toml', '/r/a2.json');
    assert.ok(b.isBaseline('/a.z6.toml', '/r/a2.json'));
    assert.ok(!b.isBaseline('/a.z6.toml', '/r/a1.json'));
    await b.clear('/b.z6.toml');
    assert.deepEqual(store.get('z6.history.baselines'), { '/a.z6.toml': '/r/a2.json' });
  });
});
