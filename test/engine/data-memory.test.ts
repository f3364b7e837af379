/**
 * A 100 MB CSV runs in bounded memory: a child process indexes a generated 100 MB file and
 * draws rows as 20 VUs do — at random all over the file, and one walk over every row through
 * the shared sequential cursor — and reports its peak resident memory (maxRSS). Loading the
 * rows as JS strings would take several times the file's size; the index and the block cache
 * must stay far below it. The file is generated in a temp dir and removed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const root = join(__dirname, '../..');
let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'z6-data-mem-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Memory the child may grow by while indexing and drawing, over its state after the imports. */
const BOUND_MB = 32;

async function generate(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  const write = (s: string) => new Promise<void>((r) => (out.write(s) ? r() : out.once('drain', () => r())));
  await write('username,password,email,id\n');
  let written = 0;
  let rows = 0;
  while (written < bytes) {
    let chunk = '';
    for (let k = 0; k < 10_000; k++, rows++) chunk += `user${rows},"p,w""${(rows * 7919) % 100_000}",user${rows}@example.com,${rows}\n`;
    written += chunk.length;
    await write(chunk);
  }
  await new Promise<void>((r) => out.end(() => r()));
  return rows;
}

const CHILD = (file: string) => `
import { DataRun } from ${JSON.stringify(join(root, 'engine/data/draw'))};
import { addDataColumns } from ${JSON.stringify(join(root, 'engine/data/open'))};
const mb = () => process.resourceUsage().maxRSS / 1024;
const spec = (mode) => ({ index: 0, name: 'big.csv', file: ${JSON.stringify(file)}, format: 'csv', mode, onExhausted: 'stop_run', secret: false });
const base = mb();
const t0 = performance.now();
const random = spec('random');
const dynamic = addDataColumns([random], new Map()); // opens and indexes the file
const indexMs = performance.now() - t0;
// The sequential walk shares the opened file, as a run shares it between VUs.
const sequential = { ...spec('sequential'), source: random.source };
const runs = [new DataRun([random], dynamic, 42), new DataRun([sequential], dynamic, 42)];
const [randomVus, walkers] = runs.map((r) => Array.from({ length: 20 }, (_, v) => r.forVu(v, false)));
const values = new Array(dynamic.size);
const id = dynamic.get('id').slot;
let ok = 0;
const t1 = performance.now();
for (let it = 0; it < 10_000; it++) for (const vu of randomVus) if (vu.draw(it, values) && values[id] !== undefined) ok++;
const randomUs = ((performance.now() - t1) * 1000) / 200_000;
const rows = random.source.rowCount;
let last = '';
const t2 = performance.now();
for (let i = 0; i < rows; i++) {
  walkers[i % 20].draw(Math.floor(i / 20), values);
  last = values[id];
}
const walkUs = ((performance.now() - t2) * 1000) / rows;
console.log(JSON.stringify({ base, peak: mb(), indexMs, randomUs, walkUs, rows, ok, last, heapMb: process.memoryUsage().heapUsed / 1048576 }));
`;

test('a 100 MB CSV: indexed and drawn from (200,000 random draws, then every row in order) within a bounded memory', { timeout: 120_000 }, async (t) => {
  const file = join(dir, 'big.csv');
  const rows = await generate(file, 100 * 1024 * 1024);
  const script = join(dir, 'child.ts');
  writeFileSync(script, CHILD(file));
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8', timeout: 110_000 });
  const m = JSON.parse(out) as { base: number; peak: number; indexMs: number; randomUs: number; walkUs: number; rows: number; ok: number; last: string; heapMb: number };
  const sizeMb = statSync(file).size / 1048576;
  t.diagnostic(`file ${sizeMb.toFixed(0)} MB, ${m.rows} rows; indexing ${m.indexMs.toFixed(0)} ms; a random draw ${m.randomUs.toFixed(2)} µs, a sequential one ${m.walkUs.toFixed(2)} µs; maxRSS ${m.base.toFixed(0)} MB after imports, ${m.peak.toFixed(0)} MB peak (+${(m.peak - m.base).toFixed(1)} MB); heap ${m.heapMb.toFixed(1)} MB`);
  assert.equal(m.rows, rows);
  assert.equal(m.ok, 200_000, 'every draw gave a row');
  assert.equal(m.last, String(rows - 1), 'the walk reached the last row');
  assert.ok(m.peak - m.base < BOUND_MB, `grew by ${(m.peak - m.base).toFixed(1)} MB for a ${sizeMb.toFixed(0)} MB file (bound ${BOUND_MB} MB)`);
});
