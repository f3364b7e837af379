/**
 * The pod contract of `z6 k8s`, end to end on this machine (no cluster here): the Job's own script,
 * taken from the generated manifest, run as n processes with JOB_COMPLETION_INDEX set as the Job
 * controller sets it; the scenario folder laid out from the ConfigMap's items; one shared results
 * folder standing for the ReadWriteMany volume; the start barrier; the merge by index 0. `z6` runs
 * from exactly the files the Dockerfile copies into the image, away from node_modules.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { Results } from '../../engine/metrics/results-types';
import { ensureBuilt, httpServer, type Listening } from './helpers';

const root = join(__dirname, '../..');
let tmp: string;
let server: Listening;
let received = 0;

/** The image's /opt/z6 as the Dockerfile's last stage fills it, and a `z6` on PATH as it writes it. */
function image(dir: string): string {
  const docker = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const copy = docker.split('\n').filter((l) => l.startsWith('COPY --from=build')).at(-1)!.split(/\s+/).slice(2);
  const dest = copy.pop()!;
  assert.equal(dest, '/opt/z6/');
  for (const src of copy) {
    const file = join(root, src.replace(/^\/src\//, ''));
    assert.ok(existsSync(file), `the Dockerfile copies ${src}, which the build makes`);
    copyFileSync(file, join(dir, 'opt-z6', src.split('/').pop()!));
  }
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'z6'), `#!/bin/sh\nexec "${process.execPath}" "${join(dir, 'opt-z6', 'cli.js')}" "$@"\n`);
  chmodSync(join(bin, 'z6'), 0o755);
  return bin;
}

/** Runs one pod: the container's command with its env, mounts mapped to folders here. */
function pod(job: any, index: number, mounts: Record<string, string>, pathDir: string, uid: string): Promise<{ code: number | null; out: string }> {
  const container = job.spec.template.spec.containers[0];
  const env: Record<string, string> = { PATH: `${pathDir}:${process.env.PATH}`, HOME: tmp, JOB_COMPLETION_INDEX: String(index) };
  const remap = (v: string) => Object.entries(mounts).reduce((s, [from, to]) => s.replace(from, to), v);
  for (const e of container.env) {
    // $(VAR) refers to a variable defined before it, as Kubernetes expands it.
    const value = e.valueFrom ? (e.valueFrom.fieldRef.fieldPath.includes('controller-uid') ? uid : '') : String(e.value).replace(/\$\((\w+)\)/g, (_: string, n: string) => env[n] ?? '');
    env[e.name] = remap(value);
  }
  const [sh, flag, script] = container.command;
  return new Promise((resolve) => {
    const child = spawn(sh, [flag, script], { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => resolve({ code, out }));
  });
}

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-pods-'));
  server = await httpServer((req, res) => {
    received++;
    res.statusCode = req.url === '/missing' ? 404 : 200;
    res.end('ok');
  });
});
after(() => server.close());

test('n pods from the manifest: barrier, segments, merge by index 0; the merged counts are the server\'s', async () => {
  const src = join(tmp, 'src');
  mkdirSync(join(src, 'data'), { recursive: true });
  writeFileSync(join(src, 'data/ids.csv'), 'id\n1\n2\n3\n');
  writeFileSync(join(src, 'shop.z6.toml'), `[runtime]\nduration_seconds = 2\nvus = 6\nprng_seed = 4\n[target]\nbase_url = "${server.url}"\n` +
    `[[data]]\nfile = "data/ids.csv"\nmode = "random"\n[[requests]]\nname = "item"\npath = "/item/{{ id }}"\nweight = 9\n[[requests]]\nname = "missing"\npath = "/missing"\n` +
    `[assertions]\nerror_rate_max = 0.5\n`);
  const gen = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'k8s', join(src, 'shop.z6.toml'), '--segments', '3', '--image', 'z6:test', '--merge-wait', '60'], { encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  const [cm, , job] = parseAllDocuments(gen.stdout).map((d) => d.toJS());

  // The scenario volume as the ConfigMap's items lay it out.
  const scenarioDir = join(tmp, 'scenario');
  for (const item of job.spec.template.spec.volumes.find((v: any) => v.name === 'scenario').configMap.items) {
    mkdirSync(dirname(join(scenarioDir, item.path)), { recursive: true });
    const text = cm.data?.[item.key];
    writeFileSync(join(scenarioDir, item.path), text !== undefined ? text : Buffer.from(cm.binaryData[item.key], 'base64'));
  }
  const resultsDir = join(tmp, 'volume');
  mkdirSync(resultsDir);
  mkdirSync(join(tmp, 'opt-z6'));
  const bin = image(tmp);

  received = 0;
  const pods = await Promise.all([0, 1, 2].map((i) => pod(job, i, { '/scenario': scenarioDir, '/results': resultsDir }, bin, 'uid-1')));
  for (const [i, p] of pods.entries()) assert.equal(p.code, 0, `pod ${i}: ${p.out}`);
  assert.match(pods[0]!.out, /merged 3 of 3 segments/);

  const run = join(resultsDir, 'uid-1');
  assert.deepEqual(readdirSync(join(run, 'barrier')).sort(), ['ready-0', 'ready-1', 'ready-2', 'start']);
  const merged = JSON.parse(readFileSync(join(run, 'merged/results.json'), 'utf8')) as Results;
  assert.deepEqual(merged.merged, { segments: 3, count: 3, missing: [] });
  assert.equal(merged.totals.issued, received, 'every request the server received, once');
  assert.ok(merged.totals.failed > 0 && merged.statusCodes['404'] === merged.totals.failed);
  const segments = [0, 1, 2].map((i) => JSON.parse(readFileSync(join(run, `segment-${i}/results.json`), 'utf8')) as Results);
  assert.ok(segments.every((r) => r.data![0]!.drawn > 0), 'every pod read the data file from the scenario volume');
  assert.equal(merged.data![0]!.drawn, segments.reduce((a, r) => a + r.data![0]!.drawn, 0));
  assert.ok(existsSync(join(run, 'merged/report.html')));
  assert.match(readFileSync(join(run, 'merged/junit.xml'), 'utf8'), /failures="0"/);
  const starts = segments.map((r) => Date.parse(r.startedAt));
  assert.ok(Math.max(...starts) - Math.min(...starts) < 500, `the segments started together: ${starts.join(', ')}`);
});
