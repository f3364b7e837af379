/**
 * `z6 k8s`: the manifests of a distributed run, checked against the Kubernetes API schema
 * (kubernetes-models' validators, generated from the API's OpenAPI document; offline), and what
 * the generator refuses. The pod contract itself runs in kubernetes-pods.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ensureBuilt } from './helpers';

const root = join(__dirname, '../..');
const cli = join(root, 'dist/cli.js');
let tmp: string;

function z6(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: tmp, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Validates each object against its kind's schema; returns them. */
async function validated(yamlText: string): Promise<Record<string, any>[]> {
  const { Job } = await import('kubernetes-models/batch/v1');
  const { ConfigMap, PersistentVolumeClaim } = await import('kubernetes-models/v1');
  const models: Record<string, new (o: any) => { validate(): void }> = { Job, ConfigMap, PersistentVolumeClaim };
  const docs = parseAllDocuments(yamlText).map((d) => {
    assert.deepEqual(d.errors, []);
    return d.toJS() as Record<string, any>;
  });
  for (const d of docs) {
    const Model = models[d.kind];
    assert.ok(Model, `unexpected kind ${d.kind}`);
    new Model(d).validate();
  }
  return docs;
}

before(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-k8s-'));
});

test('the manifests of a scenario with a body file and a data file validate, and carry every file', async () => {
  mkdirSync(join(tmp, 'shop/data'), { recursive: true });
  writeFileSync(join(tmp, 'shop/data/users.csv'), 'user\nada\nbob\n');
  writeFileSync(join(tmp, 'shop/order.bin'), Buffer.from([0, 1, 2, 0xff, 0xfe]));
  writeFileSync(join(tmp, 'shop/shop.z6.toml'), `[runtime]\nduration_seconds = 30\nvus = 8\n[target]\nbase_url = "http://shop.example:8080"\n` +
    `[[data]]\nfile = "data/users.csv"\n[[requests]]\nname = "home"\npath = "/u/{{ user }}"\n` +
    `[[requests]]\nname = "order"\nmethod = "POST"\npath = "/order"\nbody_file = "order.bin"\n[assertions]\np99_latency_ms = 500\n`);
  const r = z6(['k8s', 'shop/shop.z6.toml', '--segments', '4', '--image', 'registry.example/z6:0.1.0', '--namespace', 'load', '--storage-class', 'nfs', '--run-arg=--otlp', '--run-arg=http://collector:4318/v1/metrics']);
  assert.equal(r.code, 0, r.err);
  const [cm, pvc, job] = await validated(r.out);
  assert.equal(cm!.kind, 'ConfigMap');
  assert.equal(pvc!.kind, 'PersistentVolumeClaim');
  assert.deepEqual(pvc!.spec.accessModes, ['ReadWriteMany']);
  assert.equal(pvc!.spec.storageClassName, 'nfs');
  assert.equal(job!.kind, 'Job');
  for (const d of [cm, pvc, job]) assert.equal(d!.metadata.namespace, 'load');
  const spec = job!.spec;
  assert.equal(spec.completionMode, 'Indexed');
  assert.equal(spec.completions, 4);
  assert.equal(spec.parallelism, 4);
  // The scenario folder as the pods see it: every file at its relative path, binary ones intact.
  const items = spec.template.spec.volumes.find((v: any) => v.name === 'scenario').configMap.items as { key: string; path: string }[];
  const byPath = Object.fromEntries(items.map((i) => [i.path, i.key]));
  assert.deepEqual(Object.keys(byPath).sort(), ['data/users.csv', 'order.bin', 'shop.z6.toml']);
  assert.equal(cm!.data[byPath['data/users.csv']!], 'user\nada\nbob\n');
  assert.deepEqual(Buffer.from(cm!.binaryData[byPath['order.bin']!], 'base64'), Buffer.from([0, 1, 2, 0xff, 0xfe]));
  const env = Object.fromEntries(spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
  assert.equal(env.Z6_SEGMENTS, '4');
  assert.equal(env.Z6_SCENARIO, '/scenario/shop.z6.toml');
  // No prng_seed in the scenario: one seed for every pod, drawn when the manifests are written.
  assert.match(env.Z6_RUN_ARGS, /^--seed \d+ --otlp http:\/\/collector:4318\/v1\/metrics$/);
});

test('a misspelled field or a wrong type fails the schema check (the check is real)', async () => {
  const r = z6(['k8s', 'shop/shop.z6.toml', '--segments', '2', '--image', 'z6']);
  assert.equal(r.code, 0, r.err);
  const broken = r.out.replace('completionMode: Indexed', 'completionMode: Striped').replace('parallelism: 2', 'parallelism: two');
  await assert.rejects(validated(broken), /completionMode|parallelism/);
});

test('refusals: a file outside the scenario folder, more than a ConfigMap holds, a bad name, no image', () => {
  writeFileSync(join(tmp, 'outside.bin'), 'x');
  mkdirSync(join(tmp, 'sub'), { recursive: true });
  writeFileSync(join(tmp, 'sub/out.z6.toml'), `[runtime]\nduration_seconds = 5\nvus = 1\n[target]\nbase_url = "http://x.example"\n[[requests]]\nname = "a"\nmethod = "POST"\npath = "/"\nbody_file = "../outside.bin"\n`);
  let r = z6(['k8s', 'sub/out.z6.toml', '--segments', '2', '--image', 'z6']);
  assert.equal(r.code, 2);
  assert.match(r.err, /body_file of "a" .*outside\.bin is outside the scenario's folder/);

  writeFileSync(join(tmp, 'sub/big.bin'), Buffer.alloc(1_100_000, 1));
  writeFileSync(join(tmp, 'sub/big.z6.toml'), `[runtime]\nduration_seconds = 5\nvus = 1\n[target]\nbase_url = "http://x.example"\n[[requests]]\nname = "a"\nmethod = "POST"\npath = "/"\nbody_file = "big.bin"\n`);
  r = z6(['k8s', 'sub/big.z6.toml', '--segments', '2', '--image', 'z6']);
  assert.equal(r.code, 2);
  assert.match(r.err, /more than a ConfigMap holds .*big\.bin \(1100000 bytes\)/);

  r = z6(['k8s', 'shop/shop.z6.toml', '--segments', '2', '--image', 'z6', '--name', 'Shop_Run']);
  assert.equal(r.code, 2);
  assert.match(r.err, /must be a DNS label/);
  r = z6(['k8s', 'shop/shop.z6.toml', '--segments', '2']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--image IMAGE is required/);
});
